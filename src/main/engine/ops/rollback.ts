/**
 * Rollback (`wsl --update --rollback`) and its undo (the seed's manual registry edit, done safely).
 * No file is copied: only the RollbackKernel flag and the list of bad versions change.
 */
import { KernelSetupError } from '../../../shared/errors';
import { failpoint } from '../machine/failpoints';
import { clearJournal, writeJournal } from '../state/journal';
import type { Journal } from '../state/journal';
import { readState, writeState } from '../state/state-files';
import { readSlots } from '../state/slots';
import type { SlotFacts } from '../state/slots';
import type { OpContext } from '../steps/context';
import { clearFlag, readFlag, setFlag } from '../steps/registry-steps';
import { newJournal } from '../steps/new-journal';

async function begin(ctx: OpContext, op: 'rollback' | 'undo-rollback', version: string | null, k: SlotFacts, r: SlotFacts, flag: boolean): Promise<Journal> {
  const state = await readState(ctx.machine);
  return newJournal(op, 'commit', { kernel: k, rollback: r, flag, badVersions: state.badVersions }, { version });
}

/** Checks of the rollback rule, without changing anything. */
export async function checkRollback(ctx: OpContext) {
  const { kernel: k, rollback: r } = await readSlots(ctx.machine, { arch: ctx.arch });
  if (await readFlag(ctx.machine)) throw new KernelSetupError('already-rolled-back', 'A rollback is already active: WSL uses the previous kernel. To use the newer one again, see Undo rollback under Advanced.');
  if (!r.present) throw new KernelSetupError('no-rollback-kernel', 'There is no previous kernel to go back to (kernel.rollback does not exist).');
  if (!r.valid) throw new KernelSetupError('no-rollback-kernel', `kernel.rollback is not a valid kernel (${r.problem ?? 'unreadable'}).`);
  return { k, r, flag: false };
}

export async function runRollback(ctx: OpContext): Promise<{ from: string | null; to: string }> {
  const { k, r, flag } = await checkRollback(ctx);
  const from = k.present && k.header ? k.header.version : null;
  const journal = await begin(ctx, 'rollback', from, k, r, flag);
  await writeJournal(ctx.machine, journal, 'rollback.journal');
  failpoint('rollback.journaled');
  await completeRollback(ctx, journal);
  return { from, to: r.present && r.header ? r.header.version : '?' };
}

/** Idempotent: mark the version bad, then set the flag (recovery runs it again after a crash). */
export async function completeRollback(ctx: OpContext, journal: Journal): Promise<void> {
  const state = await readState(ctx.machine);
  if (journal.version && !state.badVersions.includes(journal.version)) {
    state.badVersions = [...state.badVersions, journal.version];
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
  const version = k.present && k.header ? k.header.version : null;
  const journal = await begin(ctx, 'undo-rollback', version, k, r, flag);
  await writeJournal(ctx.machine, journal, 'undo.journal');
  failpoint('undo.journaled');
  await completeUndo(ctx, journal);
  return { version: version ?? '?' };
}

export async function completeUndo(ctx: OpContext, journal: Journal): Promise<void> {
  if (await readFlag(ctx.machine)) {
    await clearFlag(ctx.machine);
    failpoint('undo.flag-cleared');
  }
  const state = await readState(ctx.machine);
  if (journal.version && state.badVersions.includes(journal.version)) {
    state.badVersions = state.badVersions.filter((v) => v !== journal.version);
    await writeState(ctx.machine, state, 'undo.state');
    failpoint('undo.state-written');
  }
  await clearJournal(ctx.machine);
  failpoint('undo.done');
}
