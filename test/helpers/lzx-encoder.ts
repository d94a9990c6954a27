/**
 * An LZX compressor for test data (nothing in Debian writes LZX cabinets): verbatim, aligned and
 * uncompressed blocks, blocks that span frames, repeated-offset matches, window sizes 2^15..2^21 and
 * the E8 call translation. Its output is checked with cabextract (libmspack), so it tests the
 * product's decoder against an independent one; it is not product code.
 */
import { HuffmanLengths, writeLengths } from './lzx-huffman';

const FRAME = 32768;
const SLOTS = [30, 32, 34, 36, 38, 42, 50];
const EXTRA = Array.from({ length: 50 }, (_, i) => (i < 4 ? 0 : i < 36 ? (i >> 1) - 1 : 17));
const BASE: number[] = [0];
for (let i = 1; i < 51; i++) BASE.push(BASE[i - 1]! + (1 << EXTRA[i - 1]!));

export type BlockKind = 'verbatim' | 'aligned' | 'uncompressed';

export interface LzxOptions {
  windowBits: number;
  /** E8 translation size (0 = off). */
  intelFileSize?: number;
  /** Block kinds in turn, and the uncompressed length of each block. */
  blocks?: BlockKind[];
  blockSize?: number;
  /** Look for matches (false: literals only, fast). */
  matches?: boolean;
  /** Only try this one match distance (and the repeated offsets): fast, for long periodic inputs. */
  period?: number;
}

/** MSB-first bits in 16-bit little-endian words, with raw bytes between words. */
class BitWriter {
  out: number[] = [];
  private acc = 0;
  private n = 0;
  bits(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >>> i) & 1);
      if (++this.n === 16) this.flushWord();
    }
  }
  private flushWord(): void {
    this.out.push(this.acc & 0xff, (this.acc >>> 8) & 0xff);
    this.acc = 0;
    this.n = 0;
  }
  /** Pad to the next word (frame end). */
  align(): void {
    if (this.n > 0) this.bits(0, 16 - this.n);
  }
  /** Before an uncompressed block's raw bytes: pad, or a whole padding word when already aligned. */
  alignForRaw(): void {
    if (this.n > 0) this.align();
    else this.bits(0, 16);
  }
  raw(bytes: ArrayLike<number>): void {
    for (let i = 0; i < bytes.length; i++) this.out.push(bytes[i]!);
  }
}

type Token = { lit: number } | { len: number; slot: number; extra: number };

/** Forward E8 translation of one frame (the decoder turns it back). */
function e8Forward(frame: Uint8Array, start: number, fileSize: number): void {
  const end = frame.length - 10;
  for (let i = 0; i < end; ) {
    if (frame[i] !== 0xe8) {
      i++;
      continue;
    }
    const pos = start + i;
    const view = new DataView(frame.buffer, frame.byteOffset + i + 1, 4);
    const rel = view.getInt32(0, true);
    if (rel >= -pos && rel < fileSize) view.setInt32(0, rel < fileSize - pos ? rel + pos : rel - fileSize, true);
    i += 5;
  }
}

/** Compress `input` as one LZX stream; returns the compressed bytes of each 32 KiB frame. */
export function lzxCompress(input: Uint8Array, opts: LzxOptions): Buffer[] {
  const data = Uint8Array.from(input);
  const intel = opts.intelFileSize ?? 0;
  if (intel) for (let f = 0; f * FRAME < data.length && f < 32768; f++) {
    const frame = data.subarray(f * FRAME, Math.min(data.length, (f + 1) * FRAME));
    if (frame.length > 10) e8Forward(frame, f * FRAME, intel);
  }
  const windowSize = 1 << opts.windowBits;
  const slots = SLOTS[opts.windowBits - 15]!;
  const kinds = opts.blocks ?? ['verbatim'];
  const blockSize = opts.blockSize ?? 3 * FRAME + 1000;
  const w = new BitWriter();
  w.bits(intel ? 1 : 0, 1);
  if (intel) {
    w.bits(intel >>> 16, 16);
    w.bits(intel & 0xffff, 16);
  }
  const frames: Buffer[] = [];
  let cut = 0;
  const endFrame = (rawMode: boolean): void => {
    if (!rawMode) w.align();
    frames.push(Buffer.from(w.out.slice(cut)));
    cut = w.out.length;
  };
  let r = [1, 1, 1];
  const prevMain = new Uint8Array(256 + slots * 8);
  const prevLength = new Uint8Array(249);
  const head = new Map<number, number[]>();
  let pos = 0;
  let b = 0;
  let oddPending = false;
  while (pos < data.length) {
    const kind = kinds[b++ % kinds.length]!;
    const len = Math.min(blockSize, data.length - pos);
    if (oddPending) {
      w.raw([0]);
      oddPending = false;
    }
    w.bits(kind === 'verbatim' ? 1 : kind === 'aligned' ? 2 : 3, 3);
    w.bits(len >>> 8, 16);
    w.bits(len & 0xff, 8);
    if (kind === 'uncompressed') {
      w.alignForRaw();
      for (const v of r) w.raw([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24]);
      for (let i = 0; i < len; i++) {
        w.raw([data[pos]!]);
        if (!opts.period) addHash(data, pos, head);
        pos++;
        if (pos % FRAME === 0 || pos === data.length) endFrame(true);
      }
      oddPending = (len & 1) === 1;
      continue;
    }
    // Tokens for this block: greedy matches that never cross a frame end.
    const tokens: Token[] = [];
    const end = pos + len;
    let p = pos;
    while (p < end) {
      const frameEnd = Math.min(end, (Math.floor(p / FRAME) + 1) * FRAME);
      const maxOffset = Math.min(p, windowSize - 3);
      const best =
        opts.matches === false ? null : opts.period ? periodMatch(data, p, Math.min(257, frameEnd - p), maxOffset, opts.period) : findMatch(data, p, Math.min(257, frameEnd - p), maxOffset, r, head);
      if (best && best.len >= 3) {
        const { len: mlen, offset } = best;
        const ri = r.indexOf(offset);
        let slot: number;
        let extra = 0;
        if (ri === 0) slot = 0;
        else if (ri > 0) {
          slot = ri;
          [r[0], r[ri]] = [r[ri]!, r[0]!];
        } else {
          const f = offset + 2;
          slot = 3;
          while (BASE[slot + 1]! <= f) slot++;
          extra = f - BASE[slot]!;
          r = [offset, r[0]!, r[1]!];
        }
        tokens.push({ len: mlen, slot, extra });
        if (!opts.period) for (let i = 0; i < mlen; i++) addHash(data, p + i, head);
        p += mlen;
      } else {
        tokens.push({ lit: data[p]! });
        if (!opts.period) addHash(data, p, head);
        p++;
      }
    }
    // Trees from the token frequencies.
    const mainFreq = new Array<number>(256 + slots * 8).fill(0);
    const lenFreq = new Array<number>(249).fill(0);
    const alignedFreq = new Array<number>(8).fill(0);
    for (const t of tokens) {
      if ('lit' in t) mainFreq[t.lit]!++;
      else {
        mainFreq[256 + (t.slot << 3) + Math.min(t.len - 2, 7)]!++;
        if (t.len - 2 >= 7) lenFreq[t.len - 9]!++;
        if (kind === 'aligned' && EXTRA[t.slot]! >= 3) alignedFreq[t.extra & 7]!++;
      }
    }
    if (intel) mainFreq[0xe8]!++;
    const aligned = new HuffmanLengths(alignedFreq, 7);
    const main = new HuffmanLengths(mainFreq, 16);
    const length = lenFreq.some((f) => f > 0) ? new HuffmanLengths(lenFreq, 16) : null;
    if (kind === 'aligned') for (const l of aligned.lens) w.bits(l, 3);
    writeLengths(w, prevMain, main.lens, 0, 256);
    writeLengths(w, prevMain, main.lens, 256, main.lens.length);
    writeLengths(w, prevLength, length ? length.lens : new Array<number>(249).fill(0), 0, 249);
    // The symbols, with frame ends where the output crosses 32 KiB.
    let out = pos;
    for (const t of tokens) {
      if ('lit' in t) {
        main.write(w, t.lit);
        out++;
      } else {
        main.write(w, 256 + (t.slot << 3) + Math.min(t.len - 2, 7));
        if (t.len - 2 >= 7) length!.write(w, t.len - 9);
        const eb = EXTRA[t.slot]!;
        if (t.slot >= 3 && kind === 'aligned' && eb >= 3) {
          w.bits(t.extra >>> 3, eb - 3);
          aligned.write(w, t.extra & 7);
        } else if (t.slot >= 3) {
          w.bits(t.extra, eb);
        }
        out += t.len;
      }
      if (out % FRAME === 0 || out === data.length) endFrame(false);
    }
    pos = end;
  }
  return frames;
}

function periodMatch(d: Uint8Array, p: number, maxLen: number, maxOffset: number, offset: number): { len: number; offset: number } | null {
  if (offset > maxOffset) return null;
  let n = 0;
  while (n < maxLen && d[p + n] === d[p + n - offset]) n++;
  return n >= 3 ? { len: n, offset } : null;
}

function hash3(d: Uint8Array, p: number): number {
  return (d[p]! << 16) | (d[p + 1]! << 8) | d[p + 2]!;
}

function addHash(d: Uint8Array, p: number, head: Map<number, number[]>): void {
  if (p + 3 > d.length) return;
  const k = hash3(d, p);
  let list = head.get(k);
  if (!list) head.set(k, (list = []));
  list.push(p);
  if (list.length > 8) list.shift();
}

function findMatch(d: Uint8Array, p: number, maxLen: number, maxOffset: number, r: number[], head: Map<number, number[]>): { len: number; offset: number } | null {
  if (maxLen < 3) return null;
  const matchLen = (offset: number): number => {
    let n = 0;
    while (n < maxLen && d[p + n] === d[p + n - offset]) n++;
    return n;
  };
  let best: { len: number; offset: number } | null = null;
  for (const offset of r) if (offset <= maxOffset && offset > 0) {
    const n = matchLen(offset);
    if (n >= 3 && (!best || n > best.len)) best = { len: n, offset };
  }
  if (p + 3 > d.length) return best;
  for (const q of head.get(hash3(d, p)) ?? []) {
    const offset = p - q;
    if (offset > maxOffset || offset <= 0) continue;
    const n = matchLen(offset);
    if (!best || n > best.len + 1) best = { len: n, offset };
  }
  return best;
}
