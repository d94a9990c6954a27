/**
 * A failure after the commit point (docs/design.md §6, "Failures after the commit point"): the
 * command undoes what it did, in-process, before it returns, so a reported failure means the
 * machine is as it was; where that is not possible it says plainly what is done and what is left.
 */
import { join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import { mapFsError, renameWithRetry } from '../machine/fs-errors';
import { REG } from '../machine/machine';
import { clearJournal } from '../state/journal';
import type { Journal } from '../state/journal';
import { readState, writeState } from '../state/state-files';
import { slotPath } from '../state/slots';
import type { OpContext } from '../steps/context';
import { removeTemps, syncDir } from '../steps/file-steps';
import { clearFlag, readFlag, setFlag } from '../steps/registry-steps';

/** Flag and Bad back to what the journal says they were. */
async function restoreFlagAndBad(ctx: OpContext, journal: Journal): Promise<void> {
  const flag = await readFlag(ctx.machine);
  if (flag !== journal.before.flag) await (journal.before.flag ? setFlag(ctx.machine) : clearFlag(ctx.machine));
  const state = await readState(ctx.machine);
  const releases = journal.before.badReleases ?? state.badReleases;
  if (JSON.stringify([state.badVersions, state.badReleases]) !== JSON.stringify([journal.before.badVersions, releases])) {
    state.badVersions = journal.before.badVersions;
    state.badReleases = releases;
    await writeState(ctx.machine, state);
  }
}

/**
 * Undo an install whose `kernel` was replaced: possible while the previous kernel still has its
 * second name (keep-previous, before it became kernel.rollback). True when the machine is as before.
 */
async function undoInstall(ctx: OpContext, journal: Journal): Promise<boolean> {
  const { machine } = ctx;
  const previous = join(machine.toolsDir, `.wslk-${journal.id}.previous.tmp`);
  if (journal.installCase !== 'keep-previous' || !(await machine.fs.stat(previous))) return false;
  // One rename puts the old kernel back: `kernel` is a complete kernel at every instant (invariant 1).
  await renameWithRetry(machine.fs, previous, slotPath(machine, 'kernel'));
  await syncDir(machine.fs, machine.toolsDir);
  await restoreFlagAndBad(ctx, journal);
  const before = journal.before.kernel?.version;
  const detection = await machine.registry.getValue(REG.detection, REG.detectionValue);
  if (before && detection?.type === 'REG_SZ' && detection.data !== before) {
    await machine.registry.setValue(REG.detection, REG.detectionValue, { type: 'REG_SZ', data: before });
  }
  await removeTemps(machine.fs, machine.toolsDir, journal.temps);
  await clearJournal(machine);
  return true;
}

/** Undo a rollback or an undo of one: only the flag and Bad changed. */
async function undoFlagOp(ctx: OpContext, journal: Journal): Promise<boolean> {
  await restoreFlagAndBad(ctx, journal);
  await clearJournal(ctx.machine);
  return true;
}

/**
 * Run the steps after the commit point; on failure undo them in-process and rethrow with
 * "nothing was changed", or, when the undo is not possible, with what is done and what is left.
 */
export async function finishOrUndo(ctx: OpContext, journal: Journal, what: string, done: string, finish: () => Promise<void>): Promise<void> {
  try {
    await finish();
  } catch (err) {
    const e = mapFsError(err, `finishing the ${what}`);
    if (e.code === 'cancelled') throw e;
    const undone = await (journal.op === 'install' ? undoInstall(ctx, journal) : undoFlagOp(ctx, journal)).catch(() => false);
    if (undone) throw new KernelSetupError(e.code, `${e.message} The ${what} was undone: nothing was changed.`, { ...e.details, undone: true });
    throw new KernelSetupError(
      e.code,
      `${done}, but the ${what} could not be finished: ${e.message} The rest is finished by the next command (or repair --fix recover) once the cause is removed.`,
      { ...e.details, committed: true },
    );
  }
}
