/**
 * install / rollback / undo-rollback / use-default on store WSL (docs/design.md §11).
 *
 * The slot work is the inbox operation itself, run on the store view (same rules, journal and
 * recovery, DESIGN §5 and §6). Then, under the operation lock: the boot path is switched to the
 * slot that boots (one atomic rename), and only on the first install for a user their
 * `.wslconfig` is pointed at it. A crash between the two leaves the boot path on the previous
 * kernel, which still exists (a hard link keeps it); the next command switches it.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';
import type { CommandResult } from '../../../shared/types';
import type { InstallOptions } from '../ops/install';
import type { CommandRunner, RunOptions } from '../ops/command-runner';
import { compareVersions } from '../kernel/kernel-image';
import type { Machine } from '../machine/machine';
import { acquireLock } from '../state/lock';
import { detectWsl } from '../wsl/flavour';
import { chooseUsers, planUsers, pointUsers, restoreUsers, userPlanSteps, type UserChoice, type UserPlan } from './store-users';
import { bootOutOfSync, bootPaths, storeView, sweepBootLinks, syncBoot } from './store-view';
import { endPending, keepModules, pruneModules } from './store-modules';
import { readSlots } from '../state/slots';
import type { PayloadInfo } from '../../../shared/types';

export interface StoreOptions extends UserChoice {
  allowOlder?: boolean;
}

type InstallRequest = InstallOptions & RunOptions & StoreOptions & { payload?: string; verify?: boolean; autoRollback?: boolean };

/** What the store commands need of the engine (its commands, run on the store view). */
export interface Engine extends CommandRunner {
  install(req: InstallRequest): Promise<CommandResult>;
  plan(path?: string, opts?: InstallOptions): Promise<CommandResult>;
  rollback(run: RunOptions): Promise<CommandResult>;
  undoRollback(run: RunOptions): Promise<CommandResult>;
  withMachine(machine: Machine): Engine;
  availability(): Promise<Availability>;
}

type Reason = { code: ErrorCode; message: string } | null;
export type Availability = { rollback: Reason; undo: Reason };

export async function isStoreWsl(engine: Engine): Promise<boolean> {
  if (engine.machine.view === 'store-slots') return false;
  try {
    return (await detectWsl(engine.machine, null)).flavour === 'store';
  } catch {
    // An unreadable registry: the command itself reports it, with its code and nothing changed.
    return false;
  }
}

/** The engine of the store slots. */
function slotsEngine(engine: Engine): Engine {
  return engine.withMachine(storeView(engine.machine));
}

async function underLock<T>(engine: Engine, op: string, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(engine.machine, op, engine.options.lockWaitMs ?? 0);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/** Disks of kernels no slot holds any more (docs/design.md §11.5), but for another install's under way; and what a killed one left. Under the lock. */
async function pruneUnused(machine: Machine): Promise<void> {
  const slots = await readSlots(storeView(machine));
  await pruneModules(machine, [slots.kernel, slots.rollback].map((f) => (f.present ? f.sha256 : null)));
}

/** The slot command's result, with the machine's status and the boot path switched. */
async function finish(engine: Engine, r: CommandResult, op: string, plans: UserPlan[] = [], pending: string | null = null): Promise<CommandResult> {
  // The boot path follows the slots whatever the outcome: a refusal after a crash (already rolled
  // back, not rolled back) still leaves the boot path matching the flag.
  try {
    const pointed = await underLock(engine, `${op}-boot`, async () => {
      await syncBoot(engine.machine);
      if (pending) await endPending(engine.machine, pending);
      await pruneUnused(engine.machine);
      const users = r.ok ? await pointUsers(engine.machine, plans) : [];
      // The boot check after a WSL restart, once the boot path names the new kernel (docs/design.md §10).
      if (r.ok && r.restart?.ok) {
        r.boot = await engine.bootCheckQuietly();
        await engine.logBoot(r.boot);
      }
      return users;
    });
    if (pointed.length) r.message += ` WSL now boots it for ${pointed.join(', ')} (${bootPaths(engine.machine).kernelWindows} in .wslconfig).`;
  } catch (err) {
    if (r.ok) return engine.failure(err);
  }
  try {
    r.status = await engine.readStatus();
    const boot = r.status.boot;
    if (r.ok && boot && !boot.toolOwned && r.status.storeSlots?.kernel.present) {
      r.warnings = [...(r.warnings ?? []), { id: 'not-booted', message: `WSL will not boot the tool's kernel for ${boot.user ?? 'this user'}: ${boot.reason}` }];
    }
  } catch {
    /* keep the slot status */
  }
  return r;
}

/** Refuses a payload older than WSL's own kernel unless allowed (`older-than-wsl-default`). */
async function refuseOlder(engine: Engine, payload: { version: string } | null | undefined, allowOlder: boolean | undefined): Promise<void> {
  const info = await detectWsl(engine.machine, await engine.arch());
  const wslKernel = info.defaultKernel?.kernel;
  if (payload && wslKernel?.present && wslKernel.version && compareVersions(payload.version, wslKernel.version) < 0 && !allowOlder) {
    throw new KernelSetupError('older-than-wsl-default', `Kernel ${payload.version} is older than WSL ${info.version ?? ''}'s own kernel ${wslKernel.version}.`, {
      version: payload.version,
      wslKernel: wslKernel.version,
    });
  }
}

/**
 * What an install would do on store WSL: the slot steps (in the tool's folder), the switch of the
 * boot path, and each user's `.wslconfig` change as a before/after diff; or the refusal the
 * install would give (a kernel the tool does not own, older than WSL's own), before anything changes.
 */
/** Whether, after installing `payload`, the modules boot path is there (so `kernelModules=` names it). */
async function withModules(engine: Engine, payload: PayloadInfo | null | undefined): Promise<boolean> {
  return !!payload?.modules || !!(await engine.machine.fs.stat(bootPaths(engine.machine).modules))?.isFile;
}

export async function storePlan(engine: Engine, path: string | undefined, req: InstallOptions & StoreOptions): Promise<CommandResult> {
  const slots = await slotsEngine(engine).plan(path, req);
  const { code, message, checks, payload, plan, kind, change } = slots;
  const body = { code, message, ...(checks ? { checks } : {}), ...(payload ? { payload } : {}), ...(plan ? { plan } : {}), ...(kind ? { kind } : {}), ...(change ? { change } : {}) };
  if (!slots.ok || !payload) return engine.result(body);
  try {
    const users = await planUsers(engine.machine, req, await withModules(engine, payload));
    await refuseOlder(engine, payload, req.allowOlder);
    const steps = await userPlanSteps(engine.machine, users);
    const boot = bootPaths(engine.machine);
    const disk = payload.modules
      ? ` Its modules disk (${payload.modules.format.toUpperCase()}, ${payload.modules.size} bytes) is kept beside it and ${boot.modulesWindows} switched with it, so rollback and undo move the kernel and its modules together.`
      : '';
    const bootStep = {
      id: 'boot-path',
      title: `Have WSL start kernel ${payload.version}${payload.modules ? ' and its modules' : ''} from the tool's folder`,
      effect: 'setting' as const,
      detail: `${boot.kernelWindows} is a hard link to the new kernel, switched in one rename: WSL finds the previous kernel or the new one, never none.${disk}`,
    };
    const changes = kind === 'nothing-to-do' ? steps : [...(plan ?? []), bootStep, ...steps];
    const pointing = kind === 'nothing-to-do' && steps.length ? ` WSL does not start it yet for ${users.filter((u) => u.state !== 'ours').map((u) => u.user.name).join(', ')}.` : '';
    // Installed in the slots but not started for a user yet: not "up to date" for them.
    const pointOnly = pointing && change ? { kind: 'point-users', change: { ...change, kind: 'install' as const } } : {};
    return await engine.result({ ...body, message: `${message}${pointing}`, plan: changes, ...pointOnly });
  } catch (err) {
    if (!(err instanceof KernelSetupError)) return engine.failure(err);
    const { plan: _dropped, kind: _kind, ...refused } = body;
    return engine.result({ ...refused, code: err.code, message: err.message });
  }
}

export async function storeInstall(engine: Engine, req: InstallRequest & StoreOptions): Promise<CommandResult> {
  let plans: UserPlan[] = [];
  let pending: string | null = null;
  const slots = slotsEngine(engine);
  try {
    await engine.withPayload(req.payload, req, async (payload) => {
      // Everything that could refuse is read before anything changes.
      plans = await planUsers(engine.machine, req, await withModules(engine, payload));
      await refuseOlder(engine, payload, req.allowOlder);
      await engine.machine.fs.mkdir(slots.machine.toolsDir);
      // The kernel's modules disk is kept (by content) before the slots change: the slot work stays the inbox operation.
      const modules = payload?.modules;
      if (payload && modules) {
        pending = await underLock(engine, 'install-modules', () =>
          keepModules(engine.machine, payload.sha256, modules, {
            ...(req.signal ? { signal: req.signal } : {}),
            ...(req.onProgress ? { onProgress: (done: number, total: number) => req.onProgress!({ step: 'modules', title: 'Copying the kernel modules disk', done, total }) } : {}),
          }),
        );
      }
    });
  } catch (err) {
    if (pending) await endPending(engine.machine, pending).catch(() => undefined);
    return engine.failure(err);
  }
  // The boot check runs here, after the boot path is switched (finish), never on the slots alone.
  return finish(engine, await slots.install({ ...req, verify: false, autoRollback: false }), 'install', plans, pending);
}

export async function storeRollback(engine: Engine, run: RunOptions): Promise<CommandResult> {
  return finish(engine, await slotsEngine(engine).rollback(run), 'rollback');
}

/** Whether Rollback / Undo are possible on the tool's store slots, and why not. */
export function storeAvailability(engine: Engine): Promise<Availability> {
  return slotsEngine(engine).availability();
}

export async function storeUndoRollback(engine: Engine, run: RunOptions): Promise<CommandResult> {
  return finish(engine, await slotsEngine(engine).undoRollback(run), 'undo-rollback');
}

/**
 * What `status` does for store WSL before reading: recover an interrupted slot operation, and
 * switch the boot path when a crash left it behind the slots. Skipped while another operation runs.
 */
export async function healStore(engine: Engine): Promise<void> {
  if (!(await isStoreWsl(engine))) return;
  await slotsEngine(engine).recoverIfIdle();
  if (!(await bootOutOfSync(engine.machine))) return;
  try {
    await underLock(engine, 'recover-boot', () => syncBoot(engine.machine));
  } catch (err) {
    if (!(err instanceof KernelSetupError && err.code === 'operation-in-progress')) throw err;
  }
}

/** "Use WSL's own kernel again": each user's `.wslconfig` as it was before the tool's first install. */
export async function useDefault(engine: Engine, choice: UserChoice): Promise<CommandResult> {
  try {
    const users = await chooseUsers(engine.machine, choice);
    const restored = await underLock(engine, 'use-default', async () => {
      const done = await restoreUsers(engine.machine, users);
      // Sweeping what a killed install left is not this command's work: its failure fails nothing.
      await pruneUnused(engine.machine).catch(() => undefined);
      await sweepBootLinks(engine.machine).catch(() => undefined);
      return done;
    });
    const message = restored.length
      ? `WSL boots its own kernel again for ${restored.join(', ')} (their .wslconfig is as it was before).`
      : 'No .wslconfig boots the kernel of this tool; nothing to do.';
    return await engine.result({ message, ...(restored.length ? await engine.restartOffer() : {}) });
  } catch (err) {
    return engine.failure(err);
  }
}
