/**
 * File-system errors as product errors, and the rename every replacing step uses: it retries while
 * the target is held open for a moment.
 */
import { basename } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import type { Fs } from './fs-port';

/** Turn a Node file-system error into the most specific product error. */
export function mapFsError(err: unknown, what: string): KernelSetupError {
  if (err instanceof KernelSetupError) return err;
  const e = err as NodeJS.ErrnoException;
  const detail = `${what}: ${e?.message ?? String(err)}`;
  switch (e?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new KernelSetupError('insufficient-disk-space', `Not enough disk space (${detail}).`, { errno: e.code });
    case 'EBUSY':
    case 'ETXTBSY':
      return new KernelSetupError('file-locked', `A file is in use (${detail}).`, { errno: e.code });
    case 'EACCES':
    case 'EPERM':
      // Not `not-elevated`: that is the elevation check's answer. An elevated process is denied
      // too, by a file's permissions, a read-only or immutable attribute, or a security product.
      return new KernelSetupError('access-denied', `Access to ${e.path ?? what} was denied (${e.code}, ${what}).`, { errno: e.code, path: e.path ?? null });
    default:
      return new KernelSetupError('io-error', detail, { errno: e?.code ?? null });
  }
}

const LOCK_CODES = new Set(['EBUSY', 'EPERM', 'EACCES', 'ETXTBSY']);

/**
 * Rename over an existing file, retrying a bounded number of times when the target is held open.
 *
 * On Windows, antivirus scanners and WSL itself hold the kernel briefly; `fs.rename` is
 * MoveFileExW(MOVEFILE_REPLACE_EXISTING) with no retry, so transient EBUSY/EPERM are common.
 */
export async function renameWithRetry(fs: Fs, from: string, to: string, delays = [25, 50, 100, 200, 400, 800]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (!LOCK_CODES.has(code)) throw mapFsError(err, `renaming ${basename(from)} to ${basename(to)}`);
      const delay = delays[attempt];
      // Outside Windows a denial that outlasts the retries is a permission (or an immutable
      // file), not a program holding the file: say so, naming the file.
      if (delay === undefined && process.platform !== 'win32' && (code === 'EPERM' || code === 'EACCES')) {
        throw mapFsError(err, `renaming ${basename(from)} to ${basename(to)} after ${attempt + 1} attempts`);
      }
      if (delay === undefined) {
        throw new KernelSetupError(
          'file-locked',
          `${basename(to)} is in use by another program (${code} after ${attempt + 1} attempts).`,
          { errno: code, path: to },
        );
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
