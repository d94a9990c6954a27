/**
 * The one-operation lock (DESIGN §6 invariant 5): a file created with O_EXCL in the state folder.
 * A lock left by a process that no longer exists is taken over.
 */
import { hostname } from 'node:os';
import { KernelSetupError } from '../../../shared/errors';
import { failpoint } from '../failpoints';
import type { Machine } from '../machine';
import { statePaths } from './state-files';

interface LockOwner {
  pid: number;
  host: string;
  op: string;
  since: string;
}

export interface HeldLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(machine: Machine, path: string): Promise<LockOwner | null> {
  try {
    const data = JSON.parse((await machine.fs.readFile(path)).toString('utf8')) as LockOwner;
    return typeof data.pid === 'number' ? data : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    return null; // torn or empty: the owner died while writing it
  }
}

async function tryCreate(machine: Machine, path: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await machine.fs.open(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    const data = Buffer.from(JSON.stringify(owner));
    await handle.write(data, 0, data.length, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** A lock is stale when its owner is gone; a lock from another host (shared state folder) never is. */
function isStale(owner: LockOwner | null, ageMs: number): boolean {
  if (owner === null) return ageMs > 5_000; // unreadable: give a writer time to finish writing it
  if (owner.host !== hostname()) return false;
  return owner.pid !== process.pid && !alive(owner.pid);
}

/**
 * Take the lock, or throw operation-in-progress naming the running operation.
 * With waitMs > 0, poll until the lock frees or the time runs out.
 */
export async function acquireLock(machine: Machine, op: string, waitMs = 0): Promise<HeldLock> {
  const path = statePaths(machine).lock;
  await machine.fs.mkdir(statePaths(machine).dir);
  const owner: LockOwner = { pid: process.pid, host: hostname(), op, since: new Date().toISOString() };
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(machine, path, owner)) break;
    let current: LockOwner | null;
    let stat;
    try {
      stat = await machine.fs.stat(path);
      current = await readOwner(machine, path);
    } catch {
      continue; // it vanished between the calls: try again
    }
    if (stat && isStale(current, Date.now() - stat.mtimeMs)) {
      // Take over by renaming the stale lock to a unique name: of several processes racing, only
      // one rename succeeds. If the renamed file turns out to be a live lock, put it back.
      const aside = `${path}.stale.${process.pid}.${attempt}`;
      try {
        await machine.fs.rename(path, aside);
      } catch {
        continue;
      }
      const took = await readOwner(machine, aside).catch(() => null);
      if (took && current && (took.pid !== current.pid || took.since !== current.since)) {
        await machine.fs.link(aside, path).catch(() => undefined);
      }
      await machine.fs.unlink(aside).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
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
      await machine.fs.unlink(path).catch(() => undefined);
    },
  };
}
