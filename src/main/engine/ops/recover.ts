/**
 * Recovery (docs/design.md §6): run at the start of every command, under the lock. Reads the journal of an
 * interrupted operation and brings the machine to exactly the state before or after it.
 */
import { join } from 'node:path';
import { failpoint } from '../machine/failpoints';
import { clearJournal, readJournal } from '../state/journal';
import type { Journal } from '../state/journal';
import { removeWriteLeftovers } from '../state/leftovers';
import { readState, writeState } from '../state/state-files';
import { readSlots } from '../state/slots';
import type { OpContext } from '../steps/context';
import { removeTemps } from '../steps/file-steps';
import { completeInstall, payloadTemp } from './install';
import { finishCommitted } from '../steps/staged-kernel';
import { clearFlag, readFlag, setFlag } from '../steps/registry-steps';
import { completeRollback, completeUndo } from './rollback';
import { recoverRepair } from './repair-recovery';

export interface RecoveryReport {
  /** What recovery did, in plain words; empty when there was nothing to recover. */
  actions: string[];
  op: string | null;
  outcome: 'none' | 'completed' | 'undone' | 'discarded';
}

/** Put the tool's state back to what the journal says it was (registry and files already are). */
async function restoreBad(ctx: OpContext, journal: Journal): Promise<void> {
  const state = await readState(ctx.machine);
  const badReleases = journal.before.badReleases ?? state.badReleases;
  if (JSON.stringify([state.badVersions, state.badReleases]) !== JSON.stringify([journal.before.badVersions, badReleases])) {
    state.badVersions = journal.before.badVersions;
    state.badReleases = badReleases;
    await writeState(ctx.machine, state, 'recover.state');
  }
}

async function recoverInstall(ctx: OpContext, journal: Journal, actions: string[]): Promise<RecoveryReport['outcome']> {
  const { machine } = ctx;
  const p = journal.payload!;
  if (journal.phase === 'prepare') {
    const removed = await removeTemps(machine.fs, machine.toolsDir, journal.temps);
    actions.push(`Undid the interrupted installation of ${p.version}: nothing had been replaced${removed.length ? `; removed ${removed.length} temporary file(s)` : ''}.`);
    return 'undone';
  }
  const replace = await finishCommitted(ctx, journal, join(machine.toolsDir, payloadTemp(journal.id)), 'recover.kernel-replaced');
  if (replace === 'incomplete') {
    // The payload is gone or damaged (should not happen): `kernel` was never replaced, so undo.
    actions.push(`Undid the interrupted installation of ${p.version}: its staged copy was incomplete.`);
    return 'undone';
  }
  if (replace === 'replaced') actions.push(`Finished installing kernel ${p.version}.`);
  await completeInstall(ctx, journal);
  actions.push(`Completed the interrupted installation of ${p.version}${journal.installCase === 'keep-previous' && journal.before.kernel ? ` (kernel.rollback = ${journal.before.kernel.version})` : ''}.`);
  return 'completed';
}

async function recoverRollback(ctx: OpContext, journal: Journal, actions: string[]): Promise<RecoveryReport['outcome']> {
  const { rollback: r } = await readSlots(ctx.machine, { arch: ctx.arch, fresh: true });
  if (r.present && r.valid) {
    await completeRollback(ctx, journal);
    actions.push(`Completed the interrupted rollback${journal.version ? ` from ${journal.version}` : ''}.`);
    return 'completed';
  }
  // kernel.rollback vanished meanwhile: setting the flag would leave WSL nothing to boot.
  if (await readFlag(ctx.machine)) await clearFlag(ctx.machine);
  await restoreBad(ctx, journal);
  await clearJournal(ctx.machine);
  actions.push('Undid the interrupted rollback: kernel.rollback is no longer valid.');
  return 'undone';
}

async function recoverUndo(ctx: OpContext, journal: Journal, actions: string[]): Promise<RecoveryReport['outcome']> {
  const { kernel: k } = await readSlots(ctx.machine, { arch: ctx.arch, fresh: true });
  if (k.present && k.valid) {
    await completeUndo(ctx, journal);
    actions.push(`Completed the interrupted undo of the rollback (${journal.version ?? 'kernel'} is used again).`);
    return 'completed';
  }
  if (!(await readFlag(ctx.machine)) && journal.before.flag) await setFlag(ctx.machine);
  await restoreBad(ctx, journal);
  await clearJournal(ctx.machine);
  actions.push('Undid the interrupted undo of the rollback: the kernel file is not valid.');
  return 'undone';
}

/** Recover an interrupted operation, if the journal holds one. Call with the lock held. */
export async function recover(ctx: OpContext): Promise<RecoveryReport> {
  // Temp files of atomic writes cut short (journal, state, registry): litter, never state.
  await removeWriteLeftovers(ctx.machine);
  const read = await readJournal(ctx.machine);
  if (read.kind === 'none') return { actions: [], op: null, outcome: 'none' };
  failpoint('recover.start');
  const actions: string[] = [];
  if (read.kind === 'corrupt') {
    // A torn journal is only possible before its rename, i.e. before the operation changed
    // anything (the journal is written atomically): discard it and our temp files.
    const removed = await removeTemps(ctx.machine.fs, ctx.machine.toolsDir);
    await clearJournal(ctx.machine);
    actions.push(`Discarded an unreadable journal (${read.reason})${removed.length ? ` and ${removed.length} temporary file(s)` : ''}.`);
    return { actions, op: null, outcome: 'discarded' };
  }
  const journal = read.journal;
  let outcome: RecoveryReport['outcome'];
  switch (journal.op) {
    case 'install':
      outcome = await recoverInstall(ctx, journal, actions);
      break;
    case 'rollback':
      outcome = await recoverRollback(ctx, journal, actions);
      break;
    case 'undo-rollback':
      outcome = await recoverUndo(ctx, journal, actions);
      break;
    default:
      outcome = await recoverRepair(ctx, journal, actions);
  }
  await clearJournal(ctx.machine);
  failpoint('recover.done');
  return { actions, op: journal.op, outcome };
}
