/**
 * The engine's commands: one method per command, each returning the result object of
 * docs/design.md §7. Expected failures become results with an error code; only bugs throw. How a
 * command runs (lock, recovery, history, result) is the CommandRunner's.
 */
import { KernelSetupError } from '../../shared/errors';
import type { ErrorCode } from '../../shared/errors';
import type { Check, CommandResult, Finding, HistoryEntry, PayloadInfo } from '../../shared/types';
import { healthOf } from './state/health';
import { evaluateChecks, firstFailure, readWindowsFacts } from './machine/prechecks';
import type { WindowsFacts } from './machine/prechecks';
import { CommandRunner } from './ops/command-runner';
import { enableFeatures } from './ops/windows-features';
import type { RunOptions } from './ops/command-runner';
import type { HeldPayload } from './kernel/payload-input';
import type { InstallOptions } from './ops/install';
import { describeChange, planInstall, runInstall, slotPlaces } from './ops/install';
import { checkRollback, checkUndo, runRollback, runUndoRollback } from './ops/rollback';
import type { DiagnoseOptions, RepairOptions } from './repair/commands';
import { readSlots } from './state/slots';
import { readHistory, readState } from './state/state-files';
import { readFlag } from './steps/registry-steps';
import { inboxOverrideWarning } from './store/inbox-warning';
import { healStore, isStoreWsl, storeAvailability, storeInstall, storePlan, storeRollback, storeUndoRollback, useDefault, type StoreOptions } from './store/store-commands';
import type { UserChoice } from './store/store-users';
import type { Machine } from './machine/machine';
import { pendingFinding } from './ops/pending';
import { verifyCommand, verifyInstalled } from './ops/boot-commands';
import { loadRepair } from './repair/on-demand';

export type { Body, EngineOptions, RunOptions } from './ops/command-runner';

export interface InstallRequest extends InstallOptions, RunOptions, StoreOptions {
  /** A payload path; default: the bundled payload. */
  payload?: string;
  /** Restart WSL and check that the new kernel boots (docs/design.md §10); exit 1627 when it does not. */
  verify?: boolean;
  /** With `verify`: when the new kernel does not boot, roll back, restart and check the previous one. */
  autoRollback?: boolean;
}

export class Engine extends CommandRunner {
  /** The same engine on another machine view (the store WSL slots). */
  withMachine(machine: Machine): Engine {
    return new Engine(machine, this.options);
  }

  async status(): Promise<CommandResult> {
    try {
      // Status always answers: an interrupted operation that cannot be finished yet is a finding.
      let recovery = null;
      let pending: Finding | null = null;
      try {
        recovery = await this.recoverIfIdle();
      } catch (err) {
        pending = await pendingFinding(this.machine, err);
      }
      await healStore(this).catch(() => undefined);
      const s = await this.readStatus();
      if (s.flavour === 'store' && s.boot) {
        const b = s.boot.kernel;
        const what = b.present ? `kernel ${b.version ?? '(not a valid kernel)'}` : 'a missing kernel';
        const whose = s.boot.toolOwned ? 'installed by this tool' : s.boot.source === 'wslconfig' ? 'named in .wslconfig' : "WSL's own";
        const message = `Store WSL ${s.wslVersion ?? ''} boots ${what} (${whose}).${pending ? ` ${pending.observed}` : ''}`.replace('WSL  boots', 'WSL boots');
        return await this.result({ message, ...(pending ? { findings: [pending] } : {}) }, { recovery });
      }
      const k = s.kernel.present ? `kernel ${s.kernel.version ?? '(not a valid kernel)'}` : 'no kernel';
      const r = s.rollbackKernel.present ? `, kernel.rollback ${s.rollbackKernel.version ?? '(not a valid kernel)'}` : '';
      const boots = s.effective ? `WSL boots ${s.effective}` : 'WSL has no kernel to boot';
      const message = `${k}${r}; ${boots}${s.rollbackActive ? ' (rolled back)' : ''}.${pending ? ` ${pending.observed}` : ''}`;
      return await this.result({ message, ...(pending ? { findings: [pending] } : {}) }, { recovery, status: s });
    } catch (err) {
      return this.failure(err);
    }
  }

  private async checksFor(
    facts: WindowsFacts,
    path?: string,
    run: RunOptions = {},
  ): Promise<{ checks: Check[]; payload: PayloadInfo | null; dispose: () => Promise<void> }> {
    let held: HeldPayload | null = null;
    let input: Parameters<typeof evaluateChecks>[1]['payload'] = null;
    try {
      held = await this.holdPayload(path, run);
      input = held?.payload ?? null;
    } catch (err) {
      if (!(err instanceof KernelSetupError)) throw err;
      if (err.code === 'cancelled') throw err;
      input = { error: err.code, message: err.message };
    }
    const payload = held?.payload ?? null;
    return { checks: evaluateChecks(facts, { payload: input, needBytes: payload?.size ?? 0 }), payload, dispose: held ? held.dispose : async () => undefined };
  }

  async precheck(path?: string): Promise<CommandResult> {
    try {
      const recovery = await this.recoverIfIdle();
      const facts = await readWindowsFacts(this.machine);
      const { checks, payload, dispose } = await this.checksFor(facts, path);
      await dispose();
      const failed = checks.filter((c) => c.status === 'fail');
      const first = failed[0];
      return await this.result(
        {
          message: first ? `${failed.length} pre-check(s) failed: ${failed.map((c) => c.id).join(', ')}.` : 'All pre-checks pass.',
          checks,
          ...(first?.code ? { code: first.code } : {}),
          ...(payload ? { payload } : {}),
        },
        { recovery },
      );
    } catch (err) {
      return this.failure(err);
    }
  }

  /** What an install would do, without doing it (the wizard's Plan screen). */
  async plan(path?: string, opts: InstallOptions & StoreOptions = {}): Promise<CommandResult> {
    if (await isStoreWsl(this)) return storePlan(this, path, opts);
    try {
      const facts = await readWindowsFacts(this.machine);
      const { checks, payload, dispose } = await this.checksFor(facts, path);
      await dispose();
      const failed = firstFailure(checks);
      const arch = await this.arch();
      const { kernel, rollback } = await readSlots(this.machine, { arch });
      const flag = await readFlag(this.machine);
      const change = payload ? { change: describeChange(payload, kernel, rollback, flag) } : {};
      if (failed || !payload) {
        return await this.result({ code: failed?.code ?? 'not-a-kernel', message: failed?.message ?? 'No kernel to install was found.', checks, ...change, ...(payload ? { payload } : {}) });
      }
      let p;
      try {
        p = planInstall(payload, kernel, rollback, flag, await readState(this.machine), opts, slotPlaces(this.machine));
      } catch (err) {
        if (!(err instanceof KernelSetupError)) throw err;
        return await this.result({ code: err.code, message: err.message, checks, payload, ...change });
      }
      return await this.result({ message: p.kind === 'nothing-to-do' ? `Kernel ${payload.version} is already installed.` : `Ready to install ${payload.version}${fromPackage(payload)}.`, checks, payload, plan: p.steps, kind: p.kind, ...change });
    } catch (err) {
      return this.failure(err);
    }
  }

  async install(req: InstallRequest = {}): Promise<CommandResult> {
    if (!req.verify) return this.installNow(req);
    // The check needs WSL restarted: --verify implies --shutdown-wsl.
    return verifyInstalled(this, await this.installNow({ ...req, shutdownWsl: true }), req.autoRollback === true);
  }

  /** Start WSL and check that it runs the kernel it should boot (docs/design.md §10). */
  verify(run: RunOptions = {}): Promise<CommandResult> {
    return verifyCommand(this, run);
  }

  private async installNow(req: InstallRequest): Promise<CommandResult> {
    if (await isStoreWsl(this)) return storeInstall(this, req);
    return this.mutate('install', req, async (ctx, facts) => {
      const { checks, payload, dispose } = await this.checksFor(facts, req.payload, req);
      try {
        const failed = firstFailure(checks);
        if (failed || !payload) {
          return { code: failed?.code ?? 'not-a-kernel', message: failed?.message ?? 'No kernel to install was found: give one with --payload.', checks };
        }
        // A kernel extracted from a package stays in the staging folder until it has been installed.
        const { plan } = await runInstall(ctx, payload, req);
        if (plan.kind === 'nothing-to-do') {
          return { message: `Kernel ${payload.version}${fromPackage(payload)} is already installed; nothing to do.`, payload, plan: [] };
        }
        return { message: `Installed kernel ${payload.version}${fromPackage(payload)}.`, payload, plan: plan.steps, ...(await this.restartOffer()), ...(await inboxOverrideWarning(this)) };
      } finally {
        await dispose();
      }
    });
  }

  async rollback(run: RunOptions = {}): Promise<CommandResult> {
    if (await isStoreWsl(this)) return storeRollback(this, run);
    return this.mutate('rollback', run, async (ctx, facts) => {
      if (!facts.elevated) return { code: 'not-elevated', message: 'Rolling back needs administrator rights.', checks: evaluateChecks(facts, { payload: null, needBytes: 0 }).filter((c) => c.id === 'elevated') };
      const { from, to } = await runRollback(ctx);
      return { message: `Rolled back to kernel ${to}${from ? `; ${from} is marked bad` : ''}.`, ...(await this.restartOffer()) };
    });
  }

  async undoRollback(run: RunOptions = {}): Promise<CommandResult> {
    if (await isStoreWsl(this)) return storeUndoRollback(this, run);
    return this.mutate('undo-rollback', run, async (ctx, facts) => {
      if (!facts.elevated) return { code: 'not-elevated', message: 'Undoing a rollback needs administrator rights.', checks: evaluateChecks(facts, { payload: null, needBytes: 0 }).filter((c) => c.id === 'elevated') };
      const { version } = await runUndoRollback(ctx);
      return { message: `Undid the rollback: WSL boots kernel ${version} again.`, ...(await this.restartOffer()) };
    });
  }

  /** Why Rollback / Undo are unavailable right now, for the settings screen (null when available). */
  async availability(): Promise<{ rollback: { code: ErrorCode; message: string } | null; undo: { code: ErrorCode; message: string } | null }> {
    const ctx = this.ctx(await this.arch());
    const why = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
        return null;
      } catch (err) {
        if (err instanceof KernelSetupError) return { code: err.code, message: err.message };
        throw err;
      }
    };
    // On a machine WSL cannot start, neither action is the fix: the health verdict says what is.
    const health = healthOf(await this.readStatus(), await readWindowsFacts(this.machine).catch(() => null));
    if (health.state === 'broken' || health.state === 'no-kernel') {
      const blocked = { code: health.code ?? 'kernel-missing', message: `${health.message} ${health.action === 'install' ? 'Install a kernel first.' : 'Repair it first.'}` };
      return { rollback: blocked, undo: blocked };
    }
    if (await isStoreWsl(this)) return storeAvailability(this);
    return { rollback: await why(() => checkRollback(ctx)), undo: await why(() => checkUndo(ctx)) };
  }

  /** Turn on the Windows features WSL 2 needs (the fix of the failed feature pre-checks). */
  enableFeatures(run: RunOptions = {}): Promise<CommandResult> {
    return enableFeatures(this, run);
  }

  async shutdownWsl(): Promise<CommandResult> {
    try {
      const shutdown = await this.doShutdown();
      return await this.result({ message: shutdown.stopped.length ? `WSL shut down (stopped ${shutdown.stopped.join(', ')}).` : 'WSL shut down.', shutdown });
    } catch (err) {
      return this.failure(err);
    }
  }

  /** "Use WSL's own kernel again" (store WSL): each user's .wslconfig as before the tool's first install. */
  useDefault(choice: UserChoice = {}): Promise<CommandResult> {
    return useDefault(this, choice);
  }

  // Repair and its findings (and through them the MSI reader) load when asked for, so the other
  // commands do not parse them at start-up.
  async diagnose(opts: DiagnoseOptions = {}): Promise<CommandResult> {
    return (await loadRepair()).diagnoseCommand(this, opts);
  }

  async repair(opts: RepairOptions = {}): Promise<CommandResult> {
    return (await loadRepair()).repairCommand(this, opts);
  }

  history(limit?: number): Promise<HistoryEntry[]> {
    return readHistory(this.machine, limit);
  }
}

/** " (from WSL 2.4.13)" or " (from wsl_update_x64.msi)" for a kernel read out of a package. */
function fromPackage(payload: PayloadInfo): string {
  const src = payload.source;
  if (!src) return '';
  if (src.wslVersion) return ` (from WSL ${src.wslVersion})`;
  return ` (from ${src.path.split(/[\\/]/).pop()})`;
}
