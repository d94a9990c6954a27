/**
 * How every command runs (docs/design.md §6, docs/design.md §7): the machine and its architecture, recovery of an
 * interrupted operation first, the one-operation lock around a change, the history line, and the
 * result object with the status after the command. The Engine's commands and the repair commands
 * are built on it.
 */
import { ERRORS, KernelSetupError, exitCodeFor } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';
import type { Arch, BootCheck, Check, CommandResult, Health, HistoryEntry, MachineStatus, PayloadInfo, Progress } from '../../../shared/types';
import { failpoint } from '../machine/failpoints';
import { recordBootCheck, withBootFact } from '../state/boot-facts';
import { checkBoot } from '../wsl/boot-check';
import { mapFsError } from '../machine/fs-errors';
import type { Machine } from '../machine/machine';
import { REG } from '../machine/machine';
import { readWindowsFacts } from '../machine/prechecks';
import type { WindowsFacts } from '../machine/prechecks';
import { resolveInput, type HeldPayload } from '../kernel/payload-input';
import { healthOf } from '../state/health';
import { hasWriteLeftovers } from '../state/leftovers';
import { acquireLock } from '../state/lock';
import { readSlots, toSlotStatus } from '../state/slots';
import { stagingDir } from '../state/temps';
import { appendHistory, readState, statePaths, writeState } from '../state/state-files';
import type { OpContext } from '../steps/context';
import { newOperationId } from '../steps/file-steps';
import { readFlag } from '../steps/registry-steps';
import { readWslStatus } from '../wsl/wsl-status';
import { effectiveSettings } from '../feed/feed-settings';
import { recover } from './recover';
import type { RecoveryReport } from './recover';
import { badVersionsOf } from '../state/bad-kernels';

export interface EngineOptions {
  /** Finds the bundled payload (file or folder), or null when there is none. */
  bundledPayload?: (machine: Machine, arch: Arch | null) => Promise<string | null>;
  /** How long a mutating command waits for another operation to finish (default: not at all). */
  lockWaitMs?: number;
  /** Whose `.wslconfig` counts (`--user NAME`); default: the interactive user. */
  user?: string;
}

export interface RunOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  shutdownWsl?: boolean;
}

export type Body = Omit<CommandResult, 'ok' | 'code' | 'exitCode' | 'status'> & { code?: ErrorCode | null };

export class CommandRunner {
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

  /** The docs/design.md §7 `status` object, read from the files, the registry and the tool's state. */
  async readStatus(): Promise<MachineStatus> {
    const arch = await this.arch();
    const { kernel, rollback } = await readSlots(this.machine, { arch });
    const flag = await readFlag(this.machine);
    const state = await readState(this.machine);
    const effective = flag ? (rollback.present ? 'kernel.rollback' : null) : kernel.present ? 'kernel' : null;
    const slots = { kernelPath: kernel.path, rollbackPath: rollback.path, kernel: toSlotStatus(kernel), rollback: toSlotStatus(rollback), rollbackActive: flag };
    // A hold (docs/design.md §12) is shown only when one is set, so status keeps the §7 shape otherwise.
    const hold = (await effectiveSettings(this.machine).catch(() => null))?.hold ?? null;
    const wslFields = await readWslStatus(this.machine, arch, slots, this.options.user);
    // What the boot check saw of each kernel (docs/design.md §10), by sha256.
    if (wslFields.storeSlots) {
      wslFields.storeSlots.kernel = withBootFact(wslFields.storeSlots.kernel, state);
      wslFields.storeSlots.rollbackKernel = withBootFact(wslFields.storeSlots.rollbackKernel, state);
    }
    return {
      ...(hold ? { updateHold: hold } : {}),
      kernel: withBootFact(slots.kernel, state),
      rollbackKernel: withBootFact(slots.rollback, state),
      rollbackActive: flag,
      effective,
      badVersions: badVersionsOf(state),
      badReleases: [...state.badReleases],
      wsl: { running: await this.machine.wsl.listRunning().catch(() => []) },
      ...wslFields,
    };
  }

  /** Shape a result with the status after the command (for commands built outside this file). */
  async result(body: Body, extra: { recovery?: RecoveryReport | null; status?: MachineStatus } = {}): Promise<CommandResult> {
    const code = body.code ?? null;
    let status: MachineStatus | null = null;
    let health: Health | undefined;
    try {
      // A command that has just read the status (and changed nothing since) passes it in.
      status = extra.status ?? (await this.readStatus());
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
      let boot: BootCheck | null = null;
      if (!out.code && run.shutdownWsl && out.restartNeeded) {
        Object.assign(out, await this.restartAfter());
        // Every WSL restart the tool performs is followed by the boot check (docs/design.md §10).
        // Store WSL checks after its boot path is switched (store-commands.ts).
        if (out.restart?.ok && this.machine.view !== 'store-slots') boot = out.boot = await this.bootCheckQuietly();
      }
      const result = await this.result(out, { recovery });
      await this.log(op, out.code ?? null, out.message, !out.code, result.status, op === 'verify' ? out.boot : null);
      if (boot) await this.logBoot(boot, result.status);
      return result;
    } catch (err) {
      const failed = await this.failure(err, undefined, recovery);
      await this.log(op, failed.code, failed.message, false, failed.status);
      return failed;
    } finally {
      await lock.release();
    }
  }

  /**
   * The boot check, recorded in the per-kernel facts (docs/design.md §10). Call with the lock held:
   * the state is written atomically (temp, flush, rename), so a kill leaves the facts before or after.
   */
  async bootCheckLocked(): Promise<BootCheck> {
    const check = await checkBoot(this.machine, await this.readStatus());
    failpoint('verify.checked');
    const state = await readState(this.machine);
    if (recordBootCheck(state, check)) {
      await writeState(this.machine, state, 'verify.state');
      failpoint('verify.recorded');
    }
    return check;
  }

  /** The check after a restart: its failure to run is reported in the check, never the command's failure. */
  async bootCheckQuietly(): Promise<BootCheck> {
    try {
      return await this.bootCheckLocked();
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { outcome: 'boot-failed', at: new Date().toISOString(), message: `The boot check could not run: ${why}`, distribution: null, running: null, expected: null, error: { code: null, message: why, exitCode: null } };
    }
  }

  /** A history line for a boot check. */
  async logBoot(check: BootCheck, status?: MachineStatus | null): Promise<void> {
    const failed = check.outcome === 'boot-failed';
    await this.log('verify', failed ? 'kernel-failed-to-boot' : null, check.message, !failed, status, check);
  }

  protected async log(op: string, code: ErrorCode | null, message: string, ok: boolean, status?: MachineStatus | null, boot?: BootCheck | null): Promise<void> {
    const entry: HistoryEntry = { id: newOperationId(), op, at: new Date().toISOString(), ok, code, message, ...(boot ? { boot: boot.outcome } : {}) };
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
    // Every caller holds the operation lock, so the history may be moved aside here (state/history.ts).
    await appendHistory(this.machine, entry, { rotate: true });
  }

  /**
   * The restart asked for after a change that is already done and durable: its failure is a
   * warning about the result, never the result's failure (the kernel is installed either way).
   */
  private async restartAfter(): Promise<Pick<Body, 'shutdown' | 'restart'>> {
    try {
      const shutdown = await this.doShutdown();
      const stopped = shutdown.stopped.length ? ` (stopped ${shutdown.stopped.join(', ')})` : '';
      return { shutdown, restart: { ok: true, message: `WSL shut down${stopped}.` } };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return {
        restart: {
          ok: false,
          message: `WSL was not restarted, so it keeps the previous kernel until it restarts: ${why}. Run "wsl --shutdown" when you are ready (it stops every WSL 1 and WSL 2 instance).`,
        },
      };
    }
  }

  protected async doShutdown(): Promise<{ stopped: string[] }> {
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

  /**
   * Resolve the payload to use: the given path (a kernel, a payload folder, an MSI or a cabinet),
   * or the bundled one. Whatever was extracted from a package is removed before this returns.
   */
  async resolvePayload(path?: string, run: RunOptions = {}): Promise<PayloadInfo | null> {
    const held = await this.holdPayload(path, run);
    if (!held) return null;
    await held.dispose();
    return held.payload;
  }

  /** The payload, with what was extracted from a package kept while `fn` runs (a modules disk to copy). */
  async withPayload<T>(path: string | undefined, run: RunOptions, fn: (payload: PayloadInfo | null) => Promise<T>): Promise<T> {
    const held = await this.holdPayload(path, run);
    try {
      return await fn(held?.payload ?? null);
    } finally {
      await held?.dispose();
    }
  }

  /** Like resolvePayload, but files extracted from a package stay until `dispose()`. */
  protected async holdPayload(path?: string, run: RunOptions = {}): Promise<HeldPayload | null> {
    const source = path ?? (await this.options.bundledPayload?.(this.machine, await this.arch())) ?? null;
    if (!source) return null;
    const titles = { extract: 'Extracting the kernel from the package', verify: 'Checking the kernel file' } as const;
    return resolveInput(this.machine.fs, source, {
      staging: stagingDir(this.machine),
      ...(run.onProgress ? { onProgress: (step: 'extract' | 'verify', done: number, total: number) => run.onProgress!({ step, title: titles[step], done, total }) } : {}),
      ...(run.signal ? { signal: run.signal } : {}),
    });
  }
}
