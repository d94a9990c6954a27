/** The CLI's update commands (docs/design.md §12): check-update, update, hold, unhold, update-config. */
import { join } from 'node:path';
import { KernelSetupError } from '../../shared/errors';
import type { CommandResult, Progress } from '../../shared/types';
import type { Engine } from '../engine';
import type { FeedChannel as Channel } from '../engine';
import { loadUpdateCommands } from '../engine';
import type { UpdateCommandName } from './update-args';

/** Trusted roots shipped with the app: the packaged resources, then the checkout's assets. */
function shippedRoots(): string[] {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  return [join(here, '..', 'feed', 'root.json'), join(here, '..', '..', 'assets', 'feed', 'root.json')];
}

function channelOf(v: unknown): Channel | undefined {
  if (v === undefined) return undefined;
  if (v !== 'stable' && v !== 'preview') throw new KernelSetupError('usage', '--channel is stable or preview.');
  return v;
}

/** A plain-text progress line on stderr for downloads (only in a terminal, never with --json). */
function progressPrinter(json: boolean): ((p: Progress) => void) | undefined {
  if (json || !process.stderr.isTTY) return undefined;
  const started = Date.now();
  return (p) => {
    if (p.step !== 'download' || !p.total) return;
    const secs = Math.max((Date.now() - started) / 1000, 0.001);
    const pct = Math.floor((p.done / p.total) * 100);
    process.stderr.write(`\r${p.title}: ${pct}% (${(p.done / 1048576).toFixed(1)} of ${(p.total / 1048576).toFixed(1)} MiB, ${(p.done / 1048576 / secs).toFixed(1)} MiB/s)${p.done === p.total ? '\n' : ''}`);
  };
}

export async function runUpdateCommand(engine: Engine, name: UpdateCommandName, v: Record<string, string | boolean | undefined>, positionals: string[], json: boolean): Promise<CommandResult> {
  const cmds = new (await loadUpdateCommands())(engine);
  const feed = {
    ...(typeof v.feed === 'string' ? { feed: v.feed } : {}),
    ...(channelOf(v.channel) ? { channel: channelOf(v.channel)! } : {}),
    ...(typeof v.root === 'string' ? { root: v.root } : {}),
    trustedRoots: shippedRoots(),
  };
  switch (name) {
    case 'check-update':
      return cmds.checkUpdate(feed);
    case 'update': {
      const onProgress = progressPrinter(json);
      return cmds.update({
        ...feed,
        ...(typeof v.version === 'string' ? { version: v.version } : {}),
        auto: v.auto === true,
        force: v.force === true,
        allowDowngrade: v['allow-downgrade'] === true,
        shutdownWsl: v['shutdown-wsl'] === true,
        verify: v.verify === true,
        autoRollback: v['auto-rollback'] === true,
        ...(onProgress ? { onProgress } : {}),
      });
    }
    case 'hold':
      return cmds.hold(positionals[0]);
    case 'unhold':
      return cmds.unhold();
    case 'update-config': {
      const auto = v['auto-update'];
      if (auto !== undefined && auto !== 'on' && auto !== 'off') throw new KernelSetupError('usage', '--auto-update is on or off.');
      return cmds.configure({
        ...(typeof v.feed === 'string' ? { feed: v.feed } : {}),
        ...(channelOf(v.channel) ? { channel: channelOf(v.channel)! } : {}),
        ...(typeof v.root === 'string' ? { root: v.root } : {}),
        ...(auto !== undefined ? { autoUpdate: auto === 'on' } : {}),
      });
    }
  }
}
