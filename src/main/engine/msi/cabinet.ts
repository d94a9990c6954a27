/**
 * Microsoft Cabinet (MSCF) reading: header, folders, files and data blocks, uncompressed, MSZIP or
 * LZX (Quantum is refused).
 *
 * MSZIP is raw DEFLATE per 32 KiB block behind a "CK" marker; a block may refer back into the
 * previous 32 KiB of the folder's output, so each block is inflated with that as its dictionary.
 */
import { inflateRawSync } from 'node:zlib';
import { KernelSetupError } from '../../../shared/errors';
import { invalidMsi } from './fail';
import { LzxDecoder, LzxFormatError, LzxInputError } from './lzx/decoder';

/** No kernel is anywhere near this; caps what a hostile cabinet can make us write. */
export const MAX_UNCOMPRESSED = 512 * 1024 * 1024;
/** Decompressing more than this to reach a file would take most of a minute: refused. */
const MAX_FOLDER_PREFIX = 1024 * 1024 * 1024;
const MAX_FOLDERS = 1024;
const MAX_FILES = 16384;
const BLOCK_MAX = 32768;
const COMPRESSED_MAX = BLOCK_MAX + 6144;
const FLAG_PREV = 1;
const FLAG_NEXT = 2;
const FLAG_RESERVE = 4;
const NAME_IS_UTF8 = 0x80;

export type Compression = 'none' | 'mszip' | 'lzx';

export interface CabFile {
  name: string;
  size: number;
  /** Offset of the file's first byte in its folder's uncompressed data. */
  offset: number;
  folder: number;
}

interface CabFolder {
  dataOffset: number;
  blockCount: number;
  typeCompress: number;
}

export interface Cabinet {
  buf: Buffer;
  folders: CabFolder[];
  files: CabFile[];
  dataReserve: number;
}

interface Block {
  at: number;
  csum: number;
  cbData: number;
  cbUncomp: number;
}

/** Parse the header, folder and file tables, checking every offset against the buffer. */
export function parseCabinet(input: Buffer): Cabinet {
  if (input.length < 36 || input.toString('latin1', 0, 4) !== 'MSCF') throw invalidMsi('the cabinet has no MSCF header');
  const declared = input.readUInt32LE(8);
  if (declared > input.length) throw invalidMsi(`the cabinet is truncated (${input.length} of ${declared} bytes)`);
  const buf = input.subarray(0, declared);
  const need = (at: number, n: number, what: string): void => {
    if (at + n > buf.length) throw invalidMsi(`the cabinet's ${what} lies past its end`);
  };
  need(0, 36, 'header');
  if (buf.readUInt8(25) !== 1) throw invalidMsi(`the cabinet has format version ${buf.readUInt8(25)}`);
  const nFolders = buf.readUInt16LE(26);
  const nFiles = buf.readUInt16LE(28);
  const flags = buf.readUInt16LE(30);
  if (flags & (FLAG_PREV | FLAG_NEXT)) throw invalidMsi('the cabinet spans several cabinet files');
  if (nFolders === 0 || nFolders > MAX_FOLDERS) throw invalidMsi(`the cabinet declares ${nFolders} folders`);
  if (nFiles === 0 || nFiles > MAX_FILES) throw invalidMsi(`the cabinet declares ${nFiles} files`);
  let at = 36;
  let folderReserve = 0;
  let dataReserve = 0;
  if (flags & FLAG_RESERVE) {
    need(at, 4, 'reserve sizes');
    const headerReserve = buf.readUInt16LE(at);
    folderReserve = buf.readUInt8(at + 2);
    dataReserve = buf.readUInt8(at + 3);
    at += 4 + headerReserve;
  }
  const folders: CabFolder[] = [];
  for (let i = 0; i < nFolders; i++, at += 8 + folderReserve) {
    need(at, 8 + folderReserve, 'folder table');
    folders.push({ dataOffset: buf.readUInt32LE(at), blockCount: buf.readUInt16LE(at + 4), typeCompress: buf.readUInt16LE(at + 6) });
  }
  const files: CabFile[] = [];
  at = buf.readUInt32LE(16);
  for (let i = 0; i < nFiles; i++) {
    need(at, 16, 'file table');
    const size = buf.readUInt32LE(at);
    const offset = buf.readUInt32LE(at + 4);
    const folder = buf.readUInt16LE(at + 8);
    const attribs = buf.readUInt16LE(at + 14);
    const end = buf.indexOf(0, at + 16);
    // As in libmspack: a name has 1 to 255 bytes and its NUL within the next 256.
    if (end < 0 || end - (at + 16) > 255) throw invalidMsi('a file name in the cabinet is not terminated');
    if (end === at + 16) throw invalidMsi('a file in the cabinet has an empty name');
    const name = buf.toString(attribs & NAME_IS_UTF8 ? 'utf8' : 'latin1', at + 16, end);
    if (folder >= nFolders) throw invalidMsi(`the cabinet file "${name}" is in folder ${folder}, which does not exist`);
    if (size > MAX_UNCOMPRESSED) throw invalidMsi(`the cabinet file "${name}" declares ${size} bytes`);
    files.push({ name, size, offset, folder });
    at = end + 1;
  }
  return { buf, folders, files, dataReserve };
}

/** The folder's compression (LZX with its window size), or unsupported-compression for Quantum. */
export function folderCompression(cab: Cabinet, folder: number, packageName: string): Compression {
  const typeCompress = cab.folders[folder]!.typeCompress;
  const type = typeCompress & 0x000f;
  if (type === 0) return 'none';
  if (type === 1) return 'mszip';
  if (type === 3) {
    const bits = (typeCompress >> 8) & 0x1f;
    if (bits < 15 || bits > 21) throw invalidMsi(`the cabinet declares an LZX window of 2^${bits} bytes (LZX allows 2^15 to 2^21)`);
    return 'lzx';
  }
  if (type === 2) {
    throw new KernelSetupError(
      'unsupported-compression',
      `${packageName} is compressed with Quantum, which this tool cannot read. On Windows, extract it with: ` +
        `msiexec /a "${packageName}" /qb TARGETDIR="C:\\temp" and install C:\\temp\\System32\\lxss\\tools\\kernel with --payload.`,
      { method: 'Quantum' },
    );
  }
  throw invalidMsi(`the cabinet declares compression type ${type}`);
}

/**
 * Check every data block header of the folder before anything is decompressed, and return the
 * blocks up to the one holding byte `end` (a file early in a large folder does not pay for the rest).
 */
function scanBlocks(cab: Cabinet, folder: number, compression: Compression, end: number): Block[] {
  const { buf } = cab;
  const f = cab.folders[folder]!;
  const blocks: Block[] = [];
  let at = f.dataOffset;
  let total = 0;
  if (f.blockCount === 0) throw invalidMsi(`folder ${folder} of the cabinet has no data blocks`);
  for (let i = 0; i < f.blockCount; i++) {
    if (at + 8 + cab.dataReserve > buf.length) throw invalidMsi(`data block ${i} of the cabinet lies past its end`);
    const block = { at, csum: buf.readUInt32LE(at), cbData: buf.readUInt16LE(at + 4), cbUncomp: buf.readUInt16LE(at + 6) };
    if (block.cbUncomp === 0 || block.cbUncomp > BLOCK_MAX || block.cbData === 0 || block.cbData > COMPRESSED_MAX) {
      throw invalidMsi(`data block ${i} of the cabinet has impossible sizes`);
    }
    if (compression === 'none' && block.cbData !== block.cbUncomp) throw invalidMsi(`stored block ${i} changes size`);
    // LZX frames are 32 KiB: only a folder's last block may be shorter.
    if (compression === 'lzx' && i < f.blockCount - 1 && block.cbUncomp !== BLOCK_MAX) {
      throw invalidMsi(`LZX block ${i} of the cabinet holds ${block.cbUncomp} bytes, not a whole frame`);
    }
    at += 8 + cab.dataReserve + block.cbData;
    if (at > buf.length) throw invalidMsi(`data block ${i} of the cabinet is truncated`);
    if (total < end) {
      total += block.cbUncomp;
      if (total > MAX_FOLDER_PREFIX) throw invalidMsi('the cabinet expands to more than 1 GiB before the file wanted');
      blocks.push(block);
    }
  }
  return blocks;
}

/** The compressed bytes of a block, checksum-verified when it carries a checksum. */
function blockData(cab: Cabinet, block: Block, index: number): Buffer {
  const data = cab.buf.subarray(block.at + 8 + cab.dataReserve, block.at + 8 + cab.dataReserve + block.cbData);
  if (block.csum !== 0 && !checksumMatches(cab, block, data)) throw invalidMsi(`data block ${index} of the cabinet fails its checksum`);
  return data;
}

/** The folder's uncompressed bytes in order, up to `end`; each piece is valid until the next one. */
function* folderOutput(cab: Cabinet, folder: number, compression: Compression, blocks: Block[], end: number): Generator<Uint8Array> {
  if (compression === 'lzx') {
    const total = blocks.reduce((sum, b) => sum + b.cbUncomp, 0);
    let next = 0;
    const bits = (cab.folders[folder]!.typeCompress >> 8) & 0x1f;
    const lzx = new LzxDecoder(bits, total, () => (next < blocks.length ? blockData(cab, blocks[next]!, next++) : null));
    let position = 0;
    for (let frame = lzx.nextFrame(); frame !== null && position < end; frame = lzx.nextFrame()) {
      position += frame.length;
      yield frame;
    }
    return;
  }
  let history: Buffer = Buffer.alloc(0);
  let position = 0;
  for (const [i, block] of blocks.entries()) {
    if (position >= end) return;
    const data = blockData(cab, block, i);
    // Blocks before the file still feed the MSZIP history, so they are inflated too.
    const out = compression === 'none' ? data : inflateBlock(data, history, block.cbUncomp, i);
    if (compression === 'mszip') history = keepHistory(history, out);
    position += out.length;
    yield out;
  }
}

/**
 * Decompress one file of the cabinet, handing its bytes to `sink` in order.
 *
 * Only the data up to the file's last byte is decompressed, and only the history the method
 * needs is kept (32 KiB for MSZIP, the LZX window).
 */
export async function extractCabFile(
  cab: Cabinet,
  file: CabFile,
  compression: Compression,
  sink: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  const blocks = scanBlocks(cab, file.folder, compression, file.offset + file.size);
  const folderSize = blocks.reduce((sum, b) => sum + b.cbUncomp, 0);
  const start = file.offset;
  const end = start + file.size;
  if (end > folderSize) throw invalidMsi(`the cabinet file "${file.name}" extends past the end of its folder`);
  let position = 0;
  const output = folderOutput(cab, file.folder, compression, blocks, end);
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = output.next();
    } catch (err) {
      // The decompressors' own errors are about the cabinet's bytes; the sink's pass through.
      if (err instanceof LzxFormatError || err instanceof LzxInputError) throw invalidMsi(`the LZX data of folder ${file.folder} is malformed (${err.message})`);
      throw err;
    }
    if (next.done) break;
    const out = next.value;
    if (position + out.length > start && position < end) {
      const from = Math.max(start - position, 0);
      const to = Math.min(end - position, out.length);
      await sink(Buffer.from(out.subarray(from, to)));
    }
    position += out.length;
  }
  if (position < end) throw invalidMsi(`the cabinet gave ${Math.max(position - start, 0)} of ${file.size} bytes of "${file.name}"`);
}

function inflateBlock(data: Buffer, history: Buffer, expected: number, index: number): Buffer {
  if (data.length < 2 || data[0] !== 0x43 || data[1] !== 0x4b) throw invalidMsi(`MSZIP block ${index} has no CK marker`);
  let out: Buffer;
  try {
    out = inflateRawSync(data.subarray(2), {
      maxOutputLength: expected,
      ...(history.length > 0 ? { dictionary: history } : {}),
    });
  } catch (err) {
    throw invalidMsi(`MSZIP block ${index} does not inflate (${err instanceof Error ? err.message : String(err)})`);
  }
  if (out.length !== expected) throw invalidMsi(`MSZIP block ${index} inflates to ${out.length} bytes, not ${expected}`);
  return out;
}

function keepHistory(history: Buffer, out: Buffer): Buffer {
  if (out.length >= BLOCK_MAX) return Buffer.from(out.subarray(out.length - BLOCK_MAX));
  const joined = Buffer.concat([history, out]);
  return joined.length > BLOCK_MAX ? joined.subarray(joined.length - BLOCK_MAX) : joined;
}

/** The block's stored checksum: over its data, then its two size fields (libmspack's order). */
function checksumMatches(cab: Cabinet, block: Block, data: Buffer): boolean {
  const sizes = cab.buf.subarray(block.at + 4, block.at + 8);
  if (cabChecksum(sizes, cabChecksum(data, 0)) === block.csum) return true;
  if (cab.dataReserve === 0) return false;
  // The format description counts the per-block reserve as part of the checksummed data.
  const withReserve = cab.buf.subarray(block.at + 8, block.at + 8 + cab.dataReserve + block.cbData);
  return cabChecksum(sizes, cabChecksum(withReserve, 0)) === block.csum;
}

/** The cabinet checksum: XOR of little-endian 32-bit words, the tail bytes packed big-end first. */
export function cabChecksum(bytes: Uint8Array, seed: number): number {
  let sum = seed >>> 0;
  const words = bytes.length >>> 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < words; i++) sum ^= view.getUint32(i * 4, true);
  let tail = 0;
  const rest = bytes.length & 3;
  for (let i = words * 4, k = rest; k > 0; i++, k--) tail |= bytes[i]! << ((k - 1) * 8);
  return (sum ^ tail) >>> 0;
}
