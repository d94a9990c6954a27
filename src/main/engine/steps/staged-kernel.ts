/**
 * The two halves every kernel-replacing operation shares (install, reinstall, restore-rollback):
 * stage a verified copy next to `kernel`, then commit it with one atomic rename; and the recovery
 * of a committed one.
 */
import { KernelSetupError } from '../../../shared/errors';
import { failpoint } from '../machine/failpoints';
import { hashIfPresent } from '../kernel/kernel-image';
import { slotPath } from '../state/slots';
import { clearJournal, writeJournal } from '../state/journal';
import type { Journal } from '../state/journal';
import type { OpContext } from './context';
import { progress } from './context';
import { copyDurable, removeTemps, syncDir } from './file-steps';
import { renameWithRetry } from '../machine/fs-errors';

/** Undo everything of an operation that has not replaced anything yet: its temps and its journal. */
export async function undoUncommitted(ctx: OpContext, journal: Journal): Promise<void> {
  await removeTemps(ctx.machine.fs, ctx.machine.toolsDir, journal.temps).catch(() => undefined);
  await clearJournal(ctx.machine).catch(() => undefined);
}

/**
 * Copy `source` to `staged` (a temp in the tools folder), flush it and its folder, and check that
 * what is on disk hashes to `sha256` (invariant 4: a payload is complete, flushed and verified
 * before it replaces anything). Failpoints `<prefix>.stage.*` and `<prefix>.staged`. On failure,
 * nothing the user had was touched: the temps and the journal are removed ("before").
 * `flushFolder: false` when the caller's next step adds another name to the tools folder and
 * flushes it before the journal says commit: one folder flush for both.
 */
export async function stageVerified(
  ctx: OpContext,
  journal: Journal,
  source: string,
  staged: string,
  expect: { sha256: string; title: string; mismatch: string; step?: string },
  prefix: string,
  opts: { flushFolder?: boolean } = {},
): Promise<void> {
  const { fs, toolsDir } = ctx.machine;
  try {
    const sha = await copyDurable(fs, source, staged, {
      onProgress: (done, total) => progress(ctx, expect.step ?? 'stage', expect.title, done, total),
      failpointPrefix: `${prefix}.stage`,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    // Verify what is on disk, not what was read: a flipped bit or a changed source is caught here.
    if (sha !== expect.sha256) throw new KernelSetupError('checksum-mismatch', `${expect.mismatch} (expected ${expect.sha256}, got ${sha}).`);
    if (opts.flushFolder !== false) await syncDir(fs, toolsDir);
    failpoint(`${prefix}.staged`);
    if (ctx.signal?.aborted) throw new KernelSetupError('cancelled');
  } catch (err) {
    await undoUncommitted(ctx, journal);
    throw err;
  }
}

/**
 * The commit point: journal "commit" (from here recovery finishes the operation), then rename the
 * staged file over `kernel` in one step, so `kernel` is always a complete kernel (invariant 1).
 * If the rename fails, `kernel` is untouched and the operation is undone ("before").
 * Failpoints `<prefix>.journal-commit.*`, `<prefix>.committed`, `<prefix>.<replaced>`.
 * `flushFolder: false` when the caller renames again in the tools folder right after and flushes
 * it then: until that flush, recovery (the journal says commit) finishes either rename.
 */
export async function commitStaged(ctx: OpContext, journal: Journal, staged: string, prefix: string, replaced: string, opts: { flushFolder?: boolean } = {}): Promise<Journal> {
  const { machine } = ctx;
  const committed: Journal = { ...journal, phase: 'commit' };
  await writeJournal(machine, committed, `${prefix}.journal-commit`);
  failpoint(`${prefix}.committed`);
  try {
    await renameWithRetry(machine.fs, staged, slotPath(machine, 'kernel'));
  } catch (err) {
    await undoUncommitted(ctx, journal);
    throw err;
  }
  if (opts.flushFolder !== false) await syncDir(machine.fs, machine.toolsDir);
  failpoint(`${prefix}.${replaced}`);
  return committed;
}

/**
 * Recovery of a committed replace: `kernel` already holds the journal's kernel, or the staged copy
 * (flushed and verified before the journal said "commit") is renamed over it now. `incomplete`:
 * the staged copy is gone or damaged, so `kernel` was never replaced and the operation is undone.
 */
export async function finishCommitted(ctx: OpContext, journal: Journal, staged: string, failpointName: string): Promise<'done' | 'replaced' | 'incomplete'> {
  const { machine } = ctx;
  const sha256 = journal.payload!.sha256;
  const kernel = slotPath(machine, 'kernel');
  if ((await hashIfPresent(machine.fs, kernel)) === sha256) return 'done';
  if ((await hashIfPresent(machine.fs, staged)) !== sha256) {
    await removeTemps(machine.fs, machine.toolsDir, journal.temps);
    return 'incomplete';
  }
  await renameWithRetry(machine.fs, staged, kernel);
  await syncDir(machine.fs, machine.toolsDir);
  failpoint(failpointName);
  return 'replaced';
}
