/**
 * restore-rollback (the seed's fix 2: "copy kernel.rollback to kernel"), crash-safe.
 *
 * Order of steps, and the invariant each protects:
 *   1. a damaged `kernel` is copied aside to the quarantine folder (support evidence; untouched).
 *   2. journal (prepare)         – recovery knows which temp file to delete.
 *   3. copy R to a temp file in the tools folder, flushed, re-hashed against R (invariant 4).
 *   4. journal (commit)          – from here recovery finishes the restore instead of undoing it.
 *   5. rename the temp over `kernel` – atomic: `kernel` is missing/old or complete (invariant 1).
 *   6. detection value, the tool's record of the slot, clear the journal.
 * `kernel.rollback` and RollbackKernel are never touched, so WSL keeps booting what it booted.
 */
import { join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import { failpoint } from '../machine/failpoints';
import type { OpContext } from '../steps/context';
import { removeTemps } from '../steps/file-steps';
import { commitStaged, finishCommitted, stageVerified } from '../steps/staged-kernel';
import { readFlag, writeDetection } from '../steps/registry-steps';
import { readSlots, rememberFacts, slotPath } from '../state/slots';
import { clearJournal, writeJournal } from '../state/journal';
import type { Journal } from '../state/journal';
import { readState, writeState } from '../state/state-files';
import { quarantine } from '../steps/quarantine';
import { journalFacts, newJournal } from '../steps/new-journal';
import { isBad } from '../state/bad-kernels';

const restoreTemp = (id: string) => `.wslk-${id}.restore.tmp`;

function stagedPath(ctx: OpContext, journal: Journal): string {
  return join(ctx.machine.toolsDir, restoreTemp(journal.id));
}

export async function runRestore(ctx: OpContext): Promise<{ version: string; quarantined: string | null }> {
  const { machine } = ctx;
  const fs = machine.fs;
  const { kernel: k, rollback: r } = await readSlots(machine, { arch: ctx.arch, fresh: true });
  if (!r.present || !r.valid || !r.header) {
    throw new KernelSetupError('no-rollback-kernel', `kernel.rollback is ${r.present ? `not a valid kernel (${r.problem ?? 'unreadable'})` : 'missing'}: there is nothing to restore.`);
  }
  const state = await readState(machine);
  // Invariant 2's spirit: a version the user rolled back from never comes back through a repair.
  if (isBad(state, r.header.release)) {
    throw new KernelSetupError('version-marked-bad', `kernel.rollback is ${r.header.release}, a kernel you rolled back from; it is not restored.`);
  }
  const quarantined = k.present ? await quarantine(ctx, k, 'replaced by restore-rollback') : null;
  const before = { kernel: k, rollback: r, flag: await readFlag(machine), badVersions: state.badVersions, badReleases: state.badReleases };
  const journal = newJournal('restore-rollback', 'prepare', before, { temps: (id) => [restoreTemp(id)], payload: journalFacts(r)! });
  await fs.mkdir(machine.toolsDir);
  await writeJournal(machine, journal, 'repair.restore.journal-prepare');
  failpoint('repair.restore.prepared');
  const staged = stagedPath(ctx, journal);
  await stageVerified(ctx, journal, r.path, staged, {
    sha256: r.sha256,
    title: `Copying kernel.rollback (${r.header.version})`,
    mismatch: 'The copy of kernel.rollback does not match it',
    step: 'restore',
  }, 'repair.restore');
  const committed = await commitStaged(ctx, journal, staged, 'repair.restore', 'replaced');
  await completeRestore(ctx, committed);
  return { version: r.header.version, quarantined };
}

/** Steps after `kernel` holds R's bytes; shared with recovery. Idempotent. */
export async function completeRestore(ctx: OpContext, journal: Journal): Promise<void> {
  const { machine } = ctx;
  const p = journal.payload!;
  await writeDetection(machine, p.version);
  const state = await readState(machine);
  state.slots.kernel = { sha256: p.sha256, version: p.version, release: p.release, size: p.size, at: new Date().toISOString() };
  await writeState(machine, state, 'repair.restore.state');
  failpoint('repair.restore.state-written');
  const stat = await machine.fs.stat(slotPath(machine, 'kernel'));
  if (stat) await rememberFacts(machine, { name: 'kernel', stat, sha256: p.sha256, header: { arch: ctx.arch ?? 'x64', release: p.release, version: p.version } });
  await removeTemps(machine.fs, machine.toolsDir, journal.temps);
  await clearJournal(machine);
  failpoint('repair.restore.done');
}

export async function recoverRestore(ctx: OpContext, journal: Journal, actions: string[]): Promise<'completed' | 'undone'> {
  const { machine } = ctx;
  const p = journal.payload;
  if (journal.phase === 'prepare' || !p) {
    const removed = await removeTemps(machine.fs, machine.toolsDir, journal.temps);
    actions.push(`Undid the interrupted restore of kernel.rollback: kernel had not been replaced${removed.length ? `; removed ${removed.length} temporary file(s)` : ''}.`);
    return 'undone';
  }
  if ((await finishCommitted(ctx, journal, stagedPath(ctx, journal), 'repair.restore.recovered-replace')) === 'incomplete') {
    actions.push('Undid the interrupted restore of kernel.rollback: its copy was incomplete.');
    return 'undone';
  }
  await completeRestore(ctx, journal);
  actions.push(`Completed the interrupted restore: kernel is a copy of kernel.rollback (${p.version}).`);
  return 'completed';
}
