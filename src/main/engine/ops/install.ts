/**
 * Install / update (docs/design.md §5): put payload P in the `kernel` slot by the seed's rules.
 *
 * Order of steps, and the invariant each protects:
 *   1. journal (prepare)         – recovery knows which temp files to delete.
 *   2. stage P as a temp file in the tools folder, flushed, re-hashed (invariant 4).
 *   3. keep-previous case: hard-link K as a second temp, folder flushed: the old kernel stays
 *      reachable under a name of ours until it is safely in `kernel.rollback`.
 *   4. journal (commit)          – from here recovery finishes the operation instead of undoing it.
 *   5. rename P over `kernel`    – atomic: `kernel` is always a complete kernel (invariant 1).
 *   6. rename old K over `kernel.rollback` (keep-previous only; never a bad version: invariant 2).
 *   7. clear RollbackKernel, write the detection value, record the slots, clear the journal.
 */
import { join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import type { PayloadInfo, PlanChange, PlanStep } from '../../../shared/types';
import type { Machine } from '../machine/machine';
import { failpoint } from '../machine/failpoints';
import { compareLevels } from '../kernel/release-order';
import { isBad } from '../state/bad-kernels';
import { clearJournal, writeJournal } from '../state/journal';
import type { Journal } from '../state/journal';
import { readState, writeState } from '../state/state-files';
import type { ToolState } from '../state/state-files';
import type { SlotFacts } from '../state/slots';
import { readSlots, rememberFacts, slotPath } from '../state/slots';
import type { KnownFacts } from '../state/slots';
import type { OpContext } from '../steps/context';
import { progress } from '../steps/context';
import { commitStaged, stageVerified, undoUncommitted } from '../steps/staged-kernel';
import { copyDurable, removeTemps, syncDir } from '../steps/file-steps';
import { clearFlag, readFlag, writeDetection } from '../steps/registry-steps';
import { renameWithRetry } from '../machine/fs-errors';
import { newJournal, payloadFacts } from '../steps/new-journal';
import { finishOrUndo } from './undo-committed';


/** The temp file the payload is staged in; recovery finds it by the same name. */
export const payloadTemp = (id: string) => `.wslk-${id}.payload.tmp`;
/** The temp name the previous kernel keeps until it is renamed over kernel.rollback. */
const previousTemp = (id: string) => `.wslk-${id}.previous.tmp`;

/** Where the slots and the rollback flag are, in the words of the plan's Details. */
export interface SlotPlaces {
  folder: string;
  flag: string;
}

/** Inbox WSL's own folder and flag, or the tool's store slots (docs/design.md §11). */
export function slotPlaces(machine: Machine): SlotPlaces {
  return machine.view === 'store-slots'
    ? { folder: 'ProgramData\\WslKernelSetup\\store\\slots', flag: 'HKLM\\SOFTWARE\\WslKernelSetup\\Store : RollbackKernel' }
    : { folder: 'System32\\lxss\\tools', flag: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss : RollbackKernel' };
}

export interface InstallOptions {
  force?: boolean;
  allowDowngrade?: boolean;
}

export type InstallCase = NonNullable<Journal['installCase']>;

export interface InstallPlan {
  kind: 'nothing-to-do' | InstallCase;
  steps: PlanStep[];
}

/** Decide what installing P means here, or throw the refusal of docs/design.md §5 rule 2. */
export function planInstall(
  p: PayloadInfo,
  k: SlotFacts,
  r: SlotFacts,
  flag: boolean,
  state: ToolState,
  opts: InstallOptions,
  places: SlotPlaces,
): InstallPlan {
  if (isBad(state, p.release) && !opts.force) {
    throw new KernelSetupError('version-marked-bad', `Kernel ${p.release} was rolled back before and is marked bad; it is not installed again unless forced.`, {
      version: p.version,
      release: p.release,
    });
  }
  const kHeader = k.present && k.valid ? k.header : null;
  // Levels, not versions: `6.1.0-47-cloud` and `6.1.0-50-cloud` share the version 6.1.0.
  if (kHeader && !opts.allowDowngrade && compareLevels(p.release, kHeader.release) < 0) {
    throw new KernelSetupError('downgrade-refused', `Kernel ${p.release} is older than the installed ${kHeader.release}.`, {
      version: p.version,
      installed: kHeader.version,
    });
  }
  if (kHeader && k.present && k.sha256 === p.sha256 && !flag) {
    return { kind: 'nothing-to-do', steps: [] };
  }
  let kind: InstallCase;
  if (!k.present) {
    kind = 'fresh';
  } else if (!flag && kHeader && !isBad(state, kHeader.release)) {
    kind = 'keep-previous';
  } else {
    kind = 'replace-bad';
  }
  // Plain sentences first (the wizard's plan), file names and registry paths in `detail`; every
  // kernel the user has is either kept or said to be removed.
  const steps: InstallPlan['steps'] = [
    {
      id: 'stage',
      title: `Copy kernel ${p.version} to this computer and check that it arrived intact`,
      effect: 'add',
      detail: `Written as a temporary file in the kernel folder (${places.folder}), flushed to disk and re-checked against SHA-256 ${p.sha256} before anything is replaced.`,
    },
  ];
  const kVersion = k.present && k.header ? k.header.version : null;
  const rVersion = r.present && r.header ? r.header.version : null;
  if (kind === 'keep-previous') {
    steps.push({ id: 'keep-previous', title: `Keep kernel ${kHeader!.version} as the fallback you can roll back to`, effect: 'keep', detail: 'kernel is moved to kernel.rollback.' });
    if (r.present) {
      steps.push({ id: 'drop-rollback', title: `Remove the older fallback${rVersion ? ` kernel ${rVersion}` : ''} (only one fallback is kept)`, effect: 'remove', detail: 'The old kernel.rollback is replaced.' });
    }
  } else if (kind === 'fresh' && r.present && r.valid) {
    steps.push({ id: 'keep-rollback', title: `Keep the fallback${rVersion ? ` kernel ${rVersion}` : ''} you can roll back to`, effect: 'keep', detail: 'kernel.rollback is not changed.' });
  } else if (kind === 'replace-bad') {
    const why = kVersion ? (k.present && k.header && isBad(state, k.header.release) ? 'you rolled back from it' : 'a rollback from it is active') : 'it is not a valid kernel';
    if (r.present && r.valid) {
      steps.push({ id: 'keep-rollback', title: `Keep the fallback${rVersion ? ` kernel ${rVersion}` : ''} you can roll back to`, effect: 'keep', detail: 'kernel.rollback is not changed.' });
    } else {
      steps.push({ id: 'no-fallback', title: 'There is no working fallback kernel to keep, so there is none after the install', effect: 'remove', detail: r.present ? 'kernel.rollback is not a valid kernel; it is left as it is.' : 'kernel.rollback does not exist.' });
    }
    steps.push({ id: 'drop-current', title: `Remove kernel ${kVersion ?? '(the damaged file)'}: it is not kept as a fallback because ${why}`, effect: 'remove', detail: 'The current kernel file is replaced by the new kernel.' });
  }
  steps.push({ id: 'replace', title: `Make kernel ${p.version} the kernel WSL uses`, effect: 'add', detail: `Renamed over ${places.folder}\\kernel in one step, so WSL always finds a complete kernel.` });
  if (flag) steps.push({ id: 'clear-flag', title: 'End the rollback, so WSL starts the new kernel', effect: 'setting', detail: `Deletes ${places.flag}.` });
  steps.push({ id: 'record', title: `Note version ${p.version} for management tools (Intune, Configuration Manager)`, effect: 'setting', detail: 'HKLM\\SOFTWARE\\WslKernelSetup : KernelVersion (REG_SZ).' });
  return { kind, steps };
}

export async function runInstall(ctx: OpContext, p: PayloadInfo, opts: InstallOptions): Promise<{ plan: InstallPlan; slotsBefore: { k: SlotFacts; r: SlotFacts } }> {
  const { machine } = ctx;
  const fs = machine.fs;
  // Read in full, not from the facts cache (docs/design.md §4: anything that copies a kernel re-hashes it):
  // whether `kernel` is kept as kernel.rollback depends on its version, and a cache entry that no
  // longer matches the file would let a bad version into kernel.rollback (invariant 2).
  // kernel.rollback's facts only word the plan (it is kept or replaced, never copied): the cache,
  // checked against the file's identity, is enough for it.
  const { kernel: k, rollback: r } = await readSlots(machine, { arch: ctx.arch, fresh: 'kernel' });
  const flag = await readFlag(machine);
  const state = await readState(machine);
  const plan = planInstall(p, k, r, flag, state, opts, slotPlaces(machine));
  if (plan.kind === 'nothing-to-do') return { plan, slotsBefore: { k, r } };

  const journal = newJournal('install', 'prepare', { kernel: k, rollback: r, flag, badVersions: state.badVersions, badReleases: state.badReleases }, {
    temps: (id) => (plan.kind === 'keep-previous' ? [payloadTemp(id), previousTemp(id)] : [payloadTemp(id)]),
    payload: payloadFacts(p),
    installCase: plan.kind,
  });
  await fs.mkdir(machine.toolsDir);
  await writeJournal(machine, journal, 'install.journal-prepare');
  failpoint('install.prepared');

  const staged = join(machine.toolsDir, payloadTemp(journal.id));
  const previous = join(machine.toolsDir, previousTemp(journal.id));
  await stageVerified(ctx, journal, p.path, staged, {
    sha256: p.sha256,
    title: `Copying kernel ${p.version}`,
    mismatch: 'The staged copy of the kernel does not match the payload',
  }, 'install', { flushFolder: plan.kind !== 'keep-previous' }); // keep-previous: flushed with the link below
  progress(ctx, 'stage', 'Verified', p.size, p.size);
  if (plan.kind === 'keep-previous') {
    try {
      // A hard link keeps the old kernel under our name without copying it; where links are not
      // possible, a flushed copy verified against the hash of the kernel it preserves.
      try {
        await fs.link(k.path, previous);
      } catch {
        const copied = await copyDurable(fs, k.path, previous, { failpointPrefix: 'install.previous' });
        if (k.present && copied !== k.sha256) {
          throw new KernelSetupError('io-error', 'The copy of the current kernel does not match it; nothing was changed.');
        }
      }
      // The old kernel's second name (and the staged copy's) must be durable before `kernel` stops pointing at it.
      await syncDir(fs, machine.toolsDir);
      failpoint('install.previous-linked');
      if (ctx.signal?.aborted) throw new KernelSetupError('cancelled');
    } catch (err) {
      await undoUncommitted(ctx, journal);
      throw err;
    }
  }
  // keep-previous: the rename of the old kernel over kernel.rollback follows at once, and one flush
  // makes both durable (completeInstall).
  const committed = await commitStaged(ctx, journal, staged, 'install', 'kernel-replaced', { flushFolder: plan.kind !== 'keep-previous' });
  await finishOrUndo(ctx, committed, 'installation', `Kernel ${p.release} is installed`, () => completeInstall(ctx, committed));
  return { plan, slotsBefore: { k, r } };
}

/** Steps after `kernel` holds P; shared with recovery. Idempotent. */
export async function completeInstall(ctx: OpContext, journal: Journal): Promise<void> {
  const { machine } = ctx;
  const fs = machine.fs;
  const previous = join(machine.toolsDir, previousTemp(journal.id));
  if (journal.installCase === 'keep-previous' && (await fs.stat(previous))) {
    await renameWithRetry(fs, previous, slotPath(machine, 'kernel.rollback'));
    await syncDir(fs, machine.toolsDir);
    failpoint('install.rollback-replaced');
  }
  if (await readFlag(machine)) {
    await clearFlag(machine);
    failpoint('install.flag-cleared');
  }
  await writeDetection(machine, journal.payload!.version);
  failpoint('install.detection-written');
  const state = await readState(machine);
  const at = new Date().toISOString();
  const p = journal.payload!;
  state.slots.kernel = { sha256: p.sha256, version: p.version, release: p.release, size: p.size, at };
  if (journal.installCase === 'keep-previous' && journal.before.kernel) {
    state.slots.rollback = { ...journal.before.kernel, at };
  }
  await writeState(machine, state, 'install.state');
  failpoint('install.state-written');
  // The files were verified as they were written: remember their facts so status stays cheap.
  const arch = ctx.arch ?? 'x64';
  const kStat = await fs.stat(slotPath(machine, 'kernel'));
  const known: KnownFacts[] = kStat ? [{ name: 'kernel', stat: kStat, sha256: p.sha256, header: { arch, release: p.release, version: p.version } }] : [];
  const before = journal.before.kernel;
  const rStat = await fs.stat(slotPath(machine, 'kernel.rollback'));
  if (journal.installCase === 'keep-previous' && before && rStat) {
    known.push({ name: 'kernel.rollback', stat: rStat, sha256: before.sha256, header: { arch, release: before.release, version: before.version } });
  }
  await rememberFacts(machine, ...known);
  await removeTemps(fs, machine.toolsDir, journal.temps);
  await clearJournal(machine);
  failpoint('install.done');
}

/** What installing P means here, in the words of the wizard's first screen (update, downgrade …). */
export function describeChange(p: PayloadInfo, k: SlotFacts, r: SlotFacts, flag: boolean): PlanChange {
  const inUse = flag ? r : k;
  const from = inUse.present && inUse.valid && inUse.header ? inUse.header.version : null;
  const kHeader = k.present && k.valid ? k.header : null;
  if (!kHeader) return { kind: 'install', from, to: p.version };
  if (k.present && k.sha256 === p.sha256 && !flag) return { kind: 'up-to-date', from, to: p.version };
  const order = compareLevels(p.release, kHeader.release);
  return { kind: order > 0 ? 'update' : order < 0 ? 'downgrade' : 'reinstall', from, to: p.version };
}
