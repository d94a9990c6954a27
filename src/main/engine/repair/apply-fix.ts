/**
 * Apply one tool fix, with the pre-checks it needs. Each fix is one journaled operation (see the
 * files it calls); this module only decides which operation and refuses what the rules forbid.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { Check, PayloadInfo } from '../../../shared/types';
import type { OpContext } from '../steps/context';
import { runInstall } from '../ops/install';
import { evaluateChecks, firstFailure } from '../machine/prechecks';
import type { WindowsFacts } from '../machine/prechecks';
import type { ToolFixId } from './fix-catalog';
import type { Snapshot } from './inspect';
import { usableBundled } from './inspect';
import { payloadFromMsi } from './msi-payload';
import { runReinstall } from '../ops/reinstall';
import { runRestore } from '../ops/restore';
import { runClearFlag, runCleanTemps, runRecordCurrent } from '../ops/small-ops';
import { fixKernelLine } from './wslconfig-fix';

export interface FixEnv {
  ctx: OpContext;
  facts: WindowsFacts;
  snap: Snapshot;
  msi?: string;
}

export interface FixOutcome {
  message: string;
  /** The kernel WSL boots may have changed: offer the WSL restart. */
  kernelChanged: boolean;
}

/** A pre-check refusal that carries the checks, so the result can show them. */
function refuse(check: Check, checks: Check[]): never {
  throw new KernelSetupError(check.code ?? 'io-error', check.message, { checks });
}

/** Only the checks that matter for changing files that are not a new payload: rights and space. */
function requireBasics(facts: WindowsFacts, needBytes: number): void {
  const checks = evaluateChecks(facts, { payload: null, needBytes }).filter((c) => c.id === 'elevated' || c.id === 'disk-space');
  const bad = firstFailure(checks);
  if (bad) refuse(bad, checks);
}

/** Every pre-check of docs/design.md §5 rule 1, as for an install of `payload`. */
function requireInstallChecks(facts: WindowsFacts, payload: PayloadInfo): void {
  const checks = evaluateChecks(facts, { payload, needBytes: payload.size });
  const bad = firstFailure(checks);
  if (bad) refuse(bad, checks);
}

function bundledOrRefuse(snap: Snapshot): PayloadInfo {
  const p = usableBundled(snap);
  if (!p) {
    throw new KernelSetupError(snap.bundledProblem ? 'fix-not-applicable' : 'not-a-kernel', snap.bundledProblem ? `The bundled kernel cannot be used: ${snap.bundledProblem}.` : 'No bundled kernel was found: use --from-msi FILE, or install with --payload PATH.');
  }
  return p;
}

export async function applyFix(id: ToolFixId, env: FixEnv): Promise<FixOutcome> {
  const { ctx, facts, snap } = env;
  switch (id) {
    case 'recover':
      // The operation lock's recovery already ran before any fix (CommandRunner.mutate); see commands.ts.
      return { message: 'Recovered the interrupted operation.', kernelChanged: true };
    case 'clean-temps': {
      requireBasics(facts, 0);
      const removed = await runCleanTemps(ctx, snap.temps);
      return { message: `Deleted ${removed.length} leftover temporary file(s).`, kernelChanged: false };
    }
    case 'restore-rollback': {
      requireBasics(facts, snap.rollback.facts.present ? snap.rollback.facts.size * (snap.kernel.facts.present ? 2 : 1) : 0);
      const { version, quarantined } = await runRestore(ctx);
      return { message: `Copied kernel.rollback (${version}) to kernel${quarantined ? `; the damaged file was kept as ${quarantined}` : ''}.`, kernelChanged: true };
    }
    case 'install-bundled':
      return installPayload(env, bundledOrRefuse(snap), 'the bundled kernel');
    case 'install-from-msi': {
      if (!env.msi) throw new KernelSetupError('usage', 'The fix install-from-msi needs the package: repair --fix install-from-msi --from-msi FILE.');
      const msi = await payloadFromMsi(ctx, env.msi);
      try {
        return await installPayload(env, msi.payload, `the kernel from ${env.msi}`);
      } finally {
        await msi.dispose();
      }
    }
    case 'reinstall': {
      if (env.msi) {
        const msi = await payloadFromMsi(ctx, env.msi);
        try {
          return await reinstall(env, msi.payload, `the kernel from ${env.msi}`);
        } finally {
          await msi.dispose();
        }
      }
      return reinstall(env, bundledOrRefuse(snap), 'the bundled kernel');
    }
    case 'clear-rollback-flag': {
      requireBasics(facts, 0);
      const { version } = await runClearFlag(ctx);
      return { message: `Cleared RollbackKernel: WSL boots kernel ${version} again.`, kernelChanged: true };
    }
    case 'record-current': {
      requireBasics(facts, 0);
      const recorded = await runRecordCurrent(ctx);
      return { message: `Recorded the current files as known: ${recorded.join(', ')}.`, kernelChanged: false };
    }
    case 'wslconfig-fix-line':
      return { message: await fixKernelLine(ctx.machine, snap), kernelChanged: true };
  }
}

async function reinstall(env: FixEnv, payload: PayloadInfo, what: string): Promise<FixOutcome> {
  requireInstallChecks(env.facts, payload);
  const { quarantined } = await runReinstall(env.ctx, payload);
  return { message: `Reinstalled ${what} (${payload.version})${quarantined ? `; the previous file was kept as ${quarantined}` : ''}.`, kernelChanged: true };
}

/**
 * The normal install path of docs/design.md §5 (its refusals apply). A present but unusable kernel (a
 * truncated one still has a valid header) must never become kernel.rollback: that is a reinstall.
 */
async function installPayload(env: FixEnv, payload: PayloadInfo, what: string): Promise<FixOutcome> {
  const k = env.snap.kernel;
  if (k.facts.present && !k.usable) return reinstall(env, payload, what);
  requireInstallChecks(env.facts, payload);
  const { plan } = await runInstall(env.ctx, payload, {});
  if (plan.kind === 'nothing-to-do') return { message: `Kernel ${payload.version} is already installed; nothing to do.`, kernelChanged: false };
  return { message: `Installed ${what} (${payload.version}).`, kernelChanged: true };
}
