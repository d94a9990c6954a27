/**
 * The repairs that copy no kernel: clear an orphaned RollbackKernel, delete leftover temps, and
 * record the current files as known.
 */
import { dirname, join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import { failpoint } from '../machine/failpoints';
import type { OpContext } from '../steps/context';
import { removeIfExists, removeTemps, syncDir } from '../steps/file-steps';
import { clearFlag, readFlag, setFlag, writeDetection } from '../steps/registry-steps';
import { readSlots } from '../state/slots';
import { clearJournal, writeJournal } from '../state/journal';
import type { Journal } from '../state/journal';
import { readState, writeState } from '../state/state-files';
import type { TempFile } from '../state/temps';
import { newJournal } from '../steps/new-journal';

/** These operations only finish once journaled: the journal is written in the commit phase. */
async function baseJournal(ctx: OpContext, op: Journal['op'], temps: string[], version?: string): Promise<Journal> {
  const { kernel, rollback } = await readSlots(ctx.machine, { arch: ctx.arch });
  const state = await readState(ctx.machine);
  const before = { kernel, rollback, flag: await readFlag(ctx.machine), badVersions: state.badVersions, badReleases: state.badReleases };
  return newJournal(op, 'commit', before, { temps: () => temps, ...(version !== undefined ? { version } : {}) });
}

/**
 * clear-rollback-flag: WSL boots `kernel` again. Only with a valid kernel: clearing the flag with
 * none would leave WSL nothing to boot (invariant 1). The bad-version list is kept as it is.
 */
export async function runClearFlag(ctx: OpContext): Promise<{ version: string }> {
  if (!(await readFlag(ctx.machine))) throw new KernelSetupError('fix-not-applicable', 'RollbackKernel is not set: there is no flag to clear.');
  const { kernel: k } = await readSlots(ctx.machine, { arch: ctx.arch, fresh: true });
  if (!k.present || !k.valid || !k.header) {
    throw new KernelSetupError('kernel-missing', 'The kernel file is missing or not valid: clearing RollbackKernel would leave WSL nothing to boot. Repair the kernel first.');
  }
  const journal = await baseJournal(ctx, 'clear-flag', [], k.header.version);
  await writeJournal(ctx.machine, journal, 'repair.clear-flag.journal');
  failpoint('repair.clear-flag.journaled');
  await completeClearFlag(ctx, journal);
  return { version: k.header.version };
}

/** Idempotent: recovery runs it again after a crash. */
async function completeClearFlag(ctx: OpContext, journal: Journal): Promise<void> {
  if (await readFlag(ctx.machine)) {
    await clearFlag(ctx.machine);
    failpoint('repair.clear-flag.cleared');
  }
  if (journal.version) await writeDetection(ctx.machine, journal.version);
  await clearJournal(ctx.machine);
  failpoint('repair.clear-flag.done');
}

export async function recoverClearFlag(ctx: OpContext, journal: Journal, actions: string[]): Promise<'completed' | 'undone'> {
  const { kernel: k } = await readSlots(ctx.machine, { arch: ctx.arch, fresh: true });
  if (k.present && k.valid) {
    await completeClearFlag(ctx, journal);
    actions.push(`Completed clearing RollbackKernel: WSL boots kernel${journal.version ? ` ${journal.version}` : ''}.`);
    return 'completed';
  }
  // The kernel is no longer valid: put the flag back as it was rather than leave nothing to boot.
  if (journal.before.flag && !(await readFlag(ctx.machine))) await setFlag(ctx.machine);
  await clearJournal(ctx.machine);
  actions.push('Undid clearing RollbackKernel: the kernel file is not valid.');
  return 'undone';
}

/**
 * clean-temps: delete leftover temps. The tools-folder ones are journaled so recovery finishes
 * the job; the others (state folder) are deleted one by one: each unlink is atomic, nothing refers
 * to them, and a crash leaves the rest for the next diagnose to report.
 */
export async function runCleanTemps(ctx: OpContext, temps: TempFile[]): Promise<string[]> {
  const fs = ctx.machine.fs;
  const tools = temps.filter((t) => t.where === 'tools').map((t) => t.name);
  const journal = await baseJournal(ctx, 'cleanup', tools);
  await writeJournal(ctx.machine, journal, 'repair.clean.journal');
  failpoint('repair.clean.journaled');
  const removed: string[] = [];
  for (const name of tools) {
    await removeIfExists(fs, join(ctx.machine.toolsDir, name));
    removed.push(name);
    failpoint('repair.clean.removed');
  }
  if (tools.length) await syncDir(fs, ctx.machine.toolsDir);
  const dirs = new Set<string>();
  for (const t of temps.filter((x) => x.where !== 'tools')) {
    await removeIfExists(fs, t.path);
    removed.push(t.name);
    dirs.add(dirname(t.path));
  }
  for (const d of dirs) await syncDir(fs, d);
  await clearJournal(ctx.machine);
  failpoint('repair.clean.done');
  return removed;
}

export async function recoverCleanup(ctx: OpContext, journal: Journal, actions: string[]): Promise<'completed'> {
  const removed = await removeTemps(ctx.machine.fs, ctx.machine.toolsDir, journal.temps);
  await clearJournal(ctx.machine);
  actions.push(`Completed the interrupted cleanup${removed.length ? `: removed ${removed.length} temporary file(s)` : ''}.`);
  return 'completed';
}

/**
 * record-current: accept the current (valid) slot files as known. One atomic replace of
 * state.json, so after a crash the record is the old one or the new one: no journal is needed.
 */
export async function runRecordCurrent(ctx: OpContext): Promise<string[]> {
  const { kernel: k, rollback: r } = await readSlots(ctx.machine, { arch: ctx.arch, fresh: true });
  const state = await readState(ctx.machine);
  const at = new Date().toISOString();
  const recorded: string[] = [];
  for (const [slot, key] of [[k, 'kernel'], [r, 'rollback']] as const) {
    const rec = state.slots[key];
    if (!slot.present || !slot.valid || !slot.header || !rec || rec.sha256 === slot.sha256) continue;
    state.slots[key] = { sha256: slot.sha256, version: slot.header.version, release: slot.header.release, size: slot.size, at };
    recorded.push(`${slot.name} ${slot.header.version}`);
  }
  if (!recorded.length) throw new KernelSetupError('fix-not-applicable', 'Both kernel files match what the tool recorded: there is nothing to record.');
  await writeState(ctx.machine, state, 'repair.record.state');
  failpoint('repair.record.done');
  return recorded;
}
