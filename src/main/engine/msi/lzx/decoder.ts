/**
 * LZX decompression of one cabinet folder, one 32 KiB frame at a time.
 *
 * Written from the LZX format as Microsoft documents it for cabinets and for LZX DELTA (MS-PATCH),
 * with libmspack's lzxd.c as the reference for behaviour on edge cases: the decoder state (window,
 * repeated offsets, code lengths, E8 header) starts fresh for each folder and is never reset inside
 * one; frames end on a 16-bit boundary; a match may not cross a frame or the end of the window.
 * Memory is the window (32 KiB to 2 MiB) plus one frame: output is handed out frame by frame.
 */
import { BitReader } from './bit-reader';
import { HuffmanTable } from './huffman';
import { LzxFormatError, readLengths } from './read-lengths';
import {
  ALIGNED_SYMBOLS,
  EXTRA_BITS,
  FRAME_SIZE,
  LENGTH_SYMBOLS,
  LENTABLE_SAFETY,
  MAINTREE_SYMBOLS,
  MAX_WINDOW_BITS,
  MIN_MATCH,
  MIN_WINDOW_BITS,
  NUM_CHARS,
  NUM_PRIMARY_LENGTHS,
  NUM_SECONDARY_LENGTHS,
  POSITION_BASE,
  POSITION_SLOTS,
} from './tables';

export { LzxFormatError } from './read-lengths';
export { LzxInputError } from './bit-reader';

const VERBATIM = 1;
const ALIGNED = 2;
const UNCOMPRESSED = 3;

export class LzxDecoder {
  private readonly window: Uint8Array;
  private readonly windowSize: number;
  private readonly numOffsets: number;
  private readonly br: BitReader;
  private readonly main = new HuffmanTable(MAINTREE_SYMBOLS, 12, LENTABLE_SAFETY);
  private readonly length = new HuffmanTable(LENGTH_SYMBOLS, 12, LENTABLE_SAFETY);
  private readonly aligned = new HuffmanTable(ALIGNED_SYMBOLS, 7);
  private readonly e8 = new Uint8Array(FRAME_SIZE);
  private r0 = 1;
  private r1 = 1;
  private r2 = 1;
  private headerRead = false;
  private intelFileSize = 0;
  private intelStarted = false;
  private blockType = 0;
  private blockLength = 0;
  private blockRemaining = 0;
  private windowPosn = 0;
  private framePosn = 0;
  private frame = 0;
  /** Bytes handed out so far. */
  private offset = 0;

  /**
   * @param windowBits 15..21, from the folder's compression type
   * @param total the folder's uncompressed size (sum of its data blocks' sizes)
   * @param next the folder's compressed data, block by block; null at the end
   */
  constructor(
    windowBits: number,
    private readonly total: number,
    next: () => Uint8Array | null,
  ) {
    if (!Number.isInteger(windowBits) || windowBits < MIN_WINDOW_BITS || windowBits > MAX_WINDOW_BITS) {
      throw new LzxFormatError(`LZX window size 2^${windowBits} is outside 2^15..2^21`);
    }
    this.windowSize = 1 << windowBits;
    this.window = new Uint8Array(this.windowSize);
    this.numOffsets = POSITION_SLOTS[windowBits - MIN_WINDOW_BITS]! << 3;
    this.br = new BitReader(next);
  }

  /** The next frame of output (valid until the next call), or null when the folder is done. */
  nextFrame(): Uint8Array | null {
    if (this.offset >= this.total) return null;
    const br = this.br;
    if (!this.headerRead) {
      // One bit: is there an E8 translation size (32 bits, high half first)?
      this.intelFileSize = br.read(1) ? (br.read(16) << 16) | br.read(16) : 0;
      this.headerRead = true;
    }
    const frameSize = Math.min(FRAME_SIZE, this.total - this.offset);
    let todo = this.framePosn + frameSize - this.windowPosn;
    while (todo > 0) {
      if (this.blockRemaining === 0) this.readBlockHeader();
      const run = Math.min(this.blockRemaining, todo);
      const done = this.blockType === UNCOMPRESSED ? this.copyStored(run) : this.decodeRun(run);
      // A match may overrun `run` within its block, never past the block.
      if (done > this.blockRemaining) throw new LzxFormatError('a match runs past the end of its block');
      this.blockRemaining -= done;
      todo -= done;
    }
    if (this.windowPosn - this.framePosn !== frameSize) throw new LzxFormatError('a match runs past the end of its frame');
    br.alignToWord();
    const out = this.translate(frameSize);
    this.offset += frameSize;
    this.framePosn += frameSize;
    this.frame++;
    if (this.windowPosn === this.windowSize) this.windowPosn = 0;
    if (this.framePosn === this.windowSize) this.framePosn = 0;
    return out;
  }

  private readBlockHeader(): void {
    const br = this.br;
    // An uncompressed block of odd length is followed by one padding byte.
    if (this.blockType === UNCOMPRESSED && this.blockLength & 1) br.byte();
    this.blockType = br.read(3);
    this.blockLength = this.blockRemaining = (br.read(16) << 8) | br.read(8);
    switch (this.blockType) {
      case ALIGNED:
      case VERBATIM:
        if (this.blockType === ALIGNED) {
          for (let i = 0; i < ALIGNED_SYMBOLS; i++) this.aligned.lens[i] = br.read(3);
          if (!this.aligned.build()) throw new LzxFormatError('the aligned-offset tree is not a valid Huffman code');
        }
        // The rest of an aligned block's header is a verbatim block's.
        readLengths(br, this.main.lens, 0, NUM_CHARS);
        readLengths(br, this.main.lens, NUM_CHARS, NUM_CHARS + this.numOffsets);
        if (!this.main.build()) throw new LzxFormatError('the main tree is not a valid Huffman code');
        if (this.main.lens[0xe8] !== 0) this.intelStarted = true;
        readLengths(br, this.length.lens, 0, NUM_SECONDARY_LENGTHS);
        // The length tree may be empty (then no match may need it).
        if (!this.length.build() && !this.length.empty) throw new LzxFormatError('the length tree is not a valid Huffman code');
        break;
      case UNCOMPRESSED: {
        this.intelStarted = true;
        // Align to 16 bits (a whole padding word when already aligned), then R0..R2 raw.
        if (br.bitsLeft === 0) br.ensure(16);
        br.dropBits();
        const r = new Uint8Array(12);
        br.copyRaw(r, 0, 12);
        const view = new DataView(r.buffer);
        this.r0 = view.getUint32(0, true);
        this.r1 = view.getUint32(4, true);
        this.r2 = view.getUint32(8, true);
        break;
      }
      default:
        throw new LzxFormatError(`block type ${this.blockType} is not an LZX block type`);
    }
  }

  private copyStored(run: number): number {
    this.br.copyRaw(this.window, this.windowPosn, run);
    this.windowPosn += run;
    return run;
  }

  /** Decode literals and matches until at least `run` bytes are in the window; returns how many. */
  private decodeRun(run: number): number {
    const { br, window, windowSize } = this;
    const alignedBlock = this.blockType === ALIGNED;
    let pos = this.windowPosn;
    const start = pos;
    let { r0, r1, r2 } = this;
    while (pos - start < run) {
      let sym = this.main.decode(br);
      if (sym < NUM_CHARS) {
        window[pos++] = sym;
        continue;
      }
      sym -= NUM_CHARS;
      let matchLength = sym & NUM_PRIMARY_LENGTHS;
      if (matchLength === NUM_PRIMARY_LENGTHS) {
        if (this.length.empty) throw new LzxFormatError('a match needs the length tree, which is empty');
        matchLength += this.length.decode(br);
      }
      matchLength += MIN_MATCH;
      let matchOffset = sym >>> 3;
      if (matchOffset === 0) {
        matchOffset = r0;
      } else if (matchOffset === 1) {
        matchOffset = r1;
        r1 = r0;
        r0 = matchOffset;
      } else if (matchOffset === 2) {
        matchOffset = r2;
        r2 = r0;
        r0 = matchOffset;
      } else {
        const extra = EXTRA_BITS[matchOffset]!;
        matchOffset = POSITION_BASE[matchOffset]! - 2;
        if (extra >= 3 && alignedBlock) {
          if (extra > 3) matchOffset += br.read(extra - 3) << 3;
          matchOffset += this.aligned.decode(br);
        } else if (extra > 0) {
          matchOffset += br.read(extra);
        }
        r2 = r1;
        r1 = r0;
        r0 = matchOffset;
      }
      if (pos + matchLength > windowSize) throw new LzxFormatError('a match runs past the end of the window');
      if (matchOffset > pos) {
        // The match reaches back across the start of the window, into bytes from its last turn.
        if (matchOffset > this.offset) throw new LzxFormatError('a match refers to data before the start of the stream');
        const j = matchOffset - pos;
        if (j > windowSize) throw new LzxFormatError('a match refers to data beyond the window');
        let src = windowSize - j;
        let n = matchLength;
        if (j < n) {
          window.copyWithin(pos, src, windowSize);
          pos += j;
          n -= j;
          src = 0;
        }
        for (; n > 0; n--) window[pos++] = window[src++]!;
      } else {
        // Overlapping copies repeat the last bytes, so copy byte by byte.
        let src = pos - matchOffset;
        for (let n = matchLength; n > 0; n--) window[pos++] = window[src++]!;
      }
    }
    this.r0 = r0;
    this.r1 = r1;
    this.r2 = r2;
    const done = pos - this.windowPosn;
    this.windowPosn = pos;
    return done;
  }

  /** The frame as output: E8 call targets turned back from absolute to relative (x86 code). */
  private translate(frameSize: number): Uint8Array {
    const frame = this.window.subarray(this.framePosn, this.framePosn + frameSize);
    if (!this.intelStarted || this.intelFileSize === 0 || this.frame >= 32768 || frameSize <= 10) return frame;
    const data = this.e8;
    data.set(frame);
    const fileSize = this.intelFileSize;
    let curpos = this.offset | 0;
    const end = frameSize - 10;
    let i = 0;
    while (i < end) {
      if (data[i++] !== 0xe8) {
        curpos++;
        continue;
      }
      const abs = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
      if (abs >= -curpos && abs < fileSize) {
        const rel = abs >= 0 ? abs - curpos : abs + fileSize;
        data[i] = rel & 0xff;
        data[i + 1] = (rel >>> 8) & 0xff;
        data[i + 2] = (rel >>> 16) & 0xff;
        data[i + 3] = (rel >>> 24) & 0xff;
      }
      i += 4;
      curpos += 5;
    }
    return data.subarray(0, frameSize);
  }
}
