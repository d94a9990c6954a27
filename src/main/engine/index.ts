/**
 * The engine's facade: what the entry points (src/main/cli, src/main/electron,
 * src/main/browser-host, src/main/app) may use. They open a machine with `openMachine` and call the
 * Engine's commands; everything below is the engine's own (docs/design.md §9).
 */
export { Engine } from './engine';
export type { EngineOptions, InstallRequest, RunOptions } from './engine';
export { DEMO_PAYLOAD_VERSION, defaultSandboxDir, isSandboxFolder, openMachine, payloadDirs } from './open-machine';
export type { OpenMachineOptions } from './open-machine';
export { initSandbox, PRESETS } from './sandbox';
export { formatBytes } from './machine/prechecks';
export type { Fs } from './machine/fs-port';
export { UpdateCommands } from './feed/update-commands';
export type { Channel as FeedChannel } from './feed/feed-format';
export { PASTED_ERROR_MAX_BYTES, decodePastedBytes } from './repair/pasted-error';
