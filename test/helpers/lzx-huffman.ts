/** Huffman code lengths and LZX's delta coding of them, for the test LZX compressor. */

interface Bits {
  bits(value: number, count: number): void;
}

/** Length-limited, complete Huffman code for the given frequencies (at least two symbols get codes). */
export class HuffmanLengths {
  readonly lens: number[];
  private readonly codes: number[];

  constructor(freq: number[], limit: number) {
    const f = freq.slice();
    const used = f.filter((x) => x > 0).length;
    // A complete code needs two symbols: give unused ones a count until there are two.
    for (let i = 0; used + i < 2; i++) f[f.findIndex((x) => x === 0)] = 1;
    let lens = build(f);
    let scaled = f;
    while (Math.max(...lens) > limit) {
      scaled = scaled.map((x) => (x > 0 ? (x >> 1) | 1 : 0));
      lens = build(scaled);
    }
    this.lens = lens;
    // Canonical codes: by length, then symbol.
    this.codes = new Array<number>(lens.length).fill(0);
    let code = 0;
    for (let len = 1; len <= 16; len++) {
      for (let s = 0; s < lens.length; s++) if (lens[s] === len) this.codes[s] = code++;
      code <<= 1;
    }
  }

  write(w: Bits, sym: number): void {
    const len = this.lens[sym]!;
    if (!len) throw new Error(`symbol ${sym} has no code`);
    w.bits(this.codes[sym]!, len);
  }
}

function build(freq: number[]): number[] {
  type Node = { w: number; sym: number; l?: Node; r?: Node };
  const nodes: Node[] = freq.flatMap((w, sym) => (w > 0 ? [{ w, sym }] : []));
  while (nodes.length > 1) {
    nodes.sort((a, b) => a.w - b.w || a.sym - b.sym);
    const [a, b] = nodes.splice(0, 2) as [Node, Node];
    nodes.push({ w: a.w + b.w, sym: Math.min(a.sym, b.sym), l: a, r: b });
  }
  const lens = new Array<number>(freq.length).fill(0);
  const walk = (n: Node, depth: number): void => {
    if (!n.l) lens[n.sym] = Math.max(depth, 1);
    else {
      walk(n.l, depth + 1);
      walk(n.r!, depth + 1);
    }
  };
  walk(nodes[0]!, 0);
  return lens;
}

/**
 * Send `lens[first..last)` as deltas against `prev` (updated), with a pre-tree: runs of zeros use
 * codes 17 and 18, runs of one value code 19, the rest plain deltas.
 */
export function writeLengths(w: Bits, prev: Uint8Array, lens: number[], first: number, last: number): void {
  type Op = { code: number; bits?: [number, number]; then?: number };
  const ops: Op[] = [];
  for (let x = first; x < last; ) {
    let run = 1;
    while (x + run < last && lens[x + run] === lens[x]) run++;
    if (lens[x] === 0 && run >= 20) {
      const n = Math.min(run, 51);
      ops.push({ code: 18, bits: [n - 20, 5] });
      x += n;
    } else if (lens[x] === 0 && run >= 4) {
      const n = Math.min(run, 19);
      ops.push({ code: 17, bits: [n - 4, 4] });
      x += n;
    } else if (run >= 4) {
      const n = Math.min(run, 5);
      ops.push({ code: 19, bits: [n - 4, 1], then: (prev[x]! - lens[x]! + 17) % 17 });
      x += n;
    } else {
      ops.push({ code: (prev[x]! - lens[x]! + 17) % 17 });
      x++;
    }
  }
  const freq = new Array<number>(20).fill(0);
  for (const op of ops) {
    freq[op.code]!++;
    if (op.then !== undefined) freq[op.then]!++;
  }
  const pre = new HuffmanLengths(freq, 15);
  for (const l of pre.lens) w.bits(l, 4);
  for (const op of ops) {
    pre.write(w, op.code);
    if (op.bits) w.bits(op.bits[0], op.bits[1]);
    if (op.then !== undefined) pre.write(w, op.then);
  }
  for (let x = first; x < last; x++) prev[x] = lens[x]!;
}
