/**
 * The one-operation lock (docs/design.md §6 invariant 5): a file created with O_EXCL in the state folder.
 * A lock left by a process that no longer exists is taken over.
 */
import { randomBytes } from 'node:crypto';
import { hostname, uptime } from 'node:os';
import { KernelSetupError } from '../../../shared/errors';
import { failpoint } from '../machine/failpoints';
import { timed } from '../machine/timing';
import type { Machine } from '../machine/machine';
import { statePaths } from './state-files';
import { renameWithRetry } from '../machine/fs-errors';
import { READ_LIMITS, readRegularFile } from '../machine/bounded-read';

interface LockOwner {
  pid: number;
  host: string;
  op: string;
  since: string;
  /** When this computer started (ms since the epoch), to tell a lock from before a reboot. */
  boot?: number;
  /** Names this acquisition, so this process can tell its own live locks from its own leftovers. */
  token?: string;
}

/** Tokens of the locks this process holds or is creating right now. */
const heldHere = new Set<string>();

/** Whether a pending lock file (`operation.lock.<pid>.<token>.new`) of this process is an acquisition in flight. */
export function pendingInFlight(token: string): boolean {
  return heldHere.has(token);
}

/** This computer's start time, in ms since the epoch (to the second). */
function bootTime(): number {
  return Math.round((Date.now() - uptime() * 1000) / 1000) * 1000;
}

/**
 * A lock recorded before this computer last started is stale whatever its pid says: after a power
 * loss the pid may belong to another process now, which would block every operation for as long
 * as that process runs. The margin absorbs clock adjustments.
 */
const REBOOT_MARGIN_MS = 10 * 60_000;

export interface HeldLock {
  release(): Promise<void>;
}

/** Whether process `pid` exists on this computer. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The owner a lock file names; null when torn or empty. Errors reading it are thrown (ENOENT: gone). */
async function readOwner(machine: Machine, path: string): Promise<LockOwner | null> {
  const raw = await readRegularFile(machine.fs, path, { code: 'invalid-machine', what: 'The operation lock', maxBytes: READ_LIMITS.json });
  try {
    const data = JSON.parse(raw.toString('utf8')) as LockOwner;
    return typeof data?.pid === 'number' ? data : null;
  } catch {
    return null; // torn or empty: the owner died while writing it
  }
}

/**
 * Move a stale lock aside, riding out a brief lock on the file (antivirus) with the bounded retry
 * of renames; 'gone' when another process took it over first. Any other failure is thrown (mapped):
 * retrying at once would spin for as long as it lasts.
 */
async function moveAside(machine: Machine, path: string, aside: string): Promise<'moved' | 'gone'> {
  try {
    await renameWithRetry(machine.fs, path, aside);
    return 'moved';
  } catch (err) {
    if (err instanceof KernelSetupError && err.details.errno === 'ENOENT') return 'gone';
    // Still held after the bounded retry: to the user this is an operation that has not let go.
    if (err instanceof KernelSetupError && (err.code === 'file-locked' || err.code === 'access-denied')) {
      throw new KernelSetupError('operation-in-progress', `The lock of an earlier operation cannot be taken over (${err.message})`, { path });
    }
    throw err;
  }
}

/** The file a lock is written to before it is linked into place: named by pid, so leftovers of dead processes can be swept. */
const pendingName = (path: string, token: string): string => `${path}.${process.pid}.${token}.new`;

/**
 * Create the lock with its content already on disk: the owner is written and flushed to a file of
 * this process's own, then hard-linked to the lock's name, which fails with EEXIST when the lock
 * exists. A process killed at any point leaves either no lock or a complete one, never an empty
 * lock that others must wait out (docs/design.md §6); a pending file it leaves is removed with the
 * other leftovers (leftovers.ts).
 */
async function tryCreate(machine: Machine, path: string, owner: LockOwner): Promise<boolean> {
  const pending = pendingName(path, owner.token!);
  // 'w', not 'wx': the name is this acquisition's own, and a retry after a failed removal reuses it.
  const handle = await machine.fs.open(pending, 'w');
  try {
    const data = Buffer.from(JSON.stringify(owner));
    await handle.write(data, 0, data.length, 0);
    await handle.sync();
    await handle.close();
    failpoint('lock.written');
    try {
      await machine.fs.link(pending, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    return true;
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  } finally {
    await machine.fs.unlink(pending).catch(() => undefined);
  }
}

/** A lock is stale when its owner is gone; a lock from another host (shared state folder) never is. */
function isStale(owner: LockOwner | null, ageMs: number): boolean {
  if (owner === null) return ageMs > 5_000; // unreadable: give a writer time to finish writing it
  if (owner.host !== hostname()) return false;
  if (typeof owner.boot === 'number' && Math.abs(bootTime() - owner.boot) > REBOOT_MARGIN_MS) return true;
  // Our own pid: live only if this process still holds it (a release whose unlink failed, or an
  // operation cut short in-process, must not lock a long-running app out for the rest of its life).
  if (owner.pid === process.pid) return !(owner.token && heldHere.has(owner.token));
  return !alive(owner.pid);
}

/**
 * Take the lock, or throw operation-in-progress naming the running operation.
 * With waitMs > 0, poll until the lock frees or the time runs out.
 */
export function acquireLock(machine: Machine, op: string, waitMs = 0): Promise<HeldLock> {
  return timed('state.lock-acquire', () => acquire(machine, op, waitMs));
}

async function acquire(machine: Machine, op: string, waitMs: number): Promise<HeldLock> {
  const path = statePaths(machine).lock;
  await machine.fs.mkdir(statePaths(machine).dir);
  const token = randomBytes(8).toString('hex');
  const owner: LockOwner = { pid: process.pid, host: hostname(), op, since: new Date().toISOString(), boot: bootTime(), token };
  // Registered before the file exists, so another acquirer in this process never sees it as a leftover.
  heldHere.add(token);
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      if (await tryCreate(machine, path, owner)) break;
    } catch (err) {
      heldHere.delete(token);
      throw err;
    }
    let current: LockOwner | null;
    let stat;
    try {
      stat = await machine.fs.stat(path);
      current = await readOwner(machine, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // it vanished between the calls: try again
      // A lock that cannot be examined (access denied, I/O error) would make this loop spin forever.
      heldHere.delete(token);
      throw err;
    }
    if (stat && isStale(current, Date.now() - stat.mtimeMs)) {
      // Take over by renaming the stale lock to a unique name: of several processes racing, only
      // one rename succeeds. If the renamed file turns out to be a live lock, put it back.
      const aside = `${path}.stale.${process.pid}.${attempt}`;
      let moved: 'moved' | 'gone';
      try {
        moved = await moveAside(machine, path, aside);
      } catch (err) {
        heldHere.delete(token);
        throw err;
      }
      if (moved === 'gone') continue;
      const took = await readOwner(machine, aside).catch(() => null);
      if (took && current && (took.pid !== current.pid || took.since !== current.since)) {
        await machine.fs.link(aside, path).catch(() => undefined);
      }
      await machine.fs.unlink(aside).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      heldHere.delete(token);
      const what = current ? `${current.op} (process ${current.pid}, since ${current.since})` : 'another operation';
      throw new KernelSetupError('operation-in-progress', `Another kernel operation is running: ${what}.`, { owner: current });
    }
    await new Promise((r) => setTimeout(r, Math.min(250, 25 * (attempt + 1))));
  }
  failpoint('lock.acquired');
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      heldHere.delete(token);
      await timed('state.lock-release', () => machine.fs.unlink(path).catch(() => undefined));
      // The pending file is removed right after the link; if that failed, try once more here.
      await machine.fs.unlink(pendingName(path, token)).catch(() => undefined);
    },
  };
}
