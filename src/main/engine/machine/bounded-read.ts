/**
 * Reading a file that comes from outside the tool (a payload, its manifest, an MSI, a `.reg` or
 * `.json` file of a machine folder, a `.wslconfig`): only a regular file, only up to a size limit
 * (docs/design.md, "Files read from outside").
 *
 * The checks are made on the open handle (fstat), not on the path, so nothing can be swapped in
 * between; the port opens for reading without blocking, so a FIFO cannot hang the process while
 * it holds the operation lock, and a device such as /dev/zero is refused before a byte is read.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';
import type { FileHandle, FileStat, Fs } from './fs-port';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Size limits by kind of file: far above any real file of the kind, far below a memory problem. */
export const READ_LIMITS = {
  /** A payload's manifest.json. */
  manifest: 64 * KiB,
  /** A kernel image (WSL kernels are 10–80 MiB; a debug build a few hundred). */
  kernel: 1024 * MiB,
  /** A wsl_update MSI (about 17 MiB). */
  msi: 512 * MiB,
  /** A sandbox's machine.reg. */
  registry: 64 * MiB,
  /** Small JSON files: machine.json, the tool's state, journal, lock and caches. */
  json: 16 * MiB,
  /** The history (one line per operation). */
  history: 64 * MiB,
  /** A .wslconfig file. */
  wslconfig: 1 * MiB,
} as const;

export interface ReadRule {
  /** The error code a refused file is reported with (e.g. `not-a-kernel`, `invalid-machine`). */
  code: ErrorCode;
  /** What the file is, for the message: "the payload", "machine.reg". */
  what: string;
  maxBytes: number;
}

/** Why `stat` is not an acceptable file, or null when it is. */
export function refusal(stat: FileStat, maxBytes: number): string | null {
  if (stat.isDirectory) return 'it is a folder, not a file';
  if (!stat.isFile) return 'it is not a regular file (a device, a pipe or a socket)';
  if (stat.size > maxBytes) return `it is ${stat.size} bytes, more than the ${maxBytes} bytes allowed for it`;
  return null;
}

function refuse(path: string, rule: ReadRule, why: string): KernelSetupError {
  return new KernelSetupError(rule.code, `${rule.what} (${path}) cannot be used: ${why}.`, { path, reason: why });
}

/**
 * Open `path` for reading after checking, on the handle, that it is a regular file within the
 * limit. A missing file rejects with the system's ENOENT error unchanged.
 */
export async function openRegularFile(fs: Fs, path: string, rule: ReadRule): Promise<{ handle: FileHandle; stat: FileStat }> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw refuse(path, rule, 'it is a folder, not a file');
    if (code === 'ENXIO' || code === 'EAGAIN' || code === 'EWOULDBLOCK') throw refuse(path, rule, 'it is not a regular file (a device, a pipe or a socket)');
    throw err;
  }
  try {
    const stat = await handle.stat();
    const why = refusal(stat, rule.maxBytes);
    if (why) throw refuse(path, rule, why);
    return { handle, stat };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

/** Read a whole regular file of at most `rule.maxBytes` (never more, even if it grows meanwhile). */
export async function readRegularFile(fs: Fs, path: string, rule: ReadRule): Promise<Buffer> {
  const { handle, stat } = await openRegularFile(fs, path, rule);
  try {
    const buf = Buffer.alloc(Math.min(stat.size, rule.maxBytes) + 1);
    let done = 0;
    while (done < buf.length) {
      const n = await handle.read(buf, done, buf.length - done, done);
      if (n <= 0) break;
      done += n;
    }
    if (done > rule.maxBytes) throw refuse(path, rule, `it grew past the ${rule.maxBytes} bytes allowed for it while being read`);
    return buf.subarray(0, done);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** readRegularFile, with a missing file as null. */
export async function readRegularFileIfExists(fs: Fs, path: string, rule: ReadRule): Promise<Buffer | null> {
  try {
    return await readRegularFile(fs, path, rule);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}
