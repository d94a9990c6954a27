/**
 * Hostile cabinets: mutated LZX and stored cabinets (checksums dropped, so the decoder itself sees
 * the damage), random LZX data in valid framing, and size claims beyond the limit. The reader must
 * yield exactly the declared bytes or refuse with invalid-msi (unsupported-compression for Quantum),
 * quickly, and never fail any other way.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { KernelSetupError } from '../../src/shared/errors';
import { extractCabFile, folderCompression, parseCabinet } from '../../src/main/engine/msi/cabinet';
import { writeCab } from './cab-writer';
import { fastCheckSummary } from './fault-fs';

const bytes = (n: number, seed: string): Buffer =>
  Buffer.concat(Array.from({ length: Math.ceil(n / 64) }, (_, i) => createHash('sha512').update(`${seed}${i}`).digest())).subarray(0, n);

/** Drop every data block's checksum (0 = none), so that damage reaches the decompressor. */
function withoutChecksums(cab: Buffer): Buffer {
  const out = Buffer.from(cab);
  const folders = out.readUInt16LE(26);
  for (let f = 0; f < folders; f++) {
    let at = out.readUInt32LE(36 + f * 8);
    const count = out.readUInt16LE(36 + f * 8 + 4);
    for (let i = 0; i < count && at + 8 <= out.length; i++) {
      out.writeUInt32LE(0, at);
      at += 8 + out.readUInt16LE(at + 4);
    }
  }
  return out;
}

/** Three files in one LZX folder (window 2^16): text, random bytes, E8-rich code; mixed blocks. */
export function sampleLzxCab(): Buffer {
  const text = Buffer.from(Array.from({ length: 9000 }, (_, i) => `w${(i * 7919) % 313} `).join(''));
  const code = Buffer.alloc(40_000);
  for (let i = 0; i < code.length; i++) code[i] = i % 11 === 0 ? 0xe8 : (i * 29) & 0xff;
  return withoutChecksums(
    writeCab([{ name: 'text.txt', data: text }, { name: 'random.bin', data: bytes(20_000, 'r') }, { name: 'code.bin', data: code }], {
      method: 'lzx',
      windowBits: 16,
      blocks: ['verbatim', 'aligned', 'uncompressed'],
      blockSize: 30_001,
      intelFileSize: 1_000_000,
    }),
  );
}

/** Valid cabinet framing around random bytes declared as LZX (window 2^21). */
export function randomLzxCab(): Buffer {
  const cab = writeCab([{ name: 'kernel', data: bytes(100_000, 'k') }], { method: 'none' });
  cab.writeUInt16LE(3 | (21 << 8), 42);
  return withoutChecksums(cab);
}

/** A cabinet whose file claims 600 MiB. */
export function hugeCab(): Buffer {
  const cab = writeCab([{ name: 'kernel', data: bytes(70_000, 'h') }], { method: 'none' });
  cab.writeUInt32LE(600 * 1024 * 1024, 44);
  return cab;
}

/** Read every file; returns what came out (or the refusal code). Throws on anything but a clean refusal. */
async function readAll(cab: Buffer): Promise<string> {
  try {
    const parsed = parseCabinet(cab);
    const got: string[] = [];
    for (const f of parsed.files) {
      let n = 0;
      await extractCabFile(parsed, f, folderCompression(parsed, f.folder, 'fuzz.cab'), async (c) => void (n += c.length));
      if (n !== f.size) throw new Error(`"${f.name}" gave ${n} bytes, declared ${f.size}`);
      got.push(`${f.name}:${n}`);
    }
    return got.join(',');
  } catch (err) {
    if (err instanceof KernelSetupError && (err.code === 'invalid-msi' || err.code === 'unsupported-compression')) return err.code;
    throw err;
  }
}

export async function fuzzCabinets(runs: number, seed: number): Promise<{ violations: string[]; runs: number }> {
  const bases = [sampleLzxCab(), withoutChecksums(writeCab([{ name: 'a', data: bytes(50_000, 's') }, { name: 'b', data: bytes(3000, 't') }], { method: 'none' })), randomLzxCab()];
  const violations: string[] = [];
  let count = 0;
  for (const fixed of [randomLzxCab(), hugeCab()]) {
    count++;
    const r = await readAll(fixed).catch((e: unknown) => `threw ${String(e)}`);
    if (r !== 'invalid-msi') violations.push(`fixed hostile cabinet: ${r}`);
  }
  // Edits in the header and tables, and anywhere in the compressed data; optional truncation.
  const at = fc.oneof(fc.nat({ max: 120 }), fc.nat({ max: 200_000 }));
  const prop = fc.asyncProperty(fc.nat({ max: bases.length - 1 }), fc.array(fc.tuple(at, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.option(fc.nat({ max: 200_000 }), { freq: 4 }), async (which, edits, cut) => {
    count++;
    const base = bases[which]!;
    let b = Buffer.from(base);
    for (const [i, v] of edits) b[i % b.length] = v;
    if (cut !== null) b = b.subarray(0, cut % (b.length + 1));
    const started = Date.now();
    await readAll(b);
    const ms = Date.now() - started;
    if (ms > 3000) throw new Error(`took ${ms} ms`);
  });
  try {
    await fc.assert(prop, { numRuns: runs, seed, endOnFailure: true });
  } catch (err) {
    violations.push(`cabinets: ${fastCheckSummary(err).slice(0, 1200)}`);
  }
  return { violations, runs: count };
}
