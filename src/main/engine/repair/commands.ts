/**
 * diagnose / repair commands (docs/design.md §5 repair, docs/design.md §7).
 *
 * diagnose only reads: it reports an interrupted operation instead of recovering it. repair runs
 * under the operation lock (CommandRunner.mutate, which recovers first), applies one fix or the
 * recommended ones, then diagnoses again and reports what it applied and what is left.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';
import type { Check, CommandResult, Finding } from '../../../shared/types';
import type { Body, CommandRunner, RunOptions } from '../ops/command-runner';
import { readJournal } from '../state/journal';
import { applyFix } from './apply-fix';
import type { FixEnv } from './apply-fix';
import { writeBundle } from './bundle';
import { MANUAL_FIXES, allFixIds, isManualFix, isToolFix } from './fix-catalog';
import type { ToolFixId } from './fix-catalog';
import { findingsOf, repairQueue, summarize } from './findings';
import { takeSnapshot } from './inspect';
import { msiexecRoute } from './msi-payload';
import { mapFsError } from '../machine/fs-errors';
import { recognisePastedError } from './pasted-error';
import type { Recognised } from './pasted-error';
import { pastedErrorOutcome, pastedSummary } from './pasted-error-machine';
import type { PastedOutcome } from './pasted-error-machine';

export interface DiagnoseOptions {
  bundle?: string;
  /** An error message the user pasted (docs/design.md §13): the result says what it means on this machine. */
  error?: string;
  /** Replace an existing file of the user's (never one the tool owns). */
  force?: boolean;
}

export interface RepairOptions extends RunOptions {
  fix?: string;
  fromMsi?: string;
}

export async function diagnoseCommand(engine: CommandRunner, opts: DiagnoseOptions): Promise<CommandResult> {
  let recognised: Recognised | null = null;
  try {
    // Checked before anything is read: an oversized or empty paste is a usage error.
    if (opts.error !== undefined) recognised = recognisePastedError(opts.error);
  } catch (err) {
    if (err instanceof KernelSetupError) return engine.result({ code: err.code, message: err.message });
    throw err;
  }
  try {
    const snap = await takeSnapshot(engine);
    let findings = findingsOf(snap, engine.machine);
    let pasted: PastedOutcome | null = null;
    if (opts.error !== undefined) {
      pasted = pastedErrorOutcome(recognised, snap, findings);
      findings = pasted.findings;
    }
    const body: Body = { message: pasted ? `${pastedSummary(pasted.report)} ${summarize(findings)}` : summarize(findings), findings, checks: snap.checks };
    if (pasted) body.pastedError = pasted.report;
    const result = await engine.result(body);
    if (opts.bundle) {
      result.bundle = await writeBundle(engine, opts.bundle, { snap, findings, status: result.status }, opts.force === true);
      result.message += ` Diagnostics bundle: ${result.bundle}.`;
    }
    return result;
  } catch (err) {
    return engine.failure(err);
  }
}

/** The error a repair ends with when a finding of this kind is still there. */
const FINDING_CODES: Record<string, ErrorCode> = {
  'windows-build-unsupported': 'wsl-unsupported-build',
  'unsupported-architecture': 'wsl-unsupported-build',
  'wsl-not-enabled': 'wsl-not-enabled',
  'restart-pending': 'reboot-required',
  'vm-platform-missing': 'vm-platform-missing',
  'kernel-missing': 'kernel-missing',
  'kernel-invalid': 'kernel-missing',
  'custom-kernel-missing': 'kernel-missing',
  'wslconfig-kernel-mangled': 'kernel-missing',
  'custom-modules-missing': 'kernel-missing',
  'modules-without-kernel': 'kernel-missing',
  'rollback-flag-orphaned': 'no-rollback-kernel',
  'state-damaged': 'invalid-machine',
};

/** Refusals decided from the command line alone: nothing is read or changed. */
function commandLineProblem(fix: string | undefined, fromMsi: string | undefined): { message: string; remedy?: string } | null {
  if (fix === undefined) return null;
  if (isManualFix(fix)) {
    const m = MANUAL_FIXES[fix];
    return { message: `${fix} is a step for you to take, not one the tool can apply: ${m.title}.`, remedy: m.steps.join(' ') };
  }
  const message = usageProblem(fix, fromMsi);
  return message ? { message } : null;
}

function usageProblem(fix: string, fromMsi: string | undefined): string | null {
  if (!isToolFix(fix)) return `Unknown fix "${fix}". Fixes: ${allFixIds().join(', ')}.`;
  if (fix === 'install-from-msi' && !fromMsi) return 'The fix install-from-msi needs the installer package: --from-msi FILE.';
  if (fromMsi && fix !== 'install-from-msi' && fix !== 'reinstall') return `--from-msi goes with the fixes install-from-msi and reinstall, not ${fix}.`;
  return null;
}

export async function repairCommand(engine: CommandRunner, opts: RepairOptions): Promise<CommandResult> {
  const fix = opts.fix ?? (opts.fromMsi ? 'install-from-msi' : undefined);
  const problem = commandLineProblem(fix, opts.fromMsi);
  if (problem) return engine.result({ code: 'usage', ...problem });
  const wanted = fix as ToolFixId | undefined;
  let hadJournal: boolean;
  try {
    hadJournal = (await readJournal(engine.machine)).kind !== 'none';
  } catch (err) {
    return engine.failure(err);
  }
  if (wanted === 'recover' && !hadJournal) {
    return engine.result({ code: 'fix-not-applicable', message: 'There is no interrupted operation to recover.' });
  }
  const result = await engine.mutate('repair', opts, async (ctx, facts) => {
    const applied: string[] = [];
    const notes: string[] = [];
    // CommandRunner.mutate recovered the journal before this body ran: that was the fix "recover".
    if (hadJournal && (await readJournal(engine.machine)).kind === 'none') applied.push('recover');
    let kernelChanged = applied.length > 0;
    const env = (snap: FixEnv['snap']): FixEnv => ({ ctx, facts, snap, ...(opts.fromMsi ? { msi: opts.fromMsi } : {}) });
    const finish = async (extra: Partial<Body> = {}): Promise<Body> => {
      const findings = findingsOf(await takeSnapshot(engine, { underLock: true }), engine.machine);
      return { message: [...notes, summarize(findings)].join(' '), applied, findings, ...(kernelChanged ? await engine.restartOffer() : {}), ...extra };
    };
    try {
      if (wanted && wanted !== 'recover') {
        const snap = await takeSnapshot(engine, { underLock: true });
        const findings = findingsOf(snap, engine.machine);
        const offered = wanted === 'install-from-msi' || findings.some((f) => f.fixes.some((x) => x.id === wanted));
        if (!offered) {
          return { code: 'fix-not-applicable', message: `The fix ${wanted} does not apply now. ${summarize(findings)}`, applied, findings };
        }
        const out = await applyFix(wanted, env(snap));
        applied.push(wanted);
        notes.push(out.message);
        kernelChanged ||= out.kernelChanged;
      } else if (!wanted) {
        await repairAll(engine, env, applied, notes, (changed) => (kernelChanged ||= changed), opts.signal);
      }
    } catch (err) {
      const e = err instanceof KernelSetupError ? err : mapFsError(err, 'repairing');
      const checks = e.details.checks as Check[] | undefined;
      const remedy = e.code === 'unsupported-compression' && opts.fromMsi && engine.machine.kind === 'windows' ? { remedy: `On Windows: ${msiexecRoute(opts.fromMsi, 'C:\\temp\\wsl-kernel')}.` } : {};
      notes.push(applied.length ? `Applied ${applied.join(', ')}; then: ${e.message}` : e.message);
      return finish({ code: e.code, ...(checks ? { checks } : {}), ...remedy });
    }
    const body = await finish();
    if (!wanted) {
      // Repairing everything ends in an error while a problem the tool cannot fix remains.
      const left = (body.findings ?? []).find((f: Finding) => f.severity === 'error');
      if (left) {
        body.code = FINDING_CODES[left.id] ?? 'fix-not-applicable';
        body.message = `${applied.length ? '' : 'Nothing the tool can repair by itself. '}${body.message} Still to do: ${left.fixes[0]?.title ?? left.cause}`;
      } else if (!applied.length) {
        body.message = `Nothing to repair. ${body.message}`;
      }
    }
    return body;
  });
  // What recovery did is in `recovery` (one line per action); the message says that it happened.
  if (result.recovery?.length) result.message = `Recovered the interrupted operation. ${result.message}`;
  return result;
}

/** Apply the recommended fix of each error finding (and of the harmless warnings), re-diagnosing after each. */
async function repairAll(
  engine: CommandRunner,
  env: (snap: FixEnv['snap']) => FixEnv,
  applied: string[],
  notes: string[],
  changed: (c: boolean) => void,
  signal?: AbortSignal,
): Promise<void> {
  const attempted = new Set<string>();
  for (let round = 0; round < 10; round++) {
    if (signal?.aborted) throw new KernelSetupError('cancelled');
    const snap = await takeSnapshot(engine, { underLock: true });
    let pick: ToolFixId | null = null;
    for (const f of repairQueue(findingsOf(snap, engine.machine))) {
      // The recommended fix is the finding's first one the tool can apply without more input.
      const first = f.fixes.find((x) => !x.manual && isToolFix(x.id) && x.id !== 'install-from-msi');
      if (first && !attempted.has(first.id)) {
        pick = first.id as ToolFixId;
        break;
      }
    }
    if (!pick) return;
    attempted.add(pick);
    let out;
    try {
      out = await applyFix(pick, env(snap));
    } catch (err) {
      // A fix that does not apply here (the file it needs is not there either): say so, go on with the others.
      if (err instanceof KernelSetupError && err.code === 'fix-not-applicable') {
        notes.push(err.message);
        continue;
      }
      throw err;
    }
    applied.push(pick);
    notes.push(out.message);
    changed(out.kernelChanged);
  }
}
