/**
 * check-update, update, hold / unhold and update-config (docs/design.md §12). The feed only chooses and
 * delivers a verified payload: the engine's normal install then applies every rule of §5 and the
 * crash safety of §6 unchanged.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { CommandResult, FeedKernel, UpdateCheck, UpdateManaged } from '../../../shared/types';
import type { Body, Engine, RunOptions } from '../engine';
import { compareVersions } from '../kernel/kernel-image';
import { readWindowsFacts } from '../machine/prechecks';
import { acquireLock } from '../state/lock';
import { appendHistory, readState } from '../state/state-files';
import { newOperationId } from '../steps/file-steps';
import type { Channel } from './feed-format';
import type { FeedKernelTarget, FeedSession } from './feed-client';
import { kernelsFor, openFeed } from './feed-client';
import { downloadKernel, removeDownload } from './download';
import type { EffectiveSettings, UpdateSettings } from './feed-settings';
import { effectiveSettings, readSettings, updateSettings, writeSettings } from './feed-settings';
import { TASK_NAME, autoUpdateTask, taskXml } from './scheduled-task';

export interface FeedOptions {
  /** Feed folder or URL for this run (a FeedUrl policy still wins). */
  feed?: string;
  channel?: Channel;
  /** Trusted root.json for this run. */
  root?: string;
  /** Trusted roots tried after the run's and the settings' (feed-root.json, the shipped one). */
  trustedRoots: string[];
}

export interface UpdateOptions extends FeedOptions, RunOptions {
  version?: string;
  auto?: boolean;
  force?: boolean;
  allowDowngrade?: boolean;
  /** Restart WSL and check the new kernel boots (docs/design.md §10). */
  verify?: boolean;
  autoRollback?: boolean;
}

interface Choice {
  offer: FeedKernelTarget | null;
  reason: UpdateCheck['reason'];
  skipped: UpdateCheck['skipped'];
}

/** The newest kernel newer than `installed`, not in Bad, not past the hold (docs/design.md §12). */
export function choose(candidates: FeedKernelTarget[], installed: string | null, bad: string[], hold: string | null): Choice {
  const skipped: UpdateCheck['skipped'] = [];
  for (const c of candidates) {
    const v = c.kernel.version;
    if (installed && compareVersions(v, installed) <= 0) break;
    if (bad.includes(v)) {
      skipped.push({ version: v, why: 'marked-bad' });
      continue;
    }
    if (hold && compareVersions(v, hold) > 0) {
      skipped.push({ version: v, why: 'held' });
      continue;
    }
    return { offer: c, reason: null, skipped };
  }
  return { offer: null, reason: skipped.some((s) => s.why === 'held') ? 'held' : 'nothing-newer', skipped };
}

export class UpdateCommands {
  constructor(
    private readonly engine: Engine,
    /** The command the scheduled task runs, and its leading arguments (the CLI script). */
    private readonly taskCommand: { command: string; args: string[] } = { command: process.execPath, args: process.argv[1] ? [process.argv[1]] : [] },
  ) {}

  private get machine() {
    return this.engine.machine;
  }

  private async settingsFor(opts: FeedOptions): Promise<EffectiveSettings & { roots: string[] }> {
    const s = await effectiveSettings(this.machine);
    const feedUrl = s.managed.feedUrl ? s.feedUrl : (opts.feed ?? s.feedUrl);
    const channel = s.managed.channel ? s.channel : (opts.channel ?? s.channel);
    const roots = [opts.root, process.env.WSLK_FEED_ROOT, s.rootFile, `${this.machine.stateDir}/feed-root.json`, ...opts.trustedRoots].filter((r): r is string => Boolean(r));
    return { ...s, feedUrl, channel, roots };
  }

  private async check(opts: FeedOptions): Promise<{ session: FeedSession; choice: Choice; info: UpdateCheck; candidates: FeedKernelTarget[] }> {
    const s = await this.settingsFor(opts);
    if (!s.feedUrl) throw new KernelSetupError('feed-not-configured', 'No update feed is set: give --feed, run update-config --feed, or set the FeedUrl policy.');
    const session = await openFeed(this.machine, { location: s.feedUrl, trustedRoots: s.roots });
    const status = await this.engine.readStatus();
    const installed = status.kernel.present && status.kernel.valid ? status.kernel.version : null;
    const arch = (await this.engine.arch()) ?? 'x64';
    const candidates = kernelsFor(session, arch, s.channel);
    const choice = choose(candidates, installed, (await readState(this.machine)).badVersions, s.hold);
    const info: UpdateCheck = {
      feed: s.feedUrl,
      channel: s.channel,
      autoUpdate: s.autoUpdate,
      hold: s.hold,
      managed: s.managed,
      installed,
      offer: choice.offer?.kernel ?? null,
      reason: choice.reason,
      skipped: choice.skipped,
      checkedAt: new Date().toISOString(),
    };
    return { session, choice, info, candidates };
  }

  private async remember(ok: boolean, offered: string | null, code: string | null, message: string): Promise<void> {
    await updateSettings(this.machine, (s) => {
      s.lastCheck = { at: new Date().toISOString(), ok, offered, code, message: message.slice(0, 2000) };
    }).catch(() => undefined);
  }

  private async log(op: string, r: { code: string | null; message: string; ok: boolean }): Promise<void> {
    await appendHistory(this.machine, { id: newOperationId(), op, at: new Date().toISOString(), ok: r.ok, code: r.code as never, message: r.message });
  }

  /** A settings-only view (no network): what settings shows before "Check now". */
  async info(): Promise<UpdateCheck> {
    const s = await effectiveSettings(this.machine);
    const status = await this.engine.readStatus();
    const task = this.machine.tasks ? await this.machine.tasks.query(TASK_NAME).catch(() => null) : null;
    return {
      feed: s.feedUrl,
      channel: s.channel,
      autoUpdate: s.autoUpdate,
      hold: s.hold,
      managed: s.managed,
      installed: status.kernel.present && status.kernel.valid ? status.kernel.version : null,
      offer: null,
      reason: null,
      skipped: [],
      checkedAt: s.lastCheck?.at ?? null,
      scheduledTask: this.machine.tasks ? { registered: Boolean(task), ...(task ? { command: `${task.command} ${task.arguments}` } : {}) } : null,
    };
  }

  async checkUpdate(opts: FeedOptions): Promise<CommandResult> {
    try {
      await this.engine.recoverIfIdle();
      const { info } = await this.check(opts);
      const message = info.offer ? `Kernel ${info.offer.version} is available (installed: ${info.installed ?? 'none'}).` : whyNothing(info);
      await this.remember(true, info.offer?.version ?? null, null, message);
      return await this.engine.result({ message, update: info });
    } catch (err) {
      const failed = await this.engine.failure(err);
      await this.remember(false, null, failed.code, failed.message);
      return failed;
    }
  }

  async update(opts: UpdateOptions): Promise<CommandResult> {
    const op = opts.auto ? 'update --auto' : 'update';
    const done = async (r: CommandResult) => {
      // The install logs itself; everything else an update decides is logged here.
      if (!r.payload || r.code) await this.log(op, r);
      await this.remember(r.ok, r.update?.offer?.version ?? null, r.code, r.message);
      return r;
    };
    try {
      await this.engine.recoverIfIdle();
      const s = await this.settingsFor(opts);
      const facts = await readWindowsFacts(this.machine);
      if (opts.auto && !s.autoUpdate) return await done(await this.engine.result({ message: 'Automatic updates are off; nothing was checked.', update: { ...(await this.info()), reason: 'auto-update-off' } }));
      if (opts.auto && facts.rebootPending) return await done(await this.engine.result({ message: 'Windows must restart first; the update waits for the next run.', update: { ...(await this.info()), reason: 'reboot-pending' } }));
      if (!facts.elevated) return await done(await this.engine.result({ code: 'not-elevated', message: 'Installing an update needs administrator rights.' }));
      const { session, choice, info, candidates } = await this.check(opts);
      let pick = choice.offer;
      if (opts.version) {
        pick = candidates.find((c) => c.kernel.version === opts.version) ?? session.kernels.find((c) => c.kernel.version === opts.version && c.kernel.arch === (candidates[0]?.kernel.arch ?? c.kernel.arch)) ?? null;
        if (!pick) throw new KernelSetupError('feed-target-not-found', `The feed has no kernel ${opts.version} for this computer's architecture.`);
        info.offer = pick.kernel;
        info.reason = null;
      }
      if (!pick) return await done(await this.engine.result({ message: whyNothing(info), update: info }));
      const payload = await this.download(session, pick, opts);
      const result = await this.engine.install({ payload, shutdownWsl: opts.shutdownWsl === true, verify: opts.verify === true, autoRollback: opts.autoRollback === true, force: opts.force === true, allowDowngrade: opts.allowDowngrade === true, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
      // Installed (or already there): the download has served its purpose. Kept after a refusal, so a retry needs no new download.
      if (result.ok) await removeDownload(this.machine, payload);
      return await done({ ...result, update: info });
    } catch (err) {
      return done(await this.engine.failure(err));
    }
  }

  /** Download under the operation lock, so two updates never write the same partial file. */
  private async download(session: FeedSession, pick: FeedKernelTarget, run: RunOptions): Promise<string> {
    const lock = await acquireLock(this.machine, 'download', this.engine.options.lockWaitMs ?? 0);
    try {
      return await downloadKernel(this.machine, session, pick, { ...(run.onProgress ? { onProgress: run.onProgress } : {}), ...(run.signal ? { signal: run.signal } : {}) });
    } finally {
      await lock.release();
    }
  }

  async hold(version?: string): Promise<CommandResult> {
    return this.changeSettings('hold', async (s) => {
      const status = await this.engine.readStatus();
      const v = version ?? (status.kernel.present && status.kernel.valid ? status.kernel.version : null);
      if (!v) throw new KernelSetupError('kernel-missing', 'There is no installed kernel to hold: give a version (hold 5.15.153.1).');
      if (!/^\d+(\.\d+){1,5}$/.test(v)) throw new KernelSetupError('usage', `"${v}" is not a kernel version (for example 5.15.153.1).`);
      s.hold = v;
      return { message: `Held at ${v}: automatic updates do not move past it.` };
    }, 'hold');
  }

  async unhold(): Promise<CommandResult> {
    return this.changeSettings('unhold', async (s) => {
      s.hold = null;
      return { message: 'Hold removed: automatic updates install the newest kernel again.' };
    }, 'hold');
  }

  /** update-config: feed, channel, trusted root and automatic updates (with the scheduled task). */
  async configure(c: { feed?: string; channel?: Channel; root?: string; autoUpdate?: boolean }): Promise<CommandResult> {
    const managedKeys = [c.feed !== undefined && 'feedUrl', c.channel !== undefined && 'channel', c.autoUpdate !== undefined && 'autoUpdate'].filter(Boolean) as (keyof UpdateManaged)[];
    return this.changeSettings('update-config', async (s) => {
      if (c.feed !== undefined) s.feedUrl = c.feed || null;
      if (c.channel !== undefined) s.channel = c.channel;
      if (c.root !== undefined) s.rootFile = c.root || null;
      if (c.autoUpdate !== undefined) s.autoUpdate = c.autoUpdate;
      return { message: 'Update settings saved.' };
    }, ...managedKeys);
  }

  private async changeSettings(op: string, change: (s: UpdateSettings) => Promise<Body>, ...keys: (keyof UpdateManaged)[]): Promise<CommandResult> {
    try {
      const eff = await effectiveSettings(this.machine);
      const locked = keys.filter((k) => eff.managed[k]);
      if (locked.length) throw new KernelSetupError('managed-by-policy', `${locked.join(', ')} is set by machine policy (HKLM\\SOFTWARE\\Policies\\WslKernelSetup).`);
      const settings = await readSettings(this.machine);
      const body = await change(settings);
      await writeSettings(this.machine, settings);
      await this.syncTask();
      await this.log(op, { ok: true, code: null, message: body.message });
      return await this.engine.result({ ...body, update: await this.info() });
    } catch (err) {
      return this.engine.failure(err);
    }
  }

  /** Make the scheduled task match the effective AutoUpdate setting (policy or user). */
  async syncTask(): Promise<void> {
    const tasks = this.machine.tasks;
    if (!tasks) return;
    const s = await effectiveSettings(this.machine);
    if (s.autoUpdate) {
      const args = [...this.taskCommand.args, ...(this.machine.kind === 'sandbox' && this.machine.root ? ['--machine', this.machine.root] : [])];
      const task = autoUpdateTask(this.taskCommand.command, args);
      const current = await tasks.query(TASK_NAME);
      if (!current || current.command !== task.command || current.arguments !== task.arguments) await tasks.create(task, taskXml(task));
    } else {
      await tasks.remove(TASK_NAME);
    }
  }
}

function whyNothing(info: UpdateCheck): string {
  const skipped = info.skipped.map((s) => `${s.version} (${s.why === 'held' ? `past the hold at ${info.hold}` : 'rolled back before'})`);
  const base = info.reason === 'held' ? `No update past the held version ${info.hold}` : `No newer kernel than ${info.installed ?? 'none'} for the ${info.channel} channel`;
  return `${base}${skipped.length ? `; passed over: ${skipped.join(', ')}` : ''}.`;
}

export type { FeedKernel };
