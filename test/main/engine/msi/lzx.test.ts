/**
 * The LZX reader against cabextract (libmspack), on cabinets written by the test compressor: every
 * window size, verbatim, aligned and uncompressed blocks (also spanning frames, odd lengths),
 * repeated offsets, the E8 translation, a window that wraps many times, and a 100 MiB stream
 * extracted in bounded memory.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelSetupError } from '../../../../src/shared/errors';
import { extractCabFile, folderCompression, parseCabinet } from '../../../../src/main/engine/msi/cabinet';
import { LzxDecoder } from '../../../../src/main/engine/msi/lzx/decoder';
import { writeCab, type CabMethod } from '../../../helpers/cab-writer';
import type { BlockKind } from '../../../helpers/lzx-encoder';

const hasCabextract = spawnSync('cabextract', ['--version']).error === undefined;
const withCabextract = hasCabextract ? describe : describe.skip;
if (!hasCabextract) console.warn('Skipping the LZX comparison with cabextract: it is not installed (apt-get install cabextract)');

let work: string;
beforeAll(async () => {
  work = await fsp.mkdtemp(path.join(os.tmpdir(), 'wslk-lzx-'));
});
afterAll(async () => {
  await fsp.rm(work, { recursive: true, force: true });
});

/** Text with long repeats, pseudo-random bytes, and x86-like code full of E8 calls. */
function sampleFiles(scale: number): { name: string; data: Buffer }[] {
  const words = Array.from({ length: 4000 * scale }, (_, i) => `w${(i * 7919) % 613} `).join('');
  const random = Buffer.concat(Array.from({ length: 1500 * scale }, (_, i) => createHash('sha512').update(`r${i}`).digest()));
  const code = Buffer.alloc(70_000 * scale);
  for (let i = 0; i < code.length; i++) code[i] = i % 9 === 0 ? 0xe8 : (i * 37 + (i >> 10)) & 0xff;
  return [
    { name: 'text.txt', data: Buffer.from(words) },
    { name: 'random.bin', data: random },
    { name: 'code.bin', data: code },
  ];
}

async function mine(cab: Buffer): Promise<Map<string, Buffer>> {
  const parsed = parseCabinet(cab);
  const out = new Map<string, Buffer>();
  for (const f of parsed.files) {
    const parts: Buffer[] = [];
    await extractCabFile(parsed, f, folderCompression(parsed, f.folder, 'test.cab'), async (c) => void parts.push(c));
    out.set(f.name, Buffer.concat(parts));
  }
  return out;
}

function cabextract(cabFile: string, dir: string): { ok: boolean; files: () => Promise<Map<string, Buffer>> } {
  const r = spawnSync('cabextract', ['-q', '-d', dir, cabFile], { encoding: 'utf8', timeout: 60_000 });
  return {
    ok: r.status === 0,
    files: async () => new Map(await Promise.all((await fsp.readdir(dir).catch(() => [])).map(async (n) => [n, await fsp.readFile(path.join(dir, n))] as const))),
  };
}

withCabextract('LZX cabinets: the reader and cabextract agree with the original bytes', () => {
  const kinds: BlockKind[][] = [['verbatim'], ['aligned'], ['uncompressed'], ['aligned', 'uncompressed', 'verbatim']];
  for (let bits = 15; bits <= 21; bits++) {
    it(`window 2^${bits}: verbatim, aligned, uncompressed and mixed blocks, with and without E8`, async () => {
      const files = sampleFiles(bits <= 16 ? 2 : 1);
      for (const [i, blocks] of kinds.entries()) {
        const method: CabMethod = { method: 'lzx', windowBits: bits, blocks, blockSize: [40_001, 32_768, 99_999, 12_345][i]!, ...(i % 2 === 0 ? { intelFileSize: 12_000_000 } : {}) };
        const cab = writeCab(files, method);
        const file = path.join(work, `w${bits}-${i}.cab`);
        await fsp.writeFile(file, cab);
        const ref = cabextract(file, path.join(work, `w${bits}-${i}`));
        expect(ref.ok, `cabextract refused ${blocks.join('+')}`).toBe(true);
        const theirs = await ref.files();
        const ours = await mine(cab);
        for (const f of files) {
          expect(theirs.get(f.name)?.equals(f.data), `cabextract: ${f.name}, ${blocks.join('+')}`).toBe(true);
          expect(ours.get(f.name)?.equals(f.data), `reader: ${f.name}, ${blocks.join('+')}`).toBe(true);
        }
      }
    }, 120_000);
  }

  it('streams a 100 MiB entry to a file with bounded memory (window + one frame + 1 MiB writes)', async () => {
    const size = 100 * 1024 * 1024;
    const period = Buffer.from(Array.from({ length: 4093 }, (_, i) => ((i * 131) ^ (i >> 3)) & 0xff).map((b) => (b === 0xe8 ? 0 : b)));
    const big = Buffer.alloc(size);
    for (let at = 0; at < size; at += period.length) period.copy(big, at);
    const want = createHash('sha256').update(big).digest('hex');
    const cab = writeCab([{ name: 'modules.vhd', data: big }], { method: 'lzx', windowBits: 21, blocks: ['verbatim', 'aligned'], blockSize: 1_000_003, period: period.length, intelFileSize: 30_000_000 });
    const cabFile = path.join(work, 'big.cab');
    await fsp.writeFile(cabFile, cab);
    const out = path.join(work, 'big-out');
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../../helpers/extract-cab-child.ts'), cabFile, out], { encoding: 'utf8', timeout: 240_000, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
    expect(child.status, child.stderr).toBe(0);
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as { path: string; size: number; ms: number; maxRssMiB: number };
    console.log(`100 MiB LZX entry (cabinet ${(cab.length / 1024).toFixed(0)} KiB): extracted in ${r.ms} ms, peak RSS ${r.maxRssMiB} MiB`);
    expect(r.size).toBe(size);
    const got = createHash('sha256').update(await fsp.readFile(r.path)).digest('hex');
    expect(got).toBe(want);
    // The output never sits in memory: a 100 MiB file, and a peak far below it plus Node's own.
    expect(r.maxRssMiB).toBeLessThan(160);
    const ref = cabextract(cabFile, path.join(work, 'big-ref'));
    expect(ref.ok).toBe(true);
    expect(createHash('sha256').update(await fsp.readFile(path.join(work, 'big-ref', 'modules.vhd'))).digest('hex')).toBe(want);
  }, 300_000);
});

describe('LZX refusals', () => {
  it('refuses window sizes outside 2^15..2^21', () => {
    for (const bits of [0, 14, 22, 31]) expect(() => new LzxDecoder(bits, 10, () => null)).toThrow(/window/);
  });

  it('refuses a stream that ends too early, with invalid-msi and no partial output', async () => {
    const files = sampleFiles(1);
    const cab = writeCab(files, { method: 'lzx', windowBits: 16 });
    // Cut the last block's data in half (and drop its checksum): the decoder runs dry.
    const parsed = parseCabinet(cab);
    let at = cab.readUInt32LE(36);
    const blocks = cab.readUInt16LE(40);
    for (let i = 0; i < blocks - 1; i++) at += 8 + cab.readUInt16LE(at + 4);
    const half = Math.floor(cab.readUInt16LE(at + 4) / 2);
    const cut = Buffer.from(cab.subarray(0, at + 8 + half));
    cut.writeUInt32LE(0, at);
    cut.writeUInt16LE(half, at + 4);
    cut.writeUInt32LE(cut.length, 8);
    const last = parsed.files[parsed.files.length - 1]!;
    const err = await mine(cut).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(KernelSetupError);
    expect((err as KernelSetupError).code).toBe('invalid-msi');
    expect(last.name).toBe('code.bin');
  });
});
