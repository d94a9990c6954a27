/** The IPC handlers of settings > Updates (docs/design.md §12), over the engine's update commands. */
import { join } from 'node:path';
import { KernelSetupError } from '../../shared/errors';
import type { z } from 'zod';
import type { AppEvent, Responses, channels } from '../../shared/ipc';
import type { Engine } from '../engine';
import { loadUpdateCommands } from '../engine';
import { progressRelay } from './progress-relay';

/** The shipped root.json: resources/feed in the packaged app, assets/feed in a checkout. */
function shippedRoots(): string[] {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  return [...(resources ? [join(resources, 'feed', 'root.json')] : []), join(process.cwd(), 'assets', 'feed', 'root.json')];
}

type Track = <T>(run: (signal: AbortSignal) => Promise<T>) => Promise<T>;
type UpdateChannel = 'updates' | 'checkUpdate' | 'installUpdate' | 'setUpdates';
type UpdateHandlers = { [C in UpdateChannel]: (request: z.output<(typeof channels)[C]>) => Promise<Responses[C]> };

interface UpdateDeps {
  getEngine(): Engine;
  emit(event: AppEvent): void;
  feedRoots?: string[];
}

export function updateHandlers(deps: UpdateDeps, track: Track): UpdateHandlers {
  // The feed client (TUF, HTTP) loads with the first update request.
  const cmds = async () => new (await loadUpdateCommands())(deps.getEngine());
  const opts = () => ({ trustedRoots: deps.feedRoots ?? shippedRoots() });
  return {
    updates: async () => (await cmds()).info(),
    checkUpdate: async () => (await cmds()).checkUpdate(opts()),
    installUpdate: (req) =>
      track(async (signal) => (await cmds()).update({ ...opts(), ...(req.version ? { version: req.version } : {}), onProgress: progressRelay(deps.emit), signal })),
    async setUpdates(req) {
      const c = await cmds();
      if (req.hold !== undefined) {
        const r = req.hold === null ? await c.unhold() : await c.hold(req.hold);
        if (!r.ok) return r;
      }
      if (req.channel === undefined && req.autoUpdate === undefined) {
        if (req.hold === undefined) throw new KernelSetupError('usage', 'Nothing to change.');
        return { ...(await deps.getEngine().status()), update: await c.info() };
      }
      return c.configure({ ...(req.channel ? { channel: req.channel } : {}), ...(req.autoUpdate !== undefined ? { autoUpdate: req.autoUpdate } : {}) });
    },
  };
}
