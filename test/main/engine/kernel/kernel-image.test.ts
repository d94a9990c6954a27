import { createHash, randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelSetupError } from '../../../../src/shared/errors';
import { nodeFs, type Fs } from '../../../../src/main/engine/machine/fs-port';
import {
  assertArch,
  BannerScanner,
  CHUNK_SIZE,
  compareVersions,
  hashFile,
  inspectKernel,
  parseVersion,
  readKernelHeader,
  X64_HEAD_SIZE,
} from '../../../../src/main/engine/kernel/kernel-image';
import {
  buildArm64Image,
  buildBzImage,
  demoRelease,
  writeArm64Image,
  writeBzImage,
  writeDemoKernel,
} from '../../../../src/main/engine/sandbox/kernel-builder';

const WSL = '5.15.153.1-microsoft-standard-WSL2';
let dir: string;
let n = 0;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'wslk-kimg-'));
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function put(bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, `f${n++}`);
  await fsp.writeFile(file, bytes);
  return file;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** nodeFs that records every read: length and the buffer object. */
function countingFs(): { fs: Fs; reads: { length: number; buffer: Uint8Array }[] } {
  const reads: { length: number; buffer: Uint8Array }[] = [];
  const fs: Fs = {
    ...nodeFs,
    async open(p, mode) {
      const h = await nodeFs.open(p, mode);
      return {
        ...h,
        read: (buffer, offset, length, position) => {
          reads.push({ length, buffer });
          return h.read(buffer, offset, length, position);
        },
        write: h.write.bind(h),
        sync: h.sync.bind(h),
        stat: h.stat.bind(h),
        close: h.close.bind(h),
      };
    },
  };
  return { fs, reads };
}

async function notAKernel(file: string): Promise<KernelSetupError[]> {
  const errors: KernelSetupError[] = [];
  for (const read of [() => inspectKernel(nodeFs, file), () => readKernelHeader(nodeFs, file)]) {
    const err = await read().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KernelSetupError);
    expect((err as KernelSetupError).code).toBe('not-a-kernel');
    expect((err as KernelSetupError).message).toContain(file);
    errors.push(err as KernelSetupError);
  }
  return errors;
}

describe('versions', () => {
  it('parseVersion keeps the release up to the first dash', () => {
    expect(parseVersion(WSL)).toBe('5.15.153.1');
    expect(parseVersion('6.1.0-56-amd64')).toBe('6.1.0');
    expect(parseVersion('6.6.36.3')).toBe('6.6.36.3');
  });

  const table: [string, string, -1 | 0 | 1][] = [
    ['5.10.16.3', '5.10.102.1', -1],
    ['5.10.102.1', '5.15.90.1', -1],
    ['5.10.16.3', '5.15.90.1', -1],
    ['5.15.90.1', '5.15.90.1', 0],
    ['5.15', '5.15.0', -1],
    ['5.15', '5.15.0.1', -1],
    ['05.15', '5.15', -1],
    ['6.1', '5.15.153.1', 1],
    ['10.0', '9.99', 1],
    ['99999999999999999999', '99999999999999999998', 1],
    ['5.15.rc1', '5.15.1', -1],
    ['5.15.rc1', '5.15.rc2', -1],
    ['5.15.rc1', '5.15', 1],
    ['', '0', -1],
    ['6.12.96+deb13', '6.12.100+deb13', -1],
  ];
  it.each(table)('compareVersions(%s, %s) = %i', (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
    expect(compareVersions(b, a)).toBe(-want || 0);
  });

  it('is a total order (antisymmetric and transitive)', () => {
    const part = fc.oneof(fc.nat(30).map(String), fc.constantFrom('rc1', 'rc2', 'x', '', '007'));
    const version = fc.array(part, { minLength: 1, maxLength: 4 }).map((p) => p.join('.'));
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(compareVersions(a, b)).toBe(-compareVersions(b, a) || 0);
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
        if (compareVersions(a, b) === 0) expect(compareVersions(a, c)).toBe(compareVersions(b, c));
      }),
      { numRuns: 500 },
    );
  });
});

describe('synthetic images', () => {
  it('reads an x64 bzImage and hashes it', async () => {
    const image = buildBzImage({ release: WSL, size: 3 * CHUNK_SIZE + 17 });
    const file = await put(image);
    const result = await inspectKernel(nodeFs, file);
    expect(result).toEqual({
      header: { arch: 'x64', release: WSL, version: '5.15.153.1' },
      sha256: sha(image),
      size: image.length,
    });
    expect(await readKernelHeader(nodeFs, file)).toEqual(result.header);
    expect(await hashFile(nodeFs, file)).toBe(sha(image));
  });

  it('reads only the head of an x64 image for the header', async () => {
    const file = await put(buildBzImage({ release: WSL, size: 8 * CHUNK_SIZE }));
    const { fs, reads } = countingFs();
    await readKernelHeader(fs, file);
    expect(reads.reduce((s, r) => s + r.length, 0)).toBeLessThanOrEqual(X64_HEAD_SIZE);
  });

  it('reads an arm64 Image', async () => {
    const image = buildArm64Image({ release: '6.6.36.3-microsoft-standard-WSL2', size: 2 * CHUNK_SIZE });
    const file = await put(image);
    const result = await inspectKernel(nodeFs, file);
    expect(result.header).toEqual({ arch: 'arm64', release: '6.6.36.3-microsoft-standard-WSL2', version: '6.6.36.3' });
    expect(result.sha256).toBe(sha(image));
    expect(await readKernelHeader(nodeFs, file)).toEqual(result.header);
  });

  it('writers produce the same bytes as builders', async () => {
    const size = 2 * CHUNK_SIZE + 1234;
    const bz = path.join(dir, 'w-bz');
    await writeBzImage(bz, { release: WSL, size, seed: 7 });
    expect(sha(await fsp.readFile(bz))).toBe(sha(buildBzImage({ release: WSL, size, seed: 7 })));
    const arm = path.join(dir, 'w-arm');
    const opts = { release: '6.1.0-arm', size, bannerOffset: CHUNK_SIZE - 5 };
    await writeArm64Image(arm, opts);
    expect(sha(await fsp.readFile(arm))).toBe(sha(buildArm64Image(opts)));
  });

  it.each(['x64', 'arm64'] as const)('writes a labelled %s demo kernel', async (arch) => {
    const file = path.join(dir, `demo-${arch}`);
    const { release } = await writeDemoKernel(nodeFs, file, arch);
    expect(release).toBe(demoRelease('5.15.153.1'));
    expect(release).toContain('-demo');
    const { header } = await inspectKernel(nodeFs, file);
    expect(header).toEqual({ arch, release, version: '5.15.153.1' });
    expect((await fsp.readFile(file)).toString('latin1')).toContain('demo kernel');
  });

  it.each([1, 5, 13, 14, 15, 40, 300])('finds a banner that starts %i bytes before a chunk boundary', async (back) => {
    const opts = { release: '6.1.0-56-arm64', size: 2 * CHUNK_SIZE, bannerOffset: CHUNK_SIZE - back };
    const file = await put(buildArm64Image(opts));
    expect((await inspectKernel(nodeFs, file)).header.release).toBe('6.1.0-56-arm64');
    expect((await readKernelHeader(nodeFs, file)).release).toBe('6.1.0-56-arm64');
  });

  it('skips banner look-alikes and takes the first valid banner', async () => {
    const image = buildArm64Image({ release: '6.1.21-real', size: CHUNK_SIZE + 4096, bannerOffset: CHUNK_SIZE + 100 });
    image.write('Linux version %s (%s)\0Linux version \x01\x02 Linux version ', 0x9000, 'latin1');
    const file = await put(image);
    expect((await inspectKernel(nodeFs, file)).header.release).toBe('6.1.21-real');
  });

  it('the scanner handles one-byte chunks', () => {
    const text = Buffer.from('xxLinux version x Linux versio Linux version 6.1.2-a (b)', 'latin1');
    const scanner = new BannerScanner();
    for (let i = 0; i < text.length && !scanner.feed(text.subarray(i, i + 1)); i++);
    expect(scanner.release).toBe('6.1.2-a');
  });

  it('streams a 64 MiB image in bounded memory, reports progress to the total', async () => {
    const size = 64 * CHUNK_SIZE;
    const file = path.join(dir, 'big');
    // Banner near the end: the arm64 scan has to stream the whole file.
    await writeArm64Image(file, { release: '6.6.87.2-big', size, bannerOffset: size - 4096 });
    const { fs, reads } = countingFs();
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const progress: [number, number][] = [];
    const result = await inspectKernel(fs, file, {
      onProgress(done, total) {
        progress.push([done, total]);
        peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      },
    });
    expect(result.header.release).toBe('6.6.87.2-big');
    expect(result.size).toBe(size);
    expect(peak - before).toBeLessThan(32 * CHUNK_SIZE);
    expect(reads.every((r) => r.length <= CHUNK_SIZE && r.buffer === reads[0]!.buffer)).toBe(true);
    expect(progress.at(-1)).toEqual([size, size]);
    expect(progress.every(([d], i) => i === 0 || d > progress[i - 1]![0])).toBe(true);
    expect(result.sha256).toBe(await hashFile(nodeFs, file));
  });

  it('stops with cancelled when the signal is aborted', async () => {
    const file = await put(buildBzImage({ release: WSL, size: 4 * CHUNK_SIZE }));
    const ctl = new AbortController();
    const err = await inspectKernel(nodeFs, file, {
      signal: ctl.signal,
      onProgress: () => ctl.abort(),
    }).catch((e: unknown) => e);
    expect((err as KernelSetupError).code).toBe('cancelled');
  });
});

describe('not a kernel', () => {
  const bz = () => buildBzImage({ release: WSL, size: 0x4000 });

  it('empty file', async () => {
    await notAKernel(await put(new Uint8Array(0)));
  });
  it('100 bytes', async () => {
    await notAKernel(await put(randomBytes(100)));
  });
  it('random bytes', async () => {
    await notAKernel(await put(randomBytes(CHUNK_SIZE + 5)));
  });
  it('an ELF file', async () => {
    const elf = Buffer.alloc(0x2000);
    Buffer.from('\x7fELF\x02\x01\x01', 'latin1').copy(elf);
    await notAKernel(await put(elf));
  });
  it('a gzip of a kernel', async () => {
    await notAKernel(await put(gzipSync(bz())));
  });
  it('a truncated bzImage header', async () => {
    await notAKernel(await put(bz().subarray(0, 0x205)));
  });
  it('a bzImage whose version pointer is outside the file', async () => {
    const image = bz();
    image.writeUInt16LE(0x3e00, 0x20e); // 0x4000: one past the end
    const [err] = await notAKernel(await put(image));
    expect(err!.message).toMatch(/outside the file/);
  });
  it('a bzImage without a version pointer', async () => {
    const image = bz();
    image.writeUInt16LE(0, 0x20e);
    await notAKernel(await put(image));
  });
  it('a bzImage with an unprintable version string', async () => {
    const image = bz();
    image[0x402] = 0x07;
    await notAKernel(await put(image));
  });
  it('a bzImage whose version string is longer than 256 bytes', async () => {
    const image = bz();
    image.fill(0x35, 0x400, 0x400 + 300);
    await notAKernel(await put(image));
  });
  it('a bzImage whose release does not start with a digit', async () => {
    await notAKernel(await put(buildBzImage({ release: 'v5.15-x', size: 0x4000 })));
  });
  it('an arm64 magic without a banner', async () => {
    const image = randomBytes(2 * CHUNK_SIZE);
    image.writeUInt32LE(0x644d5241, 0x38);
    const [err] = await notAKernel(await put(image));
    expect(err!.message).toMatch(/banner/);
  });

  it('a missing file rejects with ENOENT as-is', async () => {
    const file = path.join(dir, 'missing');
    for (const read of [inspectKernel, readKernelHeader]) {
      const err = await read(nodeFs, file).catch((e: unknown) => e);
      expect(err).not.toBeInstanceOf(KernelSetupError);
      expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
    }
  });

  it('random content never throws anything but not-a-kernel', async () => {
    const x64 = (b: Uint8Array) => {
      const buf = Buffer.from(b);
      if (buf.length >= 0x206) {
        buf.writeUInt16LE(0xaa55, 0x1fe);
        buf.write('HdrS', 0x202, 'latin1');
      }
      return buf;
    };
    const arm = (b: Uint8Array) => {
      const buf = Buffer.from(b);
      if (buf.length >= 0x40) buf.writeUInt32LE(0x644d5241, 0x38);
      return buf;
    };
    const content = fc
      .tuple(fc.uint8Array({ minLength: 0, maxLength: 3000 }), fc.constantFrom('raw', 'x64', 'arm64'))
      .map(([b, kind]) => (kind === 'x64' ? x64(b) : kind === 'arm64' ? arm(b) : Buffer.from(b)));
    await fc.assert(
      fc.asyncProperty(content, async (bytes) => {
        const file = await put(bytes);
        for (const read of [() => inspectKernel(nodeFs, file), () => readKernelHeader(nodeFs, file)]) {
          try {
            const result = await read();
            const header = 'header' in result ? result.header : result;
            expect(header.release).toMatch(/^[0-9]/);
          } catch (err) {
            expect(err).toBeInstanceOf(KernelSetupError);
            expect((err as KernelSetupError).code).toBe('not-a-kernel');
          }
        }
        await fsp.unlink(file);
      }),
      { numRuns: 300 },
    );
  });
});

describe('architecture', () => {
  it('assertArch accepts the same architecture', () => {
    expect(() => assertArch({ arch: 'x64', release: WSL, version: '5.15.153.1' }, 'x64')).not.toThrow();
  });
  it('assertArch names both architectures', () => {
    let err: unknown;
    try {
      assertArch({ arch: 'arm64', release: '6.1.0-arm', version: '6.1.0' }, 'x64');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KernelSetupError);
    expect((err as KernelSetupError).code).toBe('wrong-architecture');
    expect((err as KernelSetupError).message).toMatch(/arm64.*x64/);
  });
});
