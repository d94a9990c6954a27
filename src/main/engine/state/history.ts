/**
 * The operation history (`history.jsonl`, one JSON object a line, newest last): informative, not
 * part of the crash-safety state (docs/design.md §6), so appends are not flushed and a torn line
 * left by a crash is skipped when read.
 *
 * Reading costs the same for ten entries and for two hundred thousand: the file is read backwards
 * in blocks from its end until enough entries were found. Its size is bounded: when the operation
 * lock holder finds history.jsonl past HISTORY_MAX_BYTES it renames it over `history.1.jsonl`
 * (one atomic rename: after a kill or a power loss either name holds a whole history), and a
 * history.1.jsonl far past the bound (a history from before the bound) is cut to its newest part.
 */
import * as z from 'zod/mini';
import type { HistoryEntry } from '../../../shared/types';
import { writeFileAtomic } from '../machine/atomic-write';
import { openRegularFile } from '../machine/bounded-read';
import { failpoint } from '../machine/failpoints';
import type { FileHandle, Fs } from '../machine/fs-port';
import type { Machine } from '../machine/machine';
import { timed } from '../machine/timing';
import { statePaths } from './paths';

/**
 * history.jsonl is moved aside past this size (about 4,000 entries): the two files together always
 * hold at least this much of the newest history, far more than a reader asks for (at most 1,000).
 */
export const HISTORY_MAX_BYTES = 1024 * 1024;
/** Blocks read backwards from the end. */
const BLOCK = 64 * 1024;
/** A longer line is not an entry the tool wrote: it is skipped without being held in memory. */
const MAX_LINE = 256 * 1024;
const LF = 0x0a;

const historySchema = z.object({
  id: z.string(),
  op: z.string(),
  at: z.string(),
  ok: z.boolean(),
  code: z.nullable(z.string()),
  message: z.string(),
});

function parseLine(line: Buffer): HistoryEntry | null {
  const text = line.toString('utf8').trim();
  if (!text) return null;
  try {
    const obj = JSON.parse(text) as unknown;
    return historySchema.safeParse(obj).success ? (obj as HistoryEntry) : null;
  } catch {
    return null; // a torn line after a crash
  }
}

async function readAt(handle: FileHandle, buf: Buffer, position: number): Promise<number> {
  let done = 0;
  while (done < buf.length) {
    const n = await handle.read(buf, done, buf.length - done, position + done);
    if (n <= 0) break;
    done += n;
  }
  return done;
}

/**
 * Up to `limit` entries from the end of `path`, newest first, reading blocks backwards; a missing
 * or unreadable file (not a regular file) has none. Unparsable lines are skipped.
 */
export async function tailEntries(fs: Fs, path: string, limit: number): Promise<HistoryEntry[]> {
  let opened;
  try {
    // Any size: only the tail is read.
    opened = await openRegularFile(fs, path, { code: 'invalid-machine', what: 'The history', maxBytes: Number.MAX_SAFE_INTEGER });
  } catch {
    return [];
  }
  const { handle, stat } = opened;
  const out: HistoryEntry[] = [];
  try {
    let pos = stat.size;
    let carry = Buffer.alloc(0); // the start of a line whose beginning is further back
    let skipNext = false; // the line that ends at the next newline was too long to hold
    const take = (line: Buffer) => {
      const e = parseLine(line);
      if (e) out.push(e);
    };
    while (pos > 0 && out.length < limit) {
      const n = Math.min(BLOCK, pos);
      pos -= n;
      const block = Buffer.allocUnsafe(n);
      const got = await readAt(handle, block, pos);
      const chunk = Buffer.concat([block.subarray(0, got), carry]);
      let end = chunk.length;
      for (let i = got - 1; i >= 0 && out.length < limit; i--) {
        if (chunk[i] !== LF) continue;
        if (skipNext) skipNext = false;
        else take(chunk.subarray(i + 1, end));
        end = i;
      }
      carry = chunk.subarray(0, end);
      if (carry.length > MAX_LINE) {
        carry = Buffer.alloc(0);
        skipNext = true;
      }
    }
    if (pos === 0 && out.length < limit && !skipNext) take(carry);
  } finally {
    await handle.close().catch(() => undefined);
  }
  return out.slice(0, limit);
}

/** The last `limit` history entries, newest last; unreadable lines are skipped. */
export function readHistory(machine: Machine, limit = 200): Promise<HistoryEntry[]> {
  return timed('state.history-read', async () => {
    const want = Math.max(1, Math.floor(limit));
    const paths = statePaths(machine);
    const recent = await tailEntries(machine.fs, paths.history, want);
    const older = recent.length < want ? await tailEntries(machine.fs, paths.historyOld, want - recent.length) : [];
    return [...recent, ...older].reverse();
  });
}

export interface AppendOptions {
  /** The caller holds the operation lock, so it may move a grown history aside (one rotator at a time). */
  rotate?: boolean;
  /** The bound (tests use a small one). */
  maxBytes?: number;
}

/**
 * Append one line to the history. History is informative: it is not flushed, and a failure to
 * write it never fails an operation.
 */
export function appendHistory(machine: Machine, entry: HistoryEntry, opts: AppendOptions = {}): Promise<void> {
  return timed('state.history-append', async () => {
    const paths = statePaths(machine);
    try {
      await machine.fs.mkdir(paths.dir);
      // Opening a FIFO for appending would wait for a reader forever: only a regular file (or none).
      const existing = await machine.fs.stat(paths.history);
      if (existing && !existing.isFile) return;
      // A line torn by a crash would swallow this one: start on a line of its own.
      const torn = existing && existing.size > 0 && !(await endsWithNewline(machine.fs, paths.history, existing.size));
      const line = Buffer.from(`${torn ? '\n' : ''}${JSON.stringify(entry)}\n`);
      const handle = await machine.fs.open(paths.history, 'a');
      try {
        await handle.write(line, 0, line.length, null);
      } finally {
        await handle.close();
      }
      const max = opts.maxBytes ?? HISTORY_MAX_BYTES;
      if (opts.rotate && (existing?.size ?? 0) + line.length > max) await rotateHistory(machine, max);
    } catch {
      /* history is best effort */
    }
  });
}

async function endsWithNewline(fs: Fs, path: string, size: number): Promise<boolean> {
  const handle = await fs.open(path, 'r');
  try {
    const b = Buffer.alloc(1);
    return (await handle.read(b, 0, 1, size - 1)) === 1 && b[0] === LF;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Move history.jsonl over history.1.jsonl (the older history before it is dropped), then cut a
 * history.1.jsonl far past the bound down to its newest `maxBytes`. Call with the operation lock
 * held: two rotators at once could move a fresh history.jsonl over a full history.1.jsonl.
 * Failpoints `history.rotated`, `history.compacted`.
 */
export async function rotateHistory(machine: Machine, maxBytes = HISTORY_MAX_BYTES): Promise<void> {
  const paths = statePaths(machine);
  const current = await machine.fs.stat(paths.history);
  if (!current?.isFile || current.size <= maxBytes) return;
  // A line appended meanwhile by a process without the lock lands in the file it opened: kept.
  await machine.fs.rename(paths.history, paths.historyOld);
  failpoint('history.rotated');
  const old = await machine.fs.stat(paths.historyOld);
  if (!old?.isFile || old.size <= 2 * maxBytes) return;
  const tail = await newestBytes(machine.fs, paths.historyOld, maxBytes);
  await writeFileAtomic(machine.fs, paths.historyOld, tail);
  failpoint('history.compacted');
}

/** The last `maxBytes` of a file, from the start of a line. */
async function newestBytes(fs: Fs, path: string, maxBytes: number): Promise<Buffer> {
  const { handle, stat } = await openRegularFile(fs, path, { code: 'invalid-machine', what: 'The history', maxBytes: Number.MAX_SAFE_INTEGER });
  try {
    const from = Math.max(0, stat.size - maxBytes);
    const buf = Buffer.allocUnsafe(stat.size - from);
    const got = await readAt(handle, buf, from);
    const data = buf.subarray(0, got);
    if (from === 0) return data;
    const nl = data.indexOf(LF);
    return nl < 0 ? Buffer.alloc(0) : data.subarray(nl + 1);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
