/**
 * The LZX bit stream: 16-bit little-endian words, read most significant bit first.
 *
 * Input arrives in chunks (a cabinet folder's data blocks, one after the other) from `next()`;
 * a word may straddle two chunks. Like libmspack, running dry once yields two zero bytes (an
 * encoder may end on a word it never fills); running dry again is an error.
 */
export class LzxInputError extends Error {}

/** The compressed data breaks the LZX format. */
export class LzxFormatError extends Error {}

export class BitReader {
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  /** Buffered bits, left-aligned in 32 bits. */
  private buf = 0;
  private left = 0;
  private ended = false;

  constructor(private readonly next: () => Uint8Array | null) {}

  /** One raw byte of the stream (bits already buffered are not involved). */
  byte(): number {
    while (this.at >= this.chunk.length) {
      const more = this.next();
      if (more === null) {
        if (this.ended) throw new LzxInputError('the compressed data ends too early');
        this.ended = true;
        this.chunk = new Uint8Array(2);
      } else {
        this.chunk = more;
      }
      this.at = 0;
    }
    return this.chunk[this.at++]!;
  }

  /** Make at least `n` (≤ 17) bits available. */
  ensure(n: number): void {
    while (this.left < n) {
      const lo = this.byte();
      const hi = this.byte();
      this.buf = (this.buf | (((hi << 8) | lo) << (16 - this.left))) >>> 0;
      this.left += 16;
    }
  }

  /** The next `n` (1..16) bits, without consuming them; ensure() first. */
  peek(n: number): number {
    return this.buf >>> (32 - n);
  }

  remove(n: number): void {
    this.buf = (this.buf << n) >>> 0;
    this.left -= n;
  }

  read(n: number): number {
    if (n === 0) return 0;
    this.ensure(n);
    const v = this.peek(n);
    this.remove(n);
    return v;
  }

  /** Bits still buffered. */
  get bitsLeft(): number {
    return this.left;
  }

  /** Drop the buffered bits (uncompressed blocks continue at the next raw byte). */
  dropBits(): void {
    this.buf = 0;
    this.left = 0;
  }

  /** Skip to the next 16-bit boundary of the stream (the end of an LZX frame). */
  alignToWord(): void {
    if (this.left > 0) this.ensure(16);
    const extra = this.left & 15;
    if (extra) this.remove(extra);
  }

  /** Copy `n` raw bytes into `dst` at `at` (uncompressed block contents). */
  copyRaw(dst: Uint8Array, at: number, n: number): void {
    let done = 0;
    while (done < n) {
      if (this.at >= this.chunk.length) {
        dst[at + done++] = this.byte();
        continue;
      }
      const take = Math.min(n - done, this.chunk.length - this.at);
      dst.set(this.chunk.subarray(this.at, this.at + take), at + done);
      this.at += take;
      done += take;
    }
  }
}
