/**
 * LZX code lengths: each range of a tree's lengths is sent as deltas against the previous
 * block's, coded with a 20-symbol pre-tree whose lengths come first in 4 bits each.
 */
import { LzxFormatError, type BitReader } from './bit-reader';
import { HuffmanTable } from './huffman';
import { PRETREE_SYMBOLS } from './tables';

export { LzxFormatError } from './bit-reader';

const pretree = (): HuffmanTable => new HuffmanTable(PRETREE_SYMBOLS, 6);

/** Update `lens[first..last)` in place (runs may write past `last`, into the table's safety room). */
export function readLengths(br: BitReader, lens: Uint8Array, first: number, last: number, pre: HuffmanTable = pretree()): void {
  for (let i = 0; i < PRETREE_SYMBOLS; i++) pre.lens[i] = br.read(4);
  if (!pre.build()) throw new LzxFormatError('a pre-tree is not a valid Huffman code');
  let x = first;
  while (x < last) {
    const code = pre.decode(br);
    if (code === 17) {
      for (let n = br.read(4) + 4; n > 0; n--) lens[x++] = 0;
    } else if (code === 18) {
      for (let n = br.read(5) + 20; n > 0; n--) lens[x++] = 0;
    } else if (code === 19) {
      let n = br.read(1) + 4;
      const z = pre.decode(br);
      let v = lens[x]! - z;
      if (v < 0) v += 17;
      while (n-- > 0) lens[x++] = v;
    } else {
      let v = lens[x]! - code;
      if (v < 0) v += 17;
      lens[x++] = v;
    }
  }
}
