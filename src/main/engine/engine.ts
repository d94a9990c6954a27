/**
 * The engine's public face: one method per command, each returning the §7 result object.
 * Expected failures become results with an error code; only bugs throw.
 */
import { ERRORS, KernelSetupError, exitCodeFor } from '../../shared/errors';
import type { ErrorCode } from '../../shared/errors';
import type { Arch, Check, CommandResult, Health, HistoryEntry, MachineStatus, PayloadInfo, Progress } from '../../shared/types';
import { healthOf } from './state/health';
import type { Machine } from './machine/machine';
import { REG } from './machine/machine';
import type { OpContext } from './steps/context';
import { mapFsError, newOperationId } from './steps/file-steps';
import type { InstallOptions } from './ops/install';
import { describeChange, planInstall, runInstall } from './ops/install';
import { recover } from './ops/recover';
import type { RecoveryReport } from './ops/recover';
import { readFlag } from './steps/registry-steps';
import { checkRollback, checkUndo, runRollback, runUndoRollback } from './ops/rollback';
import { resolvePayload } from './kernel/payload';
import { diagnoseCommand, repairCommand } from './repair/commands';
import type { DiagnoseOptions, RepairOptions } from './repair/commands';
import { evaluateChecks, firstFailure, readWindowsFacts } from './machine/prechecks';
import type { WindowsFacts } from './machine/prechecks';
import { readSlots, toSlotStatus } from './state/slots';
import { hasWriteLeftovers } from './state/leftovers';
import { acquireLock } from './state/lock';
import { appendHistory, readHistory, readState, statePaths } from './state/state-files';

export interface EngineOptions {
  /** Finds the bundled payload (file or folder), or null when there is none. */
  bundledPayload?: (machine: Machine, arch: Arch | null) => Promise<string | null>;
  /** How long a mutating command waits for another operation to finish (default: not at all). */
  lockWaitMs?: number;
}

export interface RunOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  shutdownWsl?: boolean;
}

export interface InstallRequest extends InstallOptions, RunOptions {
  /** A payload path; default: the bundled payload. */
  payload?: string;
}

export type Body = Omit<CommandResult, 'ok' | 'code' | 'exitCode' | 'status'> & { code?: ErrorCode | null };

export class Engine {
  constructor(
    readonly machine: Machine,
    readonly options: EngineOptions = {},
  ) {}

  async arch(): Promise<Arch | null> {
    const native = await this.machine.facts.nativeArch();
    if (native) return native;
    const v = await this.machine.registry.getValue(REG.environment, 'PROCESSOR_ARCHITECTURE');
    const name = v && (v.type === 'REG_SZ' || v.type === 'REG_EXPAND_SZ') ? v.data.toUpperCase() : '';
    return name === 'AMD64' ? 'x64' : name === 'ARM64' ? 'arm64' : null;
  }

  ctx(arch: Arch | null, run: RunOptions = {}): OpContext {
    return { machine: this.machine, arch, ...(run.onProgress ? { onProgress: run.onProgress } : {}), ...(run.signal ? { signal: run.signal } : {}) };
  }

  /** The §7 `status` object, read from the files, the registry and the tool's state. */
  async readStatus(): Promise<MachineStatus> {
    const arch = await this.arch();
    const { kernel, rollback } = await readSlots(this.machine, { arch });
    const flag = await readFlag(this.machine);
    const state = await readState(this.machine);
    const effective = flag ? (rollback.present ? 'kernel.rollback' : null) : kernel.present ? 'kernel' : null;
    return {
      kernel: toSlotStatus(kernel),
      rollbackKernel: toSlotStatus(rollback),
      rollbackActive: flag,
      effective,
      badVersions: state.badVersions,
      wsl: { running: await this.machine.wsl.listRunning().catch(() => []) },
    };
  }

  /** Shape a result with the status after the command (for commands built outside this file). */
  async result(body: Body, extra: { recovery?: RecoveryReport | null } = {}): Promise<CommandResult> {
    const code = body.code ?? null;
    let status: MachineStatus | null = null;
    let health: Health | undefined;
    try {
      status = await this.readStatus();
      health = healthOf(status, await readWindowsFacts(this.machine).catch(() => null));
    } catch {
      status = null;
    }
    const out: CommandResult = { ok: code === null, exitCode: exitCodeFor(code), status, ...(health ? { health } : {}), ...body, code };
    out.code = code;
    if (code) out.remedy = body.remedy ?? ERRORS[code].remedy;
    if (extra.recovery && extra.recovery.actions.length) out.recovery = extra.recovery.actions;
    return out;
  }

  async failure(err: unknown, checks?: Check[], recovery?: RecoveryReport | null): Promise<CommandResult> {
    const e = err instanceof KernelSetupError ? err : mapFsError(err, 'unexpected error');
    return this.result({ code: e.code, message: e.message, ...(checks ? { checks } : {}) }, { recovery: recovery ?? null });
  }

  /**
   * Run recovery under the lock when no other operation holds it. Read-only commands call this so
   * that an interrupted operation is finished at the start of every command.
   */
  async recoverIfIdle(): Promise<RecoveryReport | null> {
    // Cheap commands stay cheap: without a journal (or a crashed write's temp file) there is
    // nothing to recover and no lock to take.
    if (!(await this.machine.fs.stat(statePaths(this.machine).journal)) && !(await hasWriteLeftovers(this.machine))) return null;
    let lock;
    try {
      lock = await acquireLock(this.machine, 'recover');
    } catch (err) {
      if (err instanceof KernelSetupError && err.code === 'operation-in-progress') return null;
      throw err;
    }
    try {
      const report = await recover(this.ctx(await this.arch()));
      if (report.outcome !== 'none') await this.log('recover', null, report.actions.join(' '), true);
      return report;
    } finally {
      await lock.release();
    }
  }

  /** Run a changing operation: lock, recover, run, history, WSL restart offer. */
  async mutate(
    op: string,
    run: RunOptions,
    body: (ctx: OpContext, facts: WindowsFacts) => Promise<Body>,
  ): Promise<CommandResult> {
    let lock;
    try {
      lock = await acquireLock(this.machine, op, this.options.lockWaitMs ?? 0);
    } catch (err) {
      return this.failure(err);
    }
    let recovery: RecoveryReport | null = null;
    try {
      const arch = await this.arch();
      const ctx = this.ctx(arch, run);
      recovery = await recover(ctx);
      if (recovery.outcome !== 'none') await this.log('recover', null, recovery.actions.join(' '), true);
      const facts = await readWindowsFacts(this.machine);
      const out = await body(ctx, facts);
      if (!out.code && run.shutdownWsl && out.restartNeeded) out.shutdown = await this.doShutdown();
      const result = await this.result(out, { recovery });
      await this.log(op, out.code ?? null, out.message, !out.code, result.status);
      return result;
    } catch (err) {
      const failed = await this.failure(err, undefined, recovery);
      await this.log(op, failed.code, failed.message, false, failed.status);
      return failed;
    } finally {
      await lock.release();
    }
  }

  private async log(op: string, code: ErrorCode | null, message: string, ok: boolean, status?: MachineStatus | null): Promise<void> {
    const entry: HistoryEntry = { id: newOperationId(), op, at: new Date().toISOString(), ok, code, message };
    try {
      const s = status === undefined ? await this.readStatus() : status;
      if (s) {
        entry.kernel = s.kernel.present ? s.kernel.version : null;
        entry.rollbackKernel = s.rollbackKernel.present ? s.rollbackKernel.version : null;
        entry.rollbackActive = s.rollbackActive;
      }
    } catch {
      /* the history line is still useful without the versions */
    }
    await appendHistory(this.machine, entry);
  }

  private async doShutdown(): Promise<{ stopped: string[] }> {
    const stopped = await this.machine.wsl.listRunning().catch(() => []);
    await this.machine.wsl.shutdown();
    return { stopped };
  }

  async restartOffer(): Promise<{ restartNeeded: true; running: string[]; hint: string }> {
    const running = await this.machine.wsl.listRunning().catch(() => []);
    const who = running.length ? `running now: ${running.join(', ')}` : 'no distribution is running';
    return {
      restartNeeded: true,
      running,
      hint: `WSL uses the new kernel after it restarts: run "wsl --shutdown" (or --shutdown-wsl), which stops every WSL 1 and WSL 2 instance (${who}).`,
    };
  }

  async status(): Promise<CommandResult> {
    try {
      const recovery = await this.recoverIfIdle();
      const s = await this.readStatus();
      const k = s.kernel.present ? `kernel ${s.kernel.version ?? '(not a valid kernel)'}` : 'no kernel';
      const r = s.rollbackKernel.present ? `, kernel.rollback ${s.rollbackKernel.version ?? '(not a valid kernel)'}` : '';
      const boots = s.effective ? `WSL boots ${s.effective}` : 'WSL has no kernel to boot';
      return await this.result({ message: `${k}${r}; ${boots}${s.rollbackActive ? ' (rolled back)' : ''}.` }, { recovery });
    } catch (err) {
      return this.failure(err);
    }
  }

  /** Resolve the payload to use: the given path, or the bundled one. */
  async resolvePayload(path?: string, run: RunOptions = {}): Promise<PayloadInfo | null> {
    const source = path ?? (await this.options.bundledPayload?.(this.machine, await this.arch())) ?? null;
    if (!source) return null;
    return resolvePayload(this.machine.fs, source, {
      ...(run.onProgress ? { onProgress: (done: number, total: number) => run.onProgress!({ step: 'verify', title: 'Checking the kernel file', done, total }) } : {}),
      ...(run.signal ? { signal: run.signal } : {}),
    });
  }

  private async checksFor(facts: WindowsFacts, path?: string, run: RunOptions = {}): Promise<{ checks: Check[]; payload: PayloadInfo | null }> {
    let payload: PayloadInfo | null = null;
    let input: Parameters<typeof evaluateChecks>[1]['payload'] = null;
    try {
      payload = await this.resolvePayload(path, run);
      input = payload;
    } catch (err) {
      if (!(err instanceof KernelSetupError)) throw err;
      if (err.code === 'cancelled') throw err;
      input = { error: err.code, message: err.message };
    }
    return { checks: evaluateChecks(facts, { payload: input, needBytes: payload?.size ?? 0 }), payload };
  }

  async precheck(path?: string): Promise<CommandResult> {
    try {
      const recovery = await this.recoverIfIdle();
      const facts = await readWindowsFacts(this.machine);
      const { checks, payload } = await this.checksFor(facts, path);
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
  async plan(path?: string, opts: InstallOptions = {}): Promise<CommandResult> {
    try {
      const facts = await readWindowsFacts(this.machine);
      const { checks, payload } = await this.checksFor(facts, path);
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
        p = planInstall(payload, kernel, rollback, flag, await readState(this.machine), opts);
      } catch (err) {
        if (!(err instanceof KernelSetupError)) throw err;
        return await this.result({ code: err.code, message: err.message, checks, payload, ...change });
      }
      return await this.result({ message: p.kind === 'nothing-to-do' ? `Kernel ${payload.version} is already installed.` : `Ready to install ${payload.version}.`, checks, payload, plan: p.steps, kind: p.kind, ...change });
    } catch (err) {
      return this.failure(err);
    }
  }

  async install(req: InstallRequest = {}): Promise<CommandResult> {
    return this.mutate('install', req, async (ctx, facts) => {
      const { checks, payload } = await this.checksFor(facts, req.payload, req);
      const failed = firstFailure(checks);
      if (failed || !payload) {
        return { code: failed?.code ?? 'not-a-kernel', message: failed?.message ?? 'No kernel to install was found: give one with --payload.', checks };
      }
      const { plan } = await runInstall(ctx, payload, req);
      if (plan.kind === 'nothing-to-do') {
        return { message: `Kernel ${payload.version} is already installed; nothing to do.`, payload, plan: [] };
      }
      return { message: `Installed kernel ${payload.version}.`, payload, plan: plan.steps, ...(await this.restartOffer()) };
    });
  }

  async rollback(run: RunOptions = {}): Promise<CommandResult> {
    return this.mutate('rollback', run, async (ctx, facts) => {
      if (!facts.elevated) return { code: 'not-elevated', message: 'Rolling back needs administrator rights.', checks: evaluateChecks(facts, { payload: null, needBytes: 0 }).filter((c) => c.id === 'elevated') };
      const { from, to } = await runRollback(ctx);
      return { message: `Rolled back to kernel ${to}${from ? `; ${from} is marked bad` : ''}.`, ...(await this.restartOffer()) };
    });
  }

  async undoRollback(run: RunOptions = {}): Promise<CommandResult> {
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
    return { rollback: await why(() => checkRollback(ctx)), undo: await why(() => checkUndo(ctx)) };
  }

  async shutdownWsl(): Promise<CommandResult> {
    try {
      const shutdown = await this.doShutdown();
      return await this.result({ message: shutdown.stopped.length ? `WSL shut down (stopped ${shutdown.stopped.join(', ')}).` : 'WSL shut down.', shutdown });
    } catch (err) {
      return this.failure(err);
    }
  }

  diagnose(opts: DiagnoseOptions = {}): Promise<CommandResult> {
    return diagnoseCommand(this, opts);
  }

  repair(opts: RepairOptions = {}): Promise<CommandResult> {
    return repairCommand(this, opts);
  }

  history(limit?: number): Promise<HistoryEntry[]> {
    return readHistory(this.machine, limit);
  }
}
