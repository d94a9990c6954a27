/**
 * Writes Microsoft cabinets for tests: one folder, stored or LZX (through the test compressor),
 * with real block checksums, so cabextract can check every byte of them.
 */
import { cabChecksum } from '../../src/main/engine/msi/cabinet';
import { lzxCompress, type LzxOptions } from './lzx-encoder';

export interface CabEntry {
  name: string;
  data: Uint8Array;
}

export type CabMethod = { method: 'none' } | ({ method: 'lzx' } & LzxOptions);

const FRAME = 32768;

/** The folder's data blocks: compressed bytes and uncompressed size of each. */
function blocksOf(stream: Uint8Array, method: CabMethod): { data: Buffer; size: number }[] {
  const sizes: number[] = [];
  for (let at = 0; at < stream.length; at += FRAME) sizes.push(Math.min(FRAME, stream.length - at));
  if (method.method === 'none') return sizes.map((size, i) => ({ data: Buffer.from(stream.subarray(i * FRAME, i * FRAME + size)), size }));
  const frames = lzxCompress(stream, method);
  if (frames.length !== sizes.length) throw new Error(`the compressor made ${frames.length} frames for ${sizes.length} blocks`);
  return frames.map((data, i) => ({ data, size: sizes[i]! }));
}

export function writeCab(entries: CabEntry[], method: CabMethod): Buffer {
  const stream = Buffer.concat(entries.map((e) => e.data));
  const blocks = blocksOf(stream, method);
  const typeCompress = method.method === 'none' ? 0 : 3 | (method.windowBits << 8);
  const names = entries.map((e) => Buffer.from(`${e.name}\0`, 'latin1'));
  const filesAt = 36 + 8;
  const dataAt = filesAt + names.reduce((s, n) => s + 16 + n.length, 0);
  const total = dataAt + blocks.reduce((s, b) => s + 8 + b.data.length, 0);
  const out = Buffer.alloc(total);
  out.write('MSCF', 0, 'latin1');
  out.writeUInt32LE(total, 8);
  out.writeUInt32LE(filesAt, 16);
  out.writeUInt8(3, 24);
  out.writeUInt8(1, 25);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(entries.length, 28);
  out.writeUInt32LE(dataAt, 36);
  out.writeUInt16LE(blocks.length, 40);
  out.writeUInt16LE(typeCompress, 42);
  let at = filesAt;
  let offset = 0;
  entries.forEach((e, i) => {
    out.writeUInt32LE(e.data.length, at);
    out.writeUInt32LE(offset, at + 4);
    out.writeUInt16LE(0, at + 8);
    out.writeUInt16LE(0x5821, at + 10); // 2024-01-01
    out.writeUInt16LE(0, at + 12);
    out.writeUInt16LE(0x20, at + 14);
    names[i]!.copy(out, at + 16);
    at += 16 + names[i]!.length;
    offset += e.data.length;
  });
  for (const b of blocks) {
    const sizes = Buffer.alloc(4);
    sizes.writeUInt16LE(b.data.length, 0);
    sizes.writeUInt16LE(b.size, 2);
    out.writeUInt32LE(cabChecksum(sizes, cabChecksum(b.data, 0)), at);
    sizes.copy(out, at + 4);
    b.data.copy(out, at + 8);
    at += 8 + b.data.length;
  }
  return out;
}
