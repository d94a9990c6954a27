/**
 * The crash-safety invariants of docs/design.md §6, checked on a sandbox folder after a crash and its
 * recovery. Reusable: `assertInvariants(dir, before, after)` throws listing every violation;
 * `checkInvariants` returns them.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arch } from '../../src/shared/types';
import type { Snapshot } from './snapshot';
import { describeDifference, effectiveSlot, isBootable, logicalKey, stateDirOf, takeSnapshot, toolsDirOf } from './snapshot';

export interface InvariantOptions {
  /** The state before the interrupted operation. */
  before?: Snapshot;
  /** The state after it (several when more than one outcome is allowed); none: only "before" is allowed. */
  after?: Snapshot | Snapshot[];
  /**
   * `recovered` (default): recovery has run, so everything must hold. `instant`: right after a kill,
   * before recovery: only what holds at every instant (bootable, no bad rollback, nothing outside).
   */
  phase?: 'recovered' | 'instant';
  arch?: Arch;
  /** Compare the state with before/after (default true); false: the caller checks it its own way. */
  compareState?: boolean;
  /**
   * Check that no bad version entered kernel.rollback since `before` (default true). Only meaningful
   * across one operation: over several, a version may enter kernel.rollback while good and become
   * bad later, by a rollback from a kernel of the same version (the rules allow it).
   */
  checkRollbackEntry?: boolean;
  /**
   * WSL's running state (machine.json `wsl.running`, `runningRelease`, `shutdowns`, `boots`) is not
   * compared: an operation that restarts and starts WSL changes it at instants no journal covers.
   */
  ignoreWslRuntime?: boolean;
}

/** The snapshot without WSL's running state in machine.json. */
function withoutWslRuntime(s: Snapshot): Snapshot {
  try {
    const json = JSON.parse(s.machineJson) as { wsl?: Record<string, unknown> };
    if (json.wsl) for (const k of ['running', 'runningRelease', 'shutdowns', 'boots']) delete json.wsl[k];
    return { ...s, machineJson: JSON.stringify(json) };
  } catch {
    return s;
  }
}

const TEMP = /^\.wslk-|\.tmp$/;
/** Atomic-write temps of the sandbox's registry and machine.json, in the sandbox root. */
const ROOT_TEMP = /^machine\.(reg|json)\.[0-9a-f]+\.tmp$/;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock left by a process that no longer exists is harmless: the next command takes it over. */
async function liveLockOwner(root: string): Promise<number | null> {
  try {
    const owner = JSON.parse(await readFile(join(stateDirOf(root), 'operation.lock'), 'utf8')) as { pid?: unknown };
    return typeof owner.pid === 'number' && owner.pid > 0 && pidAlive(owner.pid) ? owner.pid : null;
  } catch {
    return null;
  }
}

/** Facts the tool cached for a file it still finds unchanged must be true of that file. */
async function checkCache(root: string, snap: Snapshot, out: string[]): Promise<void> {
  let cache: Record<string, { size?: unknown; mtimeMs?: unknown; ino?: unknown; sha256?: unknown }>;
  try {
    cache = JSON.parse(await readFile(join(stateDirOf(root), 'facts-cache.json'), 'utf8')) as typeof cache;
  } catch {
    return; // no cache, or unreadable: the tool ignores it
  }
  for (const [name, slot] of [['kernel', snap.kernel], ['kernel.rollback', snap.rollback]] as const) {
    const entry = cache?.[name];
    if (!entry || !slot) continue;
    let st;
    try {
      st = await stat(join(toolsDirOf(root), name));
    } catch {
      continue;
    }
    if (entry.size === st.size && entry.mtimeMs === st.mtimeMs && entry.ino === st.ino && entry.sha256 !== slot.sha256) {
      out.push(`facts cache is stale for ${name}: it claims ${String(entry.sha256).slice(0, 12)} for an unchanged file holding ${slot.sha256.slice(0, 12)}`);
    }
  }
}

/** Check the invariants on the sandbox in `root`; returns the violations (empty when all hold). */
export async function checkInvariants(root: string, opts: InvariantOptions = {}): Promise<string[]> {
  const out: string[] = [];
  const recovered = (opts.phase ?? 'recovered') === 'recovered';
  // At a kill, temp files are in the middle of being written: their contents do not matter.
  const now = await takeSnapshot(root, { hashTemps: recovered });
  const { before } = opts;
  const arch = opts.arch ?? 'x64';

  if (now.registryError) out.push(`machine.reg does not parse: ${now.registryError}`);
  // docs/design.md §6 invariant 1: if WSL had a bootable kernel before, it has one now.
  if ((!before || isBootable(before, arch)) && (before || effectiveSlot(now)) && !isBootable(now, arch)) {
    const e = effectiveSlot(now);
    out.push(`not bootable: RollbackKernel ${now.flag ? 'set' : 'clear'} selects ${now.flag ? 'kernel.rollback' : 'kernel'}, which is ${e ? (e.valid ? `for ${e.arch}` : 'not a valid kernel') : 'missing'}`);
  }
  // docs/design.md §6 invariant 2: a version in Bad never sits in kernel.rollback (unless it was already there before).
  // (A version may become bad while it sits in kernel.rollback — rolling back from a kernel of the
  // same version — so only a kernel.rollback that changed is checked.)
  // Bad means what docs/design.md says: the exact release is listed, or (old format) its version is.
  const r = now.rollback;
  const rBad = !!r?.version && (now.bad.versions.includes(r.version) || (!!r.release && now.bad.releases.includes(r.release)));
  if (opts.checkRollbackEntry !== false && rBad && r?.sha256 !== before?.rollback?.sha256) {
    out.push(`kernel.rollback now holds ${r?.version}, a version marked bad`);
  }
  // Nothing written outside the tools and state folders (machine.reg/machine.json are compared below).
  if (before) {
    const keys = new Set([...Object.keys(before.outside), ...Object.keys(now.outside)]);
    for (const k of keys) {
      if (ROOT_TEMP.test(k) && !before.outside[k]) continue; // a temp of machine.reg / machine.json: reported below
      if (before.outside[k] !== now.outside[k]) out.push(`written outside the tools and state folders: ${k} (${before.outside[k] ? (now.outside[k] ? 'changed' : 'removed') : 'created'})`);
    }
  }
  if (!recovered) return out;

  // docs/design.md §6 invariant 3: exactly the state before or after, files, registry and the tool's state together.
  if (before && opts.compareState !== false) {
    const norm = (x: Snapshot) => (opts.ignoreWslRuntime ? withoutWslRuntime(x) : x);
    const allowed = [before, ...(Array.isArray(opts.after) ? opts.after : opts.after ? [opts.after] : [])].map(norm);
    const key = logicalKey(norm(now));
    if (!allowed.some((s) => logicalKey(s) === key)) {
      out.push(`state is neither before nor after: ${allowed.map((s, i) => `${i === 0 ? 'vs before' : 'vs after'}: ${describeDifference(norm(now), s)}`).join(' | ')}`);
    }
  }
  // No temp files, no journal, no lock left once recovery has run.
  // (Temps the machine already had before are not the operation's: a repair may be what removes them.)
  const temps = Object.keys(now.tools).filter((n) => TEMP.test(n) && !(before && n in before.tools));
  if (temps.length) out.push(`temp files left in the tools folder: ${temps.join(', ')}`);
  const rootTemps = Object.keys(now.outside).filter((k) => ROOT_TEMP.test(k) && !before?.outside[k]);
  if (rootTemps.length) out.push(`temp files left beside machine.reg: ${rootTemps.join(', ')}`);
  // A killed read-only command may leave a temp of the facts cache (written without the lock); the
  // next changing command removes it. Every other temp must be gone once recovery has run.
  // Like its lock, this process's pending lock file is a leftover the next command sweeps (an
  // in-process fault can make every removal fail until the command returns).
  const ownPending = new RegExp(`^operation\\.lock\\.${process.pid}\\.[0-9a-f]{16}\\.new$`);
  const leftover = (n: string) => (n.endsWith('.tmp') && !n.startsWith('facts-cache.json.')) || (n.startsWith('operation.lock.') && !ownPending.test(n));
  const stateLeft = now.stateFiles.filter((n) => n === 'journal.json' || (leftover(n) && !before?.stateFiles.includes(n)));
  if (stateLeft.length) out.push(`left in the state folder: ${stateLeft.join(', ')}`);
  const owner = now.stateFiles.includes('operation.lock') ? await liveLockOwner(root) : null;
  // This process's own lock is a leftover once its command returned (the engine takes those over too).
  if (owner !== null && owner !== process.pid) out.push(`operation.lock is still held by live process ${owner}`);
  if (now.state.startsWith('unreadable')) out.push(`state.json ${now.state}`);
  await checkCache(root, now, out);
  return out;
}

/** Throw unless every invariant holds; `after` omitted means the machine must be exactly as before. */
export async function assertInvariants(root: string, before?: Snapshot, after?: Snapshot | Snapshot[]): Promise<void> {
  const violations = await checkInvariants(root, { ...(before ? { before } : {}), ...(after ? { after } : {}) });
  if (violations.length) throw new Error(`invariants violated in ${root}:\n- ${violations.join('\n- ')}`);
}
