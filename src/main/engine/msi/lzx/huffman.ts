/**
 * Canonical Huffman decoding for LZX (MSB-first codes of at most 16 bits).
 *
 * Codes are assigned as LZX specifies: shorter codes first, and within one length in symbol order.
 * A table indexed by the next `tableBits` bits decodes short codes in one step; longer codes are
 * resolved from the per-length first codes, so building a table costs 2^tableBits, whatever the
 * code lengths say (a hostile stream cannot make table building slow).
 */
import { LzxFormatError, type BitReader } from './bit-reader';

export const MAX_CODE_BITS = 16;

export class HuffmanTable {
  /** Code length of each symbol; 0 = unused. Sized beyond `symbols` for run overruns. */
  readonly lens: Uint8Array;
  private readonly table: Uint32Array;
  private readonly sorted: Uint16Array;
  private readonly count = new Uint16Array(MAX_CODE_BITS + 1);
  private readonly firstCode = new Int32Array(MAX_CODE_BITS + 1);
  private readonly firstIndex = new Int32Array(MAX_CODE_BITS + 1);
  /** True when every code length is 0 (allowed only for the length tree). */
  empty = true;

  constructor(
    readonly symbols: number,
    private readonly tableBits: number,
    safety = 0,
  ) {
    this.lens = new Uint8Array(symbols + safety);
    this.table = new Uint32Array(1 << tableBits);
    this.sorted = new Uint16Array(symbols);
  }

  /**
   * Build the decoding table from `lens[0..symbols)`. Returns false when the code is over-full or
   * incomplete (as libmspack's make_decode_table does); an all-zero code sets `empty` and returns false.
   */
  build(): boolean {
    const { count, lens, symbols } = this;
    count.fill(0);
    for (let s = 0; s < symbols; s++) count[lens[s]!]!++;
    count[0] = 0;
    this.empty = count.every((c) => c === 0);
    if (this.empty) return false;
    // Kraft: the codes must fill the code space exactly.
    let left = 1;
    for (let len = 1; len <= MAX_CODE_BITS; len++) {
      left = left * 2 - count[len]!;
      if (left < 0) return false;
    }
    if (left !== 0) return false;
    let code = 0;
    let index = 0;
    for (let len = 1; len <= MAX_CODE_BITS; len++) {
      this.firstCode[len] = code;
      this.firstIndex[len] = index;
      index += count[len]!;
      code = (code + count[len]!) << 1;
    }
    const next = Int32Array.from(this.firstIndex);
    for (let s = 0; s < symbols; s++) {
      const len = lens[s]!;
      if (len > 0) this.sorted[next[len]!++] = s;
    }
    // Short codes: every table slot whose top bits are the code. Entry = symbol << 5 | length.
    const bits = this.tableBits;
    this.table.fill(0);
    for (let len = 1; len <= bits; len++) {
      for (let k = 0; k < count[len]!; k++) {
        const sym = this.sorted[this.firstIndex[len]! + k]!;
        const start = (this.firstCode[len]! + k) << (bits - len);
        this.table.fill((sym << 5) | len, start, start + (1 << (bits - len)));
      }
    }
    return true;
  }

  /** Decode one symbol. The table must have been built successfully. */
  decode(br: BitReader): number {
    br.ensure(MAX_CODE_BITS);
    const peek = br.peek(MAX_CODE_BITS);
    const entry = this.table[peek >>> (MAX_CODE_BITS - this.tableBits)]!;
    if (entry !== 0) {
      br.remove(entry & 31);
      return entry >>> 5;
    }
    for (let len = this.tableBits + 1; len <= MAX_CODE_BITS; len++) {
      const offset = (peek >>> (MAX_CODE_BITS - len)) - this.firstCode[len]!;
      if (offset >= 0 && offset < this.count[len]!) {
        br.remove(len);
        return this.sorted[this.firstIndex[len]! + offset]!;
      }
    }
    // Unreachable for a complete code; kept so a logic error cannot loop.
    throw new LzxFormatError('no Huffman code matches');
  }
}
