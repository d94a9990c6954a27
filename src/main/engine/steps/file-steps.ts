/**
 * The file steps operations are built from. Each one is durable when it returns: data flushed
 * before a rename, the folder flushed after it (docs/design.md §6 invariant 4).
 */
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import { failpoint } from '../machine/failpoints';
import { timed } from '../machine/timing';
import { mapFsError } from '../machine/fs-errors';
import type { Fs } from '../machine/fs-port';
import { hashFile } from '../kernel/kernel-image';
import { READ_LIMITS, openRegularFile } from '../machine/bounded-read';

const CHUNK = 1024 * 1024;

export function newOperationId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export interface CopyProgress {
  (done: number, total: number): void;
}

/**
 * Copy `src` to a new file `dest` (which must not exist), flush it, then re-read and hash it.
 * Returns the hash of what is on disk, so the caller compares it with the expected one.
 */
export function copyDurable(
  fs: Fs,
  src: string,
  dest: string,
  opts: { onProgress?: CopyProgress; signal?: AbortSignal; failpointPrefix?: string } = {},
): Promise<string> {
  return timed('kernel.copy-flush-verify', () => copyDurableUntimed(fs, src, dest, opts));
}

async function copyDurableUntimed(
  fs: Fs,
  src: string,
  dest: string,
  opts: { onProgress?: CopyProgress; signal?: AbortSignal; failpointPrefix?: string },
): Promise<string> {
  const { handle: input, stat: srcStat } = await openRegularFile(fs, src, { code: 'not-a-kernel', what: 'The file to copy', maxBytes: READ_LIMITS.kernel }).catch((err) => {
    throw mapFsError(err, `opening ${src}`);
  });
  try {
    const total = srcStat.size;
    const output = await fs.open(dest, 'wx').catch((err) => {
      throw mapFsError(err, `creating ${dest}`);
    });
    try {
      const buf = Buffer.allocUnsafe(CHUNK);
      let done = 0;
      for (;;) {
        if (opts.signal?.aborted) throw new KernelSetupError('cancelled');
        const n = await input.read(buf, 0, CHUNK, done);
        if (n === 0) break;
        let written = 0;
        while (written < n) written += await output.write(buf, written, n - written, done + written);
        done += n;
        opts.onProgress?.(done, total);
        if (opts.failpointPrefix && done === n) failpoint(`${opts.failpointPrefix}.copying`);
      }
      // Flush before anything may be renamed onto it (invariant 4).
      await output.sync();
    } catch (err) {
      throw mapFsError(err, `writing ${basename(dest)}`);
    } finally {
      await output.close().catch(() => undefined);
    }
  } finally {
    await input.close().catch(() => undefined);
  }
  if (opts.failpointPrefix) failpoint(`${opts.failpointPrefix}.flushed`);
  return hashFile(fs, dest).catch((err) => {
    throw mapFsError(err, `reading back ${basename(dest)}`);
  });
}

export async function syncDir(fs: Fs, dir: string): Promise<void> {
  try {
    await fs.syncDir(dir);
  } catch (err) {
    throw mapFsError(err, `flushing ${dir}`);
  }
}

export async function removeIfExists(fs: Fs, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw mapFsError(err, `removing ${basename(path)}`);
  }
}

/** Remove this tool's temp files (`.wslk-*`) from the tools folder; returns the names removed. */
export async function removeTemps(fs: Fs, toolsDir: string, names?: string[]): Promise<string[]> {
  let entries: string[];
  try {
    entries = names ?? (await fs.readdir(toolsDir)).filter((n) => n.startsWith('.wslk-'));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of entries) {
    if (!/^\.wslk-[a-z0-9.-]+$/.test(name)) continue;
    const p = join(toolsDir, name);
    if (await fs.stat(p)) {
      await removeIfExists(fs, p);
      removed.push(name);
    }
  }
  if (removed.length) await syncDir(fs, toolsDir);
  return removed;
}
