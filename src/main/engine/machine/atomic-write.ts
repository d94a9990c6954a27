/**
 * Replacing a file so that, after a crash or power loss at any instant, it holds either the old
 * contents or the new ones in full — never a mix, never a truncated file (docs/design.md §6, invariant 3).
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { failpoint } from './failpoints';
import type { FileHandle, Fs } from './fs-port';

/** Errors Windows gives while another program holds the target open. */
const HELD_OPEN = new Set(['EBUSY', 'EPERM', 'EACCES', 'ETXTBSY']);

/**
 * Rename, retrying with a bounded backoff while the target is held open: on Windows a scanner or
 * indexer holding state.json or journal.json for a moment makes MoveFileEx fail with EBUSY/EPERM,
 * and an operation must not fail for that. The last error is thrown as it came.
 */
async function renameRetrying(fs: Fs, from: string, to: string): Promise<void> {
  for (const delay of [25, 50, 100, 200, 400, 800, -1]) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      if (delay < 0 || !HELD_OPEN.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * Atomically replaces `target` with `data` through the Fs port.
 *
 * Failpoints (when `failpointPrefix` is given): `<prefix>.after-temp` (the temp file is durable,
 * the target untouched) and `<prefix>.after-rename` (the target replaced, the folder not yet flushed).
 *
 * `durable: false` (the facts cache, a
 * pure optimisation checked against each file's identity) flushes nothing: after a power loss the
 * file is the old one, the new one, or unreadable, never a mix.
 */
export async function writeFileAtomic(
  fs: Fs,
  target: string,
  data: Uint8Array,
  failpointPrefix?: string,
  opts: { durable?: boolean } = {},
): Promise<void> {
  const durable = opts.durable !== false;
  const dir = path.dirname(target);
  // Same folder as the target: a rename is only atomic within one volume, and only a sibling is
  // guaranteed to be on the same one. The random part keeps two writers from sharing a temp file.
  const temp = path.join(dir, `${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | null = null;
  let created = false;
  let renamed = false;
  try {
    // 'wx': fail rather than write into a file someone else created under the same name.
    handle = await fs.open(temp, 'wx');
    created = true;
    let done = 0;
    while (done < data.length) {
      const n = await handle.write(data, done, data.length - done, done);
      if (n <= 0) throw new Error(`short write to ${temp}`);
      done += n;
    }
    // Flush the data before the rename: otherwise a power loss after the rename could leave the
    // target name pointing at a file whose blocks were never written (a zero-length or garbage file).
    if (durable) await handle.sync();
    const h = handle;
    handle = null;
    await h.close();
    if (failpointPrefix) failpoint(`${failpointPrefix}.after-temp`);
    // The switch itself: one directory operation, so readers see the old file or the new one.
    await renameRetrying(fs, temp, target);
    renamed = true;
    if (failpointPrefix) failpoint(`${failpointPrefix}.after-rename`);
    // Make the rename itself durable (POSIX needs the directory flushed; a no-op on Windows).
    if (durable) await fs.syncDir(dir);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    // A failed write must not leave litter beside the target. A temp we did not create is not
    // ours to remove; after the rename there is none. A failed directory flush is still reported:
    // the new contents are in place but may not survive a power loss.
    if (created && !renamed) await fs.unlink(temp).catch(() => undefined);
    throw err;
  }
}
