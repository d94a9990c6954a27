/**
 * Bounds check of a compound file before `cfb.parse` sees it.
 *
 * cfb 1.2.2 trusts its input in three places where a damaged file makes it loop for ever or
 * allocate without limit: following a FAT chain for a large stream (no cycle check), resolving
 * the directory tree into paths (a cyclic tree grows its work queue and path strings without
 * end), and re-reading overlapping sector chains. This module walks the same structures with
 * the same rules as cfb's `parse`, but with budgets, and refuses the file when a budget runs out.
 * Everything else cfb does on a bad file is to throw, which the caller turns into `invalid-msi`.
 */
import { invalidMsi } from './fail';

const SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const ENDOFCHAIN = -2;
const FREESECT = -1;
const NOSTREAM = -1;
const MINI_CUTOFF = 4096;
/** More directory entries than a kernel package has; keeps cfb's path resolution cheap. */
export const MAX_DIRECTORY_ENTRIES = 1024;

interface DirEntry {
  type: number;
  L: number;
  R: number;
  C: number;
  start: number;
  size: number;
}

/** Throw invalid-msi unless `cfb.parse(file)` is guaranteed to finish with bounded work. */
export function assertCompoundFileBounded(file: Buffer): void {
  if (file.length < 512) throw invalidMsi(`the file is only ${file.length} bytes, too short for a compound file`);
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw invalidMsi('it is not a compound file (wrong signature)');
  const major = file.readUInt16LE(26);
  const ssz = major === 3 ? 512 : major === 4 ? 4096 : 0;
  if (ssz === 0) throw invalidMsi(`unknown compound-file version ${major}`);
  if (file.length < ssz) throw invalidMsi('the compound-file header is truncated');

  const nsectors = Math.ceil(file.length / ssz) - 1;
  const sector = (i: number): Buffer | undefined =>
    Number.isInteger(i) && i >= 0 && i < nsectors ? file.subarray((i + 1) * ssz, (i + 2) * ssz) : undefined;

  // FAT sector locations: the header's 109 slots, then the DIFAT chain (cfb's sleuth_fat).
  const fatAddrs: number[] = [];
  for (let j = 0; j < 109; j++) {
    const q = file.readInt32LE(76 + j * 4);
    if (q < 0) break;
    fatAddrs.push(q);
  }
  let difat = file.readInt32LE(68);
  let difatCount = file.readInt32LE(72);
  // A DIFAT sector lists 127 FAT sectors of 128 (or 1024) entries: more than the file can need is damage.
  const difatNeeded = Math.ceil(nsectors / (ssz / 4) / (ssz / 4 - 1)) + 1;
  if (difatCount < 0 || difatCount > difatNeeded) throw invalidMsi('the DIFAT sector count is out of range');
  const seenDifat = new Set<number>();
  while (difat !== ENDOFCHAIN && difat !== FREESECT) {
    const s = sector(difat);
    if (!s) break;
    if (seenDifat.has(difat)) throw invalidMsi('the DIFAT chain loops');
    seenDifat.add(difat);
    for (let i = 0; i < (ssz >>> 2) - 1; i++) {
      const q = s.readInt32LE(i * 4);
      if (q === ENDOFCHAIN) break;
      fatAddrs.push(q);
    }
    if (difatCount < 1) break;
    difatCount--;
    difat = s.readInt32LE(ssz - 4);
  }

  /** Next sector after j, or null where cfb stops walking (mirrors get_sector_list). */
  const next = (j: number): number | null => {
    const fat = sector(fatAddrs[Math.floor((j * 4) / ssz)] ?? -1);
    return fat ? fat.readInt32LE((j * 4) & (ssz - 1)) : null;
  };
  /** Length of the chain from start, refusing a chain longer than the file (a cycle). */
  const chainLength = (start: number, what: string): number => {
    let n = 0;
    for (let j: number | null = start; j !== null && j >= 0; j = next(j)) {
      if (!sector(j)) throw invalidMsi(`the sector chain of ${what} points outside the file`);
      if (++n > nsectors) throw invalidMsi(`the sector chain of ${what} loops`);
    }
    return n;
  };

  const dirStart = file.readInt32LE(48);
  const dirSectors = chainLength(dirStart, 'the directory');
  if (dirSectors * (ssz / 128) > MAX_DIRECTORY_ENTRIES) throw invalidMsi('the directory has too many entries');

  // The directory entries, in the order cfb reads them (it stops a chain at a repeated sector).
  const entries: DirEntry[] = [];
  const seen = new Set<number>();
  for (let j: number | null = dirStart; j !== null && j >= 0 && !seen.has(j); j = next(j)) {
    seen.add(j);
    const s = sector(j);
    if (!s) throw invalidMsi('the directory points outside the file');
    for (let off = 0; off + 128 <= s.length; off += 128) {
      entries.push({
        type: s.readUInt8(off + 66),
        L: s.readInt32LE(off + 68),
        R: s.readInt32LE(off + 72),
        C: s.readInt32LE(off + 76),
        start: s.readInt32LE(off + 116),
        size: s.readInt32LE(off + 120),
      });
    }
  }
  if (entries.length === 0) throw invalidMsi('the directory is empty');

  // Large streams: cfb follows each chain without a cycle check and copies it.
  let copied = 0;
  const walked = new Set<number>();
  for (const e of entries) {
    if (e.type === 5 || e.size < MINI_CUTOFF || walked.has(e.start)) continue;
    walked.add(e.start);
    copied += chainLength(e.start, 'a stream');
    if (copied > 2 * nsectors + 16) throw invalidMsi('streams overlap each other');
  }

  assertPathsBounded(entries);
}

/** Replays cfb's build_full_paths with budgets: the work queue and each parent walk. */
function assertPathsBounded(fi: DirEntry[]): void {
  const pl = fi.length;
  const dad: (number | undefined)[] = [];
  const q: number[] = [];
  const lastIndex = new Map<number, number>();
  for (let i = 0; i < pl; i++) {
    dad[i] = i;
    q[i] = i;
    lastIndex.set(i, i);
  }
  // cfb re-queues an entry once per visit of its parent, so a balanced tree (depth ≤ 2·log2 n)
  // stays within this; a cyclic or degenerate one does not. cfb's cost is quadratic in the queue.
  const budget = pl * (2 * Math.ceil(Math.log2(pl + 1)) + 2) + 64;
  const at = (k: number | undefined): number | undefined => (k === undefined ? undefined : dad[k]);
  const enqueue = (k: number, j: number): void => {
    if ((lastIndex.get(k) ?? -1) < j) {
      lastIndex.set(k, q.length);
      q.push(k);
      if (q.length > budget) throw invalidMsi('the directory tree is not a tree');
    }
  };
  for (let j = 0; j < q.length; j++) {
    const i = q[j]!;
    const e = fi[i];
    if (!e) throw invalidMsi('the directory tree points outside the directory');
    if (dad[i] === i) {
      if (e.L !== NOSTREAM && at(e.L) !== e.L) dad[i] = at(e.L);
      if (e.R !== NOSTREAM && at(e.R) !== e.R) dad[i] = at(e.R);
    }
    if (e.C !== NOSTREAM) dad[e.C] = i;
    if (e.L !== NOSTREAM && i !== dad[i]) {
      dad[e.L] = dad[i];
      enqueue(e.L, j);
    }
    if (e.R !== NOSTREAM && i !== dad[i]) {
      dad[e.R] = dad[i];
      enqueue(e.R, j);
    }
  }
  // cfb's second pass only reassigns parents from known entries; the walk below bounds the third.
  const last = fi[q[q.length - 1] ?? 0]!;
  for (let i = 1; i < pl; i++) {
    if (dad[i] !== i) continue;
    if (last.R !== NOSTREAM && at(last.R) !== last.R) dad[i] = at(last.R);
    else if (last.L !== NOSTREAM && at(last.L) !== last.L) dad[i] = at(last.L);
  }
  for (let i = 1; i < pl; i++) {
    if (fi[i]!.type === 0) continue;
    let j: number | undefined = i;
    let steps = 0;
    if (j !== dad[j]) {
      do {
        j = at(j);
        if (++steps > pl) throw invalidMsi('the directory tree has a cycle');
      } while (j !== 0 && at(j) !== -1 && j !== at(j));
    }
    dad[i] = -1;
  }
}
