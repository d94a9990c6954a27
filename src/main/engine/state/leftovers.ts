/**
 * Leftovers of writes cut short by a crash: the temp files of atomic writes (`<name>.<12 hex>.tmp`
 * beside state.json, journal.json, facts-cache.json, history.1.jsonl, and beside the sandbox's
 * machine.reg and machine.json), locks set aside by a takeover whose process died, and locks a
 * killed process was still writing (lock.ts). Recovery removes them under
 * the operation lock, so no running operation's temp file is ever touched.
 */
import { join } from 'node:path';
import type { Machine } from '../machine/machine';
import { alive, pendingInFlight } from './lock';

const STATE_TEMP = /^(state\.json|journal\.json|facts-cache\.json|update-settings\.json|history\.1\.jsonl)\.[0-9a-f]{12}\.tmp$/;
const ROOT_TEMP = /^machine\.(reg|json)\.[0-9a-f]{12}\.tmp$/;
const LOCK_ASIDE = /^operation\.lock\.stale\.(\d+)\.\d+$/;
/** A lock being written (lock.ts): `operation.lock.<pid>.<16 hex>.new`. */
const LOCK_PENDING = /^operation\.lock\.(\d+)\.([0-9a-f]{16})\.new$/;

async function names(machine: Machine, dir: string): Promise<string[]> {
  try {
    return await machine.fs.readdir(dir);
  } catch {
    return [];
  }
}

/** Paths of the leftovers (a cheap listing of the state folder, and of the sandbox folder). */
export async function findWriteLeftovers(machine: Machine): Promise<string[]> {
  const out: string[] = [];
  for (const name of await names(machine, machine.stateDir)) {
    const aside = LOCK_ASIDE.exec(name);
    // An aside of this process is a leftover too: its takeover is over (this runs under the lock).
    const asideLeft = aside && (Number(aside[1]) === process.pid || !alive(Number(aside[1])));
    // A pending lock of a live process is its acquisition in flight (it removes it itself), unless
    // it is this process's and not in flight (its removal failed).
    const pending = LOCK_PENDING.exec(name);
    const pendingLeft = pending && (Number(pending[1]) === process.pid ? !pendingInFlight(pending[2]!) : !alive(Number(pending[1])));
    if (STATE_TEMP.test(name) || asideLeft || pendingLeft) out.push(join(machine.stateDir, name));
  }
  if (machine.kind === 'sandbox' && machine.root) {
    for (const name of await names(machine, machine.root)) if (ROOT_TEMP.test(name)) out.push(join(machine.root, name));
  }
  return out;
}

/**
 * Whether a read-only command should take the lock to clean up. The facts cache does not count: it
 * is written by read-only commands without the lock, so its temp file may be another reader's
 * write in flight; the next changing command removes a stale one.
 */
export async function hasWriteLeftovers(machine: Machine): Promise<boolean> {
  return (await findWriteLeftovers(machine)).some((p) => !p.includes('facts-cache.json.'));
}

/** Remove the leftovers. Call with the operation lock held. Best effort: they are only litter. */
export async function removeWriteLeftovers(machine: Machine): Promise<number> {
  let removed = 0;
  for (const path of await findWriteLeftovers(machine)) {
    try {
      await machine.fs.unlink(path);
      removed++;
    } catch {
      /* gone already, or not removable now: the next recovery tries again */
    }
  }
  return removed;
}
