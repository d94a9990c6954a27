/**
 * Facts about kernel files outside the tool's slots (WSL's own `tools\kernel`, the one a
 * `.wslconfig` names, the store boot path), remembered by file identity (docs/design.md §4):
 * `status` on store WSL would otherwise hash the same files on every call.
 *
 * They live in the slots' facts cache (`facts-cache.json`, state/slots.ts) under `file:<path>`
 * keys: size, mtime, file id, sha256 and header. An entry is used only while the file's size,
 * mtime and id are unchanged, so a replaced or rewritten file is read again; a damaged entry is
 * ignored, and writing is best effort (read-only commands write it without the lock).
 */
import { inspectKernel, type KernelHeader } from '../kernel/kernel-image';
import { writeFileAtomic } from '../machine/atomic-write';
import { readRegularFile, READ_LIMITS } from '../machine/bounded-read';
import type { FileStat } from '../machine/fs-port';
import type { Machine } from '../machine/machine';
import { statePaths } from './paths';

interface Entry {
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
  header: KernelHeader;
}

/** Enough for WSL's kernel, each user's kernel= and the boot path; older entries go first. */
const MAX_ENTRIES = 16;
const PREFIX = 'file:';

function isEntry(e: unknown): e is Entry {
  if (!e || typeof e !== 'object') return false;
  const x = e as Record<string, unknown>;
  const h = x.header as Record<string, unknown> | null | undefined;
  return (
    typeof x.size === 'number' &&
    typeof x.mtimeMs === 'number' &&
    typeof x.ino === 'number' &&
    typeof x.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(x.sha256) &&
    !!h &&
    typeof h.arch === 'string' &&
    typeof h.release === 'string' &&
    typeof h.version === 'string'
  );
}

/** The whole cache (the slots' entries are kept as they are). */
async function load(machine: Machine): Promise<Record<string, unknown>> {
  try {
    const data = JSON.parse((await readRegularFile(machine.fs, statePaths(machine).cache, { code: 'invalid-machine', what: 'The facts cache', maxBytes: READ_LIMITS.json })).toString('utf8')) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The header and hash of the kernel file at `path` (its `stat` given), from the cache when the
 * file is unchanged, else by reading it (throws as inspectKernel does: `not-a-kernel`, ENOENT).
 */
export async function inspectKernelCached(machine: Machine, path: string, stat: FileStat): Promise<{ header: KernelHeader; sha256: string; size: number }> {
  const cache = await load(machine);
  const hit = cache[PREFIX + path];
  // ino 0: a file system without file ids, where identity cannot be told.
  if (isEntry(hit) && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs && hit.ino === stat.ino && stat.ino !== 0) return { header: hit.header, sha256: hit.sha256, size: hit.size };
  const { header, sha256, size } = await inspectKernel(machine.fs, path);
  // Remembered only if the file did not change while it was read.
  const after = await machine.fs.stat(path);
  if (after && after.size === stat.size && after.mtimeMs === stat.mtimeMs && after.ino === stat.ino && size === stat.size) {
    const entries = Object.entries(cache);
    const files = entries.filter(([k]) => k.startsWith(PREFIX) && k !== PREFIX + path).slice(-(MAX_ENTRIES - 1));
    const next = Object.fromEntries([...entries.filter(([k]) => !k.startsWith(PREFIX)), ...files, [PREFIX + path, { size, mtimeMs: stat.mtimeMs, ino: stat.ino, sha256, header: { arch: header.arch, release: header.release, version: header.version } }]]);
    try {
      await machine.fs.mkdir(machine.stateDir);
      await writeFileAtomic(machine.fs, statePaths(machine).cache, Buffer.from(JSON.stringify(next)), undefined, { durable: false });
    } catch {
      /* a read-only state folder: the next call reads the file again */
    }
  }
  return { header, sha256, size };
}
