/**
 * One consistent look at everything diagnose reasons about: both slots re-hashed in full, the
 * RollbackKernel flag, the tool's state and journal (read, never recovered), leftover temps, the
 * Windows facts and pre-checks, and the bundled payload.
 */
import { hostname } from 'node:os';
import { KernelSetupError } from '../../../shared/errors';
import type { Arch, Check, PayloadInfo } from '../../../shared/types';
import type { CommandRunner } from '../ops/command-runner';
import { readFlag } from '../steps/registry-steps';
import { evaluateChecks, readWindowsFacts } from '../machine/prechecks';
import type { WindowsFacts } from '../machine/prechecks';
import { readSlots, toSlotStatus } from '../state/slots';
import { readWslStatus, type WslStatusFields } from '../wsl/wsl-status';
import type { SlotFacts } from '../state/slots';
import { readJournal } from '../state/journal';
import type { JournalRead } from '../state/journal';
import { EMPTY_STATE, readState, statePaths } from '../state/state-files';
import type { SlotRecord, ToolState } from '../state/state-files';
import { findTemps } from '../state/temps';
import type { TempFile } from '../state/temps';
import { READ_LIMITS, readRegularFile } from '../machine/bounded-read';
import { isBad } from '../state/bad-kernels';

/** What is wrong with a slot, if anything. */
export type SlotProblem = 'missing' | 'not-a-kernel' | 'wrong-architecture' | 'truncated' | null;

export interface SlotVerdict {
  facts: SlotFacts;
  /** A complete, valid kernel for this machine that WSL can boot. */
  usable: boolean;
  problem: SlotProblem;
  /** Valid, but not the bytes the tool recorded when it put the file there. */
  modified: boolean;
  record: SlotRecord | null;
  /** Its version is one the user rolled back from. */
  markedBad: boolean;
}

export interface Snapshot {
  arch: Arch | null;
  windows: WindowsFacts;
  checks: Check[];
  kernel: SlotVerdict;
  rollback: SlotVerdict;
  flag: boolean;
  state: ToolState;
  /** Why state.json cannot be read, when it cannot. */
  stateProblem: string | null;
  journal: JournalRead;
  /** The operation holding the lock right now (another live process), if any. */
  runningOp: string | null;
  temps: TempFile[];
  bundled: PayloadInfo | null;
  /** Why the bundled payload cannot be used here, when there is one. */
  bundledProblem: string | null;
  /** Today's WSL: flavour, default kernel, and what boots for the user (DESIGN §8). */
  wsl: WslStatusFields;
}

function judge(facts: SlotFacts, record: SlotRecord | null, bad: ToolState): SlotVerdict {
  if (!facts.present) return { facts, usable: false, problem: 'missing', modified: false, record, markedBad: false };
  const markedBad = !!facts.header && isBad(bad, facts.header.release);
  if (!facts.valid) {
    const problem = facts.problem === 'wrong-architecture' ? 'wrong-architecture' : 'not-a-kernel';
    return { facts, usable: false, problem, modified: false, record, markedBad };
  }
  const differs = !!record && record.sha256 !== facts.sha256;
  // Same release as recorded but fewer bytes: the header survived, the rest of the file did not.
  const truncated = differs && record.release === facts.header?.release && facts.size < record.size;
  if (truncated) return { facts, usable: false, problem: 'truncated', modified: false, record, markedBad };
  return { facts, usable: true, problem: null, modified: differs, record, markedBad };
}

/**
 * The operation another live process is running, read from the lock file without taking it (a
 * stale lock is left for the next changing command to take over: diagnose writes nothing).
 */
async function lockHolder(engine: CommandRunner): Promise<string | null> {
  const path = statePaths(engine.machine).lock;
  let raw: Buffer;
  try {
    raw = await readRegularFile(engine.machine.fs, path, { code: 'invalid-machine', what: 'The operation lock', maxBytes: READ_LIMITS.json });
  } catch {
    return null;
  }
  interface Owner {
    pid?: unknown;
    host?: unknown;
    op?: unknown;
  }
  let owner: Owner | null;
  try {
    owner = JSON.parse(raw.toString('utf8')) as Owner | null;
  } catch {
    owner = null;
  }
  if (!owner || typeof owner.pid !== 'number') {
    // Unreadable: a writer may be writing it right now (the lock module waits 5 s for this too).
    const stat = await engine.machine.fs.stat(path);
    return stat && Date.now() - stat.mtimeMs < 5_000 ? 'an operation' : null;
  }
  const op = typeof owner.op === 'string' ? owner.op : 'an operation';
  if (owner.host !== hostname()) return op; // another computer sharing the state folder
  if (owner.pid === process.pid) return null;
  try {
    process.kill(owner.pid, 0);
    return op;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? op : null;
  }
}

/**
 * Read everything once. `underLock`: the caller already holds the operation lock (repair), so the
 * journal is not another process's running operation.
 */
export async function takeSnapshot(engine: CommandRunner, opts: { underLock?: boolean } = {}): Promise<Snapshot> {
  const machine = engine.machine;
  const arch = await engine.arch();
  const windows = await readWindowsFacts(machine);
  let state: ToolState;
  let stateProblem: string | null = null;
  try {
    state = await readState(machine);
  } catch (err) {
    if (!(err instanceof KernelSetupError)) throw err;
    state = structuredClone(EMPTY_STATE);
    stateProblem = err.message;
  }
  const runningOp = opts.underLock ? null : await lockHolder(engine);
  const journal = await readJournal(machine);
  const { kernel, rollback } = await readSlots(machine, { arch, fresh: true });
  const flag = await readFlag(machine);
  const temps = await findTemps(machine, journal.kind === 'ok' ? journal.journal.temps : []);

  let bundled: PayloadInfo | null = null;
  let bundledProblem: string | null = null;
  try {
    bundled = await engine.resolvePayload();
    if (bundled && arch && bundled.arch !== arch) {
      bundledProblem = `the bundled kernel ${bundled.version} is for ${bundled.arch}, this computer is ${arch}`;
    } else if (bundled && isBad(state, bundled.release)) {
      bundledProblem = `the bundled kernel ${bundled.release} is a kernel you rolled back from`;
    }
  } catch (err) {
    if (!(err instanceof KernelSetupError)) throw err;
    bundledProblem = err.message;
  }
  const checks = evaluateChecks(windows, { payload: bundled, needBytes: bundled?.size ?? 0 });
  const wsl = await readWslStatus(
    machine,
    arch,
    { kernelPath: kernel.path, rollbackPath: rollback.path, kernel: toSlotStatus(kernel), rollback: toSlotStatus(rollback), rollbackActive: flag },
    engine.options.user,
  );
  return {
    wsl,
    arch,
    windows,
    checks,
    kernel: judge(kernel, state.slots.kernel, state),
    rollback: judge(rollback, state.slots.rollback, state),
    flag,
    state,
    stateProblem,
    journal,
    runningOp,
    temps,
    bundled,
    bundledProblem,
  };
}

/** The bundled payload when it can be installed here (right architecture, not marked bad). */
export function usableBundled(s: Snapshot): PayloadInfo | null {
  return s.bundled && !s.bundledProblem ? s.bundled : null;
}

/** Whether WSL can start: the slot RollbackKernel selects is a complete, valid kernel. */
export function bootable(s: Snapshot): boolean {
  return s.flag ? s.rollback.usable : s.kernel.usable;
}
