/**
 * reinstall: replace a damaged, unknown or orphaned `kernel` with payload P, after keeping a copy
 * of it aside for support.
 *
 * It is the install of docs/design.md §5 rule 4 ("K is not trusted"): `kernel.rollback` is kept, never
 * replaced by the file being repaired (invariant 2), and RollbackKernel is cleared. The journal is
 * an install journal with case `replace-bad`, so recovery and completion are the install's own:
 *   1. quarantine copy of K (state folder; K untouched).
 *   2. journal (prepare); stage P as a temp in the tools folder, flushed, re-hashed (invariant 4).
 *   3. journal (commit); rename P over `kernel` (atomic, invariant 1); complete as install does.
 */
import { join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import type { PayloadInfo } from '../../../shared/types';
import { failpoint } from '../machine/failpoints';
import type { OpContext } from '../steps/context';
import { commitStaged, stageVerified } from '../steps/staged-kernel';
import { completeInstall, payloadTemp } from './install';
import { readFlag } from '../steps/registry-steps';
import { readSlots } from '../state/slots';
import { writeJournal } from '../state/journal';
import { readState } from '../state/state-files';
import { quarantine } from '../steps/quarantine';
import { newJournal, payloadFacts } from '../steps/new-journal';
import { isBad } from '../state/bad-kernels';

export async function runReinstall(ctx: OpContext, p: PayloadInfo, opts: { force?: boolean } = {}): Promise<{ quarantined: string | null }> {
  const { machine } = ctx;
  const state = await readState(machine);
  if (isBad(state, p.release) && !opts.force) {
    throw new KernelSetupError('version-marked-bad', `Kernel ${p.version} was rolled back before and is marked bad; it is not installed again.`, { version: p.version });
  }
  const { kernel: k, rollback: r } = await readSlots(machine, { arch: ctx.arch, fresh: true });
  if (!k.present) throw new KernelSetupError('fix-not-applicable', 'There is no kernel file to reinstall: use the fix install-bundled.');
  const recorded = state.slots.kernel;
  const trusted = k.valid && (!recorded || recorded.sha256 === k.sha256);
  const quarantined = trusted ? null : await quarantine(ctx, k, 'replaced by reinstall');

  const before = { kernel: k, rollback: r, flag: await readFlag(machine), badVersions: state.badVersions, badReleases: state.badReleases };
  const journal = newJournal('install', 'prepare', before, { temps: (id) => [payloadTemp(id)], payload: payloadFacts(p), installCase: 'replace-bad' });
  await writeJournal(machine, journal, 'repair.reinstall.journal-prepare');
  failpoint('repair.reinstall.prepared');
  const staged = join(machine.toolsDir, payloadTemp(journal.id));
  await stageVerified(ctx, journal, p.path, staged, {
    sha256: p.sha256,
    title: `Copying kernel ${p.version}`,
    mismatch: 'The staged copy of the kernel does not match the payload',
  }, 'repair.reinstall');
  const committed = await commitStaged(ctx, journal, staged, 'repair.reinstall', 'kernel-replaced');
  await completeInstall(ctx, committed);
  return { quarantined };
}
