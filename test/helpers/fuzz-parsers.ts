/**
 * Hostile payloads and parser inputs: payloads that are truncated, bit-flipped, for the other
 * architecture, with a wrong manifest, or not kernels at all are refused before a byte lands in the
 * tools folder; the kernel header reader, the .reg parser and the cabinet/LZX reader (fuzz-cabinets.ts)
 * only ever refuse with their own error.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { KernelSetupError } from '../../src/shared/errors';
import { Engine } from '../../src/main/engine/engine';
import type { FileHandle, Fs } from '../../src/main/engine/machine/fs-port';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { buildArm64Image, buildBzImage, demoRelease } from '../../src/main/engine/sandbox/kernel-builder';
import { inspectKernel } from '../../src/main/engine/kernel/kernel-image';
import { parseReg, serializeReg } from '../../src/main/engine/registry/reg-file';
import { machineRegText } from '../../src/main/engine/sandbox/presets';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import { fastCheckSummary, recordingFs, withoutFlush } from './fault-fs';
import { hugeCab, randomLzxCab, sampleLzxCab } from './fuzz-cabinets';
import type { SeedKernels } from './kernels';
import type { Templates } from './scenarios';
import { takeSnapshot, toolsDirOf } from './snapshot';

/**
 * A bzImage whose header declares its length as real kernels do: syssize, and a compressed payload
 * (here an xz magic) inside the declared code.
 */
export function bzImageWithSyssize(version: string, size: number): Buffer {
  const b = buildBzImage({ release: demoRelease(version), size, seed: `sys-${version}` });
  const setup = ((b[0x1f1] || 4) + 1) * 512;
  const code = size - setup;
  b.writeUInt32LE(Math.ceil(code / 16), 0x1f4);
  b.writeUInt32LE(0x100, 0x248); // payload_offset, from the start of the protected-mode code
  b.writeUInt32LE(code - 0x200, 0x24c); // payload_length
  Buffer.from('fd377a585a00', 'hex').copy(b, setup + 0x100);
  return b;
}

interface PayloadCase {
  name: string;
  /** Files of the payload: a single file (`kernel` key only, `file: true`) or a folder. */
  files: Record<string, Buffer | string>;
  file?: boolean;
  expect: string[];
}

function flip(b: Buffer, at: number): Buffer {
  const c = Buffer.from(b);
  c[at] = c[at]! ^ 0x10;
  return c;
}

function cases(k: SeedKernels): PayloadCase[] {
  const good = readFileSync(k.C.path);
  const sys = bzImageWithSyssize('6.2.1.1', 256 * 1024);
  const manifest = (m: Record<string, unknown>) => JSON.stringify({ version: k.C.version, arch: 'x64', sha256: k.C.sha256, ...m });
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(8192, 1)]);
  const gzip = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(8192, 7)]);
  const cfb = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(8192, 0)]);
  return [
    { name: 'empty file', files: { kernel: Buffer.alloc(0) }, file: true, expect: ['not-a-kernel'] },
    { name: 'random bytes', files: { kernel: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 255)) }, file: true, expect: ['not-a-kernel'] },
    { name: 'an ELF file', files: { kernel: elf }, file: true, expect: ['not-a-kernel'] },
    { name: 'a gzip stream', files: { kernel: gzip }, file: true, expect: ['not-a-kernel'] },
    { name: 'a broken MSI package', files: { kernel: cfb }, file: true, expect: ['invalid-msi'] },
    { name: 'a cabinet of random LZX data', files: { kernel: randomLzxCab() }, file: true, expect: ['invalid-msi'] },
    { name: 'a truncated LZX cabinet', files: { kernel: sampleLzxCab().subarray(0, 3000) }, file: true, expect: ['invalid-msi'] },
    { name: 'a cabinet declaring 600 MiB', files: { kernel: hugeCab() }, file: true, expect: ['invalid-msi'] },
    { name: 'truncated inside the header', files: { kernel: good.subarray(0, 0x300) }, file: true, expect: ['not-a-kernel'] },
    { name: 'truncated bzImage (header says how long it is)', files: { kernel: sys.subarray(0, sys.length / 2) }, file: true, expect: ['not-a-kernel'] },
    { name: 'truncated, with a manifest', files: { kernel: good.subarray(0, good.length - 4096), 'manifest.json': manifest({}) }, expect: ['checksum-mismatch'] },
    { name: 'bit flip in the body, with a manifest', files: { kernel: flip(good, good.length - 100), 'manifest.json': manifest({}) }, expect: ['checksum-mismatch'] },
    { name: 'bit flip in the header magic', files: { kernel: flip(good, 0x203) }, file: true, expect: ['not-a-kernel'] },
    { name: 'bit flip in the boot flag', files: { kernel: flip(good, 0x1fe) }, file: true, expect: ['not-a-kernel'] },
    { name: 'arm64 kernel on an x64 machine', files: { kernel: buildArm64Image({ release: demoRelease('6.1.21.1'), size: 128 * 1024 }) }, file: true, expect: ['wrong-architecture'] },
    { name: 'manifest with the wrong hash', files: { kernel: good, 'manifest.json': manifest({ sha256: 'ab'.repeat(32) }) }, expect: ['checksum-mismatch'] },
    { name: 'manifest with the wrong version', files: { kernel: good, 'manifest.json': manifest({ version: '9.9.9.9' }) }, expect: ['checksum-mismatch'] },
    { name: 'manifest for the other architecture', files: { kernel: good, 'manifest.json': manifest({ arch: 'arm64' }) }, expect: ['checksum-mismatch'] },
    { name: 'manifest that is not JSON', files: { kernel: good, 'manifest.json': '{"sha256": ' }, expect: ['checksum-mismatch'] },
    { name: 'manifest with a malformed hash', files: { kernel: good, 'manifest.json': manifest({ sha256: 'xyz' }) }, expect: ['checksum-mismatch'] },
    { name: 'folder without a kernel', files: { 'manifest.json': manifest({}) }, expect: ['not-a-kernel'] },
  ];
}

/** Install `payload` on a copy of `start`; returns the code and whether anything was written to the tools folder. */
async function tryInstall(templates: Templates, work: string, payload: string): Promise<{ code: string | null; toolsWritten: string[]; toolsChanged: boolean; slot: string | null }> {
  const root = await templates.copy('installed', work);
  const before = await takeSnapshot(root);
  const written: string[] = [];
  const engine = new Engine(await openSandbox(root, recordingFs(withoutFlush(nodeFs), written)));
  const r = await engine.install({ payload });
  const after = await takeSnapshot(root);
  const tools = toolsDirOf(root);
  return {
    code: r.ok ? null : r.code,
    toolsWritten: written.filter((p) => p.startsWith(tools + '/') || p === tools).filter((p) => p !== tools),
    toolsChanged: JSON.stringify(before.tools) !== JSON.stringify(after.tools),
    slot: after.tools.kernel ?? null,
  };
}

/** The fixed list of hostile payloads, then random mutations of a real one. */
export async function payloadRefusals(opts: { templates: Templates; kernels: SeedKernels; dir: string; runs: number; seed: number }): Promise<{ violations: string[]; cases: number }> {
  const violations: string[] = [];
  let n = 0;
  for (const c of cases(opts.kernels)) {
    const pdir = join(opts.dir, `payload-${n++}`);
    mkdirSync(pdir, { recursive: true });
    for (const [name, data] of Object.entries(c.files)) writeFileSync(join(pdir, name), data);
    const payload = c.file ? join(pdir, 'kernel') : pdir;
    const r = await tryInstall(opts.templates, join(opts.dir, 'work'), payload);
    if (!r.code || !c.expect.includes(r.code)) violations.push(`payload "${c.name}": ${r.code ?? 'installed'}, expected ${c.expect.join(' or ')}`);
    if (r.toolsWritten.length || r.toolsChanged) violations.push(`payload "${c.name}": the tools folder was touched (${r.toolsWritten.join(', ')})`);
  }
  // Random edits of a real kernel: with a manifest always refused; without one refused, or installed byte for byte.
  const good = readFileSync(opts.kernels.C.path);
  const pdir = join(opts.dir, 'payload-random');
  mkdirSync(pdir, { recursive: true });
  const edit = fc.record({ at: fc.oneof(fc.nat({ max: 0x1000 }), fc.nat({ max: good.length - 1 })), value: fc.integer({ min: 0, max: 255 }) });
  const prop = fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.option(fc.nat({ max: good.length - 1 }), { freq: 3 }), fc.boolean(), async (edits, cut, withManifest) => {
    n++;
    let b = Buffer.from(good);
    for (const e of edits) b[e.at] = e.value;
    if (cut !== null) b = b.subarray(0, cut);
    if (b.equals(good)) return;
    writeFileSync(join(pdir, 'kernel'), b);
    writeFileSync(join(pdir, 'manifest.json'), withManifest ? JSON.stringify({ sha256: opts.kernels.C.sha256 }) : '{}');
    const r = await tryInstall(opts.templates, join(opts.dir, 'work'), pdir);
    if (withManifest || r.code) {
      if (!r.code || !['checksum-mismatch', 'not-a-kernel', 'wrong-architecture', 'downgrade-refused'].includes(r.code)) throw new Error(`refused with ${r.code ?? 'nothing (installed)'}`);
      if (r.toolsWritten.length || r.toolsChanged) throw new Error(`refused (${r.code}) but the tools folder was touched`);
    } else {
      if (r.slot !== createHash('sha256').update(b).digest('hex')) throw new Error('installed, but the kernel slot does not hold the payload exactly');
    }
  });
  try {
    await fc.assert(prop, { numRuns: opts.runs, seed: opts.seed, endOnFailure: true });
  } catch (err) {
    violations.push(`mutated payloads: ${fastCheckSummary(err).slice(0, 1200)}`);
  }
  return { violations, cases: n };
}

/** Fuzzed manifests beside a real kernel: installed when every field present matches it, else checksum-mismatch. */
export async function fuzzManifests(opts: { templates: Templates; kernels: SeedKernels; dir: string; runs: number; seed: number }): Promise<{ violations: string[]; runs: number }> {
  const k = opts.kernels.C;
  const pdir = join(opts.dir, 'payload-manifest');
  mkdirSync(pdir, { recursive: true });
  writeFileSync(join(pdir, 'kernel'), readFileSync(k.path));
  const real: Record<string, unknown> = { version: k.version, arch: 'x64', sha256: k.sha256, release: k.release };
  const field = (name: string, others: fc.Arbitrary<unknown>) => fc.oneof(fc.constant(real[name]), name === 'sha256' ? fc.constant(k.sha256.toUpperCase()) : others, others, fc.jsonValue({ maxDepth: 1 }));
  const manifest = fc.oneof(
    { weight: 4, arbitrary: fc.record({ version: field('version', fc.string({ maxLength: 70 })), arch: field('arch', fc.constantFrom('arm64', 'X64', '')), sha256: field('sha256', fc.stringMatching(/^[0-9a-f]{64}$/)), release: field('release', fc.string()), extra: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
  let runs = 0;
  const prop = fc.asyncProperty(manifest, async (m) => {
    runs++;
    writeFileSync(join(pdir, 'manifest.json'), JSON.stringify(m));
    const fits =
      !!m && typeof m === 'object' && !Array.isArray(m) &&
      ['version', 'arch', 'sha256', 'release'].every((f) => {
        if (!(f in m)) return true;
        const v = (m as Record<string, unknown>)[f];
        return f === 'sha256' ? typeof v === 'string' && v.toLowerCase() === k.sha256 : v === real[f];
      });
    const r = await tryInstall(opts.templates, join(opts.dir, 'work'), pdir);
    if (fits && r.code) throw new Error(`a matching manifest was refused: ${r.code}`);
    if (!fits && r.code !== 'checksum-mismatch') throw new Error(`a manifest that does not match gave ${r.code ?? 'an install'}`);
    if (!fits && (r.toolsWritten.length || r.toolsChanged)) throw new Error('refused, but the tools folder was touched');
  });
  try {
    await fc.assert(prop, { numRuns: opts.runs, seed: opts.seed, endOnFailure: true });
    return { violations: [], runs };
  } catch (err) {
    return { violations: [`manifests: ${fastCheckSummary(err).slice(0, 1200)}`], runs };
  }
}

/** An Fs holding one file in memory (the header reader only opens, reads, stats and closes). */
function memoryFs(data: Buffer): Fs {
  const handle: FileHandle = {
    async read(buffer, offset, length, position) {
      const from = position ?? 0;
      const n = Math.max(0, Math.min(length, data.length - from));
      data.copy(buffer, offset, from, from + n);
      return n;
    },
    async write() {
      throw new Error('read only');
    },
    async sync() {},
    async stat() {
      return { size: data.length, mtimeMs: 0, ino: 1, dev: 1, isFile: true, isDirectory: false };
    },
    async close() {},
  };
  return { ...nodeFs, open: async () => handle };
}

/** Mutated kernel headers: a header or not-a-kernel, never anything else. */
export async function fuzzHeaders(runs: number, seed: number): Promise<{ violations: string[]; runs: number }> {
  const bases = [buildBzImage({ release: demoRelease('6.1.21.1'), size: 96 * 1024 }), buildArm64Image({ release: demoRelease('6.1.21.1'), size: 96 * 1024 }), bzImageWithSyssize('6.6.1.1', 96 * 1024)];
  let count = 0;
  const region = fc.oneof(fc.nat({ max: 0x240 }), fc.integer({ min: 0x400, max: 0x500 }), fc.integer({ min: 0x8000, max: 0x8080 }), fc.nat({ max: 96 * 1024 - 1 }));
  const prop = fc.asyncProperty(fc.nat({ max: bases.length - 1 }), fc.array(fc.tuple(region, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.option(fc.nat({ max: 96 * 1024 })), async (which, edits, cut) => {
    count++;
    let b = Buffer.from(bases[which]!);
    for (const [at, v] of edits) b[at] = v;
    if (cut !== null) b = b.subarray(0, cut);
    try {
      const r = await inspectKernel(memoryFs(b), 'kernel');
      if (!/^[0-9][\x21-\x7e]*$/.test(r.header.release) || !r.header.release.startsWith(r.header.version)) throw new Error(`odd release ${JSON.stringify(r.header.release)}`);
    } catch (err) {
      if (!(err instanceof KernelSetupError) || err.code !== 'not-a-kernel') throw err;
    }
  });
  try {
    await fc.assert(prop, { numRuns: runs, seed, endOnFailure: true });
    return { violations: [], runs: count };
  } catch (err) {
    return { violations: [`kernel headers: ${fastCheckSummary(err).slice(0, 1200)}`], runs: count };
  }
}

/** Mutated realistic machine.reg files (UTF-8 and UTF-16LE): parsed, or refused with invalid-machine; parsed ones round-trip. */
export function fuzzReg(runs: number, seed: number): { violations: string[]; runs: number } {
  const text = `${machineRegText({})}\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss]\r\n"RollbackKernel"=dword:00000001\r\n"Multi"=hex(7):41,00,00,00,42,00,00,00,00,00\r\n"Bin"=hex:01,02,\\\r\n  03,04\r\n@="default \\"quoted\\""\r\n[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Gone]\r\n"x"=-\r\n`;
  const bases = [Buffer.from(text, 'utf8'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])];
  let count = 0;
  const prop = fc.property(
    fc.nat({ max: 1 }),
    fc.array(fc.tuple(fc.nat(), fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x5c, 0x22, 0x3d, 0x5b, 0x5d, 0x0a, 0x0d, 0x2c, 0x40))), { minLength: 1, maxLength: 6 }),
    fc.option(fc.nat()),
    (which, edits, cut) => {
      count++;
      let b = Buffer.from(bases[which]!);
      for (const [at, v] of edits) b[at % b.length] = v;
      if (cut !== null) b = b.subarray(0, cut % (b.length + 1));
      let parsed;
      try {
        parsed = parseReg(b);
      } catch (err) {
        if (err instanceof KernelSetupError && err.code === 'invalid-machine') return;
        throw err;
      }
      let written: Buffer;
      try {
        written = serializeReg(parsed.tree, parsed.encoding);
      } catch (err) {
        if (err instanceof KernelSetupError) return; // the writer refuses what the format cannot hold
        throw err;
      }
      const again = parseReg(written);
      const canon = (t: typeof parsed.tree) => JSON.stringify([...t.keys.values()].map((k) => [k.path, [...k.values.values()].map((e) => [e.name, e.value.type, String(e.value.data)])]));
      if (canon(again.tree) !== canon(parsed.tree)) throw new Error('a parsed file does not survive being written and read again');
    },
  );
  try {
    fc.assert(prop, { numRuns: runs, seed, endOnFailure: true });
    // One large input, to catch quadratic parsing: 4 MiB of continued hex.
    const big = Buffer.from(`Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\X]\r\n"v"=hex:${'ab,'.repeat(200_000)}\\\r\n  ${'cd,'.repeat(200_000)}ef\r\n`);
    parseReg(big);
    count++;
    return { violations: [], runs: count };
  } catch (err) {
    return { violations: [`.reg parser: ${fastCheckSummary(err).slice(0, 1200)}`], runs: count };
  }
}
