/** LZX constants (the cabinet LZX format; window sizes 2^15 to 2^21). */
export const FRAME_SIZE = 32768;
export const NUM_CHARS = 256;
export const MIN_MATCH = 2;
export const NUM_PRIMARY_LENGTHS = 7;
export const NUM_SECONDARY_LENGTHS = 249;
export const PRETREE_SYMBOLS = 20;
export const ALIGNED_SYMBOLS = 8;
/** Main tree symbols for the largest position-slot count (decoding tables are sized for it). */
export const MAINTREE_SYMBOLS = NUM_CHARS + 290 * 8;
export const LENGTH_SYMBOLS = NUM_SECONDARY_LENGTHS + 1;
/** Runs of code lengths may overrun their range by up to 50 entries. */
export const LENTABLE_SAFETY = 64;
export const MIN_WINDOW_BITS = 15;
export const MAX_WINDOW_BITS = 21;

/** Position slots per window size 2^15 .. 2^21. */
export const POSITION_SLOTS = [30, 32, 34, 36, 38, 42, 50] as const;

/** Extra offset bits per position slot: 0,0,0,0,1,1,2,2,… capped at 17. */
export const EXTRA_BITS = new Uint8Array(290);
/** First offset of each position slot. */
export const POSITION_BASE = new Uint32Array(290);
for (let i = 0; i < 290; i++) {
  EXTRA_BITS[i] = i < 4 ? 0 : i < 36 ? (i >> 1) - 1 : 17;
  if (i > 0) POSITION_BASE[i] = POSITION_BASE[i - 1]! + (1 << EXTRA_BITS[i - 1]!);
}
