/**
 * Rollback (`wsl --update --rollback`) and its undo (the seed's manual registry edit, done safely).
 * No file is copied: only the RollbackKernel flag and the list of bad versions change.
 */
import { KernelSetupError } from '../../../shared/errors';
import { failpoint } from '../machine/failpoints';
import { clearJournal, writeJournal } from '../state/journal';
import type { Journal } from '../state/journal';
import { readState, writeState } from '../state/state-files';
import type { ToolState } from '../state/state-files';
import type { KernelHeader } from '../kernel/kernel-image';
import { markBad, unmarkBad } from '../state/bad-kernels';
import { readSlots } from '../state/slots';
import type { SlotFacts } from '../state/slots';
import type { OpContext } from '../steps/context';
import { clearFlag, readFlag, setFlag } from '../steps/registry-steps';
import { newJournal } from '../steps/new-journal';
import { finishOrUndo } from './undo-committed';

async function begin(ctx: OpContext, op: 'rollback' | 'undo-rollback', header: KernelHeader | null, k: SlotFacts, r: SlotFacts, flag: boolean): Promise<Journal> {
  const state = await readState(ctx.machine);
  return newJournal(op, 'commit', { kernel: k, rollback: r, flag, badVersions: state.badVersions, badReleases: state.badReleases }, {
    version: header?.version ?? null,
    release: header?.release ?? null,
  });
}

/**
 * Mark or unmark the journal's kernel in Bad; whether the state changed. A journal written before
 * releases were recorded names the version only: that version-wide entry is used instead.
 */
function badChange(state: ToolState, journal: Journal, how: 'mark' | 'unmark'): boolean {
  if (journal.release) return how === 'mark' ? markBad(state, journal.release) : unmarkBad(state, journal.release);
  const v = journal.version;
  if (!v || state.badVersions.includes(v) === (how === 'mark')) return false;
  state.badVersions = how === 'mark' ? [...state.badVersions, v] : state.badVersions.filter((x) => x !== v);
  return true;
}

/** Checks of the rollback rule, without changing anything. */
export async function checkRollback(ctx: OpContext) {
  const { kernel: k, rollback: r } = await readSlots(ctx.machine, { arch: ctx.arch });
  if (await readFlag(ctx.machine)) throw new KernelSetupError('already-rolled-back', 'A rollback is already active: WSL uses the previous kernel. To use the newer one again, see Undo rollback under Advanced.');
  if (!r.present) throw new KernelSetupError('no-rollback-kernel', 'There is no previous kernel to go back to (kernel.rollback does not exist).');
  if (!r.valid) throw new KernelSetupError('no-rollback-kernel', `kernel.rollback is not a valid kernel (${r.problem ?? 'unreadable'}).`);
  return { k, r, flag: false };
}

/** `from` / `to`: the full releases (docs/design.md, "Which kernels are bad"). */
export async function runRollback(ctx: OpContext): Promise<{ from: string | null; to: string }> {
  const { k, r, flag } = await checkRollback(ctx);
  const header = k.present && k.header ? k.header : null;
  const from = header?.release ?? null;
  const journal = await begin(ctx, 'rollback', header, k, r, flag);
  await writeJournal(ctx.machine, journal, 'rollback.journal');
  failpoint('rollback.journaled');
  await finishOrUndo(ctx, journal, 'rollback', `Kernel ${from ?? 'kernel'} is marked bad`, () => completeRollback(ctx, journal));
  return { from, to: r.present && r.header ? r.header.release : '?' };
}

/** Idempotent: mark the version bad, then set the flag (recovery runs it again after a crash). */
export async function completeRollback(ctx: OpContext, journal: Journal): Promise<void> {
  const state = await readState(ctx.machine);
  if (badChange(state, journal, 'mark')) {
    await writeState(ctx.machine, state, 'rollback.state');
    failpoint('rollback.state-written');
  }
  if (!(await readFlag(ctx.machine))) {
    await setFlag(ctx.machine);
    failpoint('rollback.flag-set');
  }
  await clearJournal(ctx.machine);
  failpoint('rollback.done');
}

export async function checkUndo(ctx: OpContext) {
  const { kernel: k, rollback: r } = await readSlots(ctx.machine, { arch: ctx.arch });
  if (!(await readFlag(ctx.machine))) throw new KernelSetupError('not-rolled-back', 'No rollback is active: WSL already uses the current kernel.');
  // Clearing the flag with no valid kernel would leave WSL nothing to boot (invariant 1).
  if (!k.present) throw new KernelSetupError('kernel-missing', 'The kernel file is missing: undoing the rollback would leave WSL nothing to boot.');
  if (!k.valid) throw new KernelSetupError('kernel-missing', `The kernel file is not valid (${k.problem ?? 'unreadable'}): undoing the rollback would leave WSL nothing to boot.`);
  return { k, r, flag: true };
}

export async function runUndoRollback(ctx: OpContext): Promise<{ version: string }> {
  const { k, r, flag } = await checkUndo(ctx);
  const header = k.present && k.header ? k.header : null;
  const version = header?.release ?? null;
  const journal = await begin(ctx, 'undo-rollback', header, k, r, flag);
  await writeJournal(ctx.machine, journal, 'undo.journal');
  failpoint('undo.journaled');
  await finishOrUndo(ctx, journal, 'undo of the rollback', 'RollbackKernel is cleared', () => completeUndo(ctx, journal));
  return { version: version ?? '?' };
}

export async function completeUndo(ctx: OpContext, journal: Journal): Promise<void> {
  if (await readFlag(ctx.machine)) {
    await clearFlag(ctx.machine);
    failpoint('undo.flag-cleared');
  }
  const state = await readState(ctx.machine);
  if (badChange(state, journal, 'unmark')) {
    await writeState(ctx.machine, state, 'undo.state');
    failpoint('undo.state-written');
  }
  await clearJournal(ctx.machine);
  failpoint('undo.done');
}
