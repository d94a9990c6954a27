/**
 * The one way to open a machine and build the engine over it (docs/design.md §3 and §8): every entry
 * point (CLI, Electron, browser host) calls `openMachine` and differs only in the options it
 * passes. The sandbox and the Windows machine are imported lazily, so the app on a real machine
 * never loads the sandbox's presets and kernel builders, and the CLI on a sandbox never loads
 * reg.exe and wsl.exe.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { KernelSetupError } from '../../shared/errors';
import type { Arch } from '../../shared/types';
import { Engine } from './engine';
import type { EngineOptions } from './engine';
import type { Fs } from './machine/fs-port';
import { nodeFs } from './machine/fs-port';
import { markPhase } from './machine/timing';
import type { Machine } from './machine/machine';

import { DEMO_PAYLOAD_VERSION } from './kernel/demo-version';
import { openSandbox } from './sandbox/sandbox-machine';
import { loadSandbox } from './on-demand';
export { DEMO_PAYLOAD_VERSION };

/** The default sandbox: WSLK_SANDBOX, else a folder in the user's local data. */
export function defaultSandboxDir(): string {
  if (process.env.WSLK_SANDBOX) return process.env.WSLK_SANDBOX;
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'WslKernelSetup', 'sandbox');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'wsl-kernel-setup', 'sandbox');
}

/** A folder holds a sandbox machine when it has its registry file. */
export function isSandboxFolder(dir: string): boolean {
  return existsSync(join(dir, 'machine.reg'));
}

/**
 * Where the bundled payload is looked for: `<resources>/payload` of an installed app, then
 * `<checkout>/assets/payload` of a source checkout.
 */
export function payloadDirs(where: { resources?: string | null; checkout?: string | null }): string[] {
  return [...(where.resources ? [join(where.resources, 'payload')] : []), ...(where.checkout ? [join(where.checkout, 'assets', 'payload')] : [])];
}

export interface OpenMachineOptions {
  /** A sandbox folder. Without one: this Windows computer where `windows` allows it, else the default sandbox. */
  dir?: string | null;
  /** May this Windows computer be opened (on Windows)? Default true; the app in development and the browser host say no. */
  windows?: boolean;
  /**
   * A named folder without machine.reg: `open` it as it is (every sandbox file is optional),
   * `refuse` it, or `create` a sandbox in it from `preset` when it is missing or empty. The default
   * sandbox is the tool's own folder: it is created from `fresh` on first use whatever this says.
   */
  unmade?: 'open' | 'refuse' | 'create';
  /** The preset `create` uses (default `fresh`). */
  preset?: string;
  /** Folders searched for the bundled payload (see payloadDirs). */
  payloadDirs: string[];
  lockWaitMs?: number;
  /**
   * Finish or undo an interrupted operation before returning (docs/design.md §6: the first screen
   * shows a consistent machine). A failed recovery is passed to `onRecoveryError` when given (the
   * screens then report the machine's problem themselves), else thrown.
   */
  recover?: boolean;
  onRecoveryError?: (err: unknown) => void;
  /** The sandbox's file-system port (tests pass one that pauses or fails). */
  fs?: Fs;
  /** Whose `.wslconfig` counts (`--user NAME`); default: the interactive user. */
  user?: string;
}

/** Open the machine the options name and build the engine over it. */
export async function openMachine(opts: OpenMachineOptions): Promise<Engine> {
  const machine = await machineFor(opts);
  markPhase('machine-opened');
  const engine = new Engine(machine, {
    bundledPayload: bundledPayloadFinder(opts.payloadDirs),
    ...(opts.lockWaitMs ? { lockWaitMs: opts.lockWaitMs } : {}),
    ...(opts.user ? { user: opts.user } : {}),
  });
  if (opts.recover) {
    try {
      await engine.recoverIfIdle();
    } catch (err) {
      if (!opts.onRecoveryError) throw err;
      opts.onRecoveryError(err);
    }
  }
  return engine;
}

async function machineFor(opts: OpenMachineOptions): Promise<Machine> {
  if (!opts.dir && opts.windows !== false && process.platform === 'win32') {
    const { createWindowsMachine } = await import('./windows/windows-machine');
    return createWindowsMachine();
  }
  const root = resolve(opts.dir ?? defaultSandboxDir());
  const unmade = opts.dir ? (opts.unmade ?? 'open') : 'create';
  if (unmade !== 'open' && !isSandboxFolder(root)) {
    if (unmade === 'refuse' || (opts.dir && !isEmptyOrMissing(root))) {
      throw new KernelSetupError(
        'invalid-machine',
        `${root} is not a sandbox folder (it has no machine.reg)${unmade === 'refuse' ? '' : ' and is not empty, so it was left alone'}. ` +
          `Choose a sandbox folder${unmade === 'refuse' ? '' : ' or an empty folder'}, or create one with: sandbox init ${root} --preset fresh`,
        { path: root },
      );
    }
    await (await loadSandbox()).initSandbox(root, opts.dir ? (opts.preset ?? 'fresh') : 'fresh', opts.fs ?? nodeFs);
  }
  return openSandbox(root, opts.fs ?? nodeFs);
}

function isEmptyOrMissing(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return true;
  }
}

/**
 * The bundled payload: `WSLK_PAYLOAD`, else the first of `dirs` holding `kernel` (or
 * `<arch>/kernel`). On a sandbox with none, a labelled demo kernel is generated in its state
 * folder; a real Windows machine never gets a demo kernel.
 */
export function bundledPayloadFinder(dirs: string[]): NonNullable<EngineOptions['bundledPayload']> {
  return async (machine: Machine, arch: Arch | null) => {
    if (process.env.WSLK_PAYLOAD) return process.env.WSLK_PAYLOAD;
    for (const dir of dirs) {
      if (arch && existsSync(join(dir, arch, 'kernel'))) return join(dir, arch);
      if (existsSync(join(dir, 'kernel'))) return dir;
    }
    if (machine.kind !== 'sandbox') return null;
    const a = arch ?? 'x64';
    const folder = join(machine.stateDir, 'demo-payload', a);
    const kernel = join(folder, 'kernel');
    if (!existsSync(kernel)) await once(kernel, () => writeDemoPayload(folder, kernel, a));
    return folder;
  };
}

/** Demo kernels being written by this process: concurrent commands (the app asks for status and plan at once) wait for one writer. */
const writing = new Map<string, Promise<void>>();

function once(key: string, work: () => Promise<void>): Promise<void> {
  let p = writing.get(key);
  if (!p) {
    p = work().finally(() => writing.delete(key));
    writing.set(key, p);
  }
  return p;
}

async function writeDemoPayload(folder: string, kernel: string, arch: Arch): Promise<void> {
  await nodeFs.mkdir(folder);
  // A name of its own: another process may be writing the same kernel; the rename publishes a complete file.
  const tmp = `${kernel}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await (await loadSandbox()).writeDemoKernel(nodeFs, tmp, arch, { version: DEMO_PAYLOAD_VERSION });
    await nodeFs.rename(tmp, kernel);
  } catch (err) {
    await nodeFs.unlink(tmp).catch(() => undefined);
    throw err;
  }
}
