/**
 * The engine's facade: what the entry points (src/main/cli, src/main/electron,
 * src/main/browser-host, src/main/app) may use. They open a machine with `openMachine` and call the
 * Engine's commands; everything below is the engine's own (docs/design.md §9).
 */
export { Engine } from './engine';
export type { EngineOptions, InstallRequest, RunOptions } from './engine';
export { DEMO_PAYLOAD_VERSION, defaultSandboxDir, isSandboxFolder, openMachine, payloadDirs } from './open-machine';
export type { OpenMachineOptions } from './open-machine';
export { formatBytes } from './machine/prechecks';
export type { Fs } from './machine/fs-port';
import type { UpdateCommands } from './feed/update-commands';
import { loadFeed, loadSandbox } from './on-demand';

export type { UpdateCommands } from './feed/update-commands';
export { enableTiming, formatTimingReport, markPhase, timingEnabled } from './machine/timing';

/** Create a sandbox from a preset (docs/design.md §3.1). */
export async function initSandbox(root: string, preset?: string): Promise<{ root: string; description: string }> {
  return (await loadSandbox()).initSandbox(root, preset);
}

/** The feed's update commands (docs/design.md §12); HTTP (undici) loads only when a feed is fetched. */
export async function loadUpdateCommands(): Promise<typeof UpdateCommands> {
  return (await loadFeed()).UpdateCommands;
}
export type { Channel as FeedChannel } from './feed/feed-format';
export { PASTED_ERROR_MAX_BYTES, decodePastedBytes } from './repair/pasted-error';
