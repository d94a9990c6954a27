/**
 * Which machine the desktop app works on, and the engine over it. Electron-free.
 *
 * The packaged app on Windows works on this computer. In development, and on any other system,
 * it works on a sandbox folder (DESIGN §3.1): `--machine DIR`, else `WSLK_SANDBOX`, else the
 * default sandbox, created from the `fresh` preset on first use.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KernelSetupError } from '../../shared/errors';
import type { MachineInfo } from '../../shared/ipc';
import { Engine } from '../engine/engine';
import type { Machine } from '../engine/machine/machine';
import { initSandbox } from '../engine/sandbox/presets';
import { openSandbox } from '../engine/sandbox/sandbox-machine';
import { bundledPayloadFinder, selectMachine } from '../engine/open-machine';

export interface MachineChoice {
  packaged: boolean;
  platform: string;
  /** `--machine DIR` from the command line. */
  machineDir: string | null;
}

/** True when the app works on this Windows computer rather than a sandbox. */
export function usesRealMachine(choice: MachineChoice): boolean {
  return choice.platform === 'win32' && choice.packaged && !choice.machineDir;
}

/**
 * Open the sandbox in `dir`: an existing sandbox as it is; a missing or empty folder becomes a
 * `fresh` sandbox. Any other folder is refused, so a picked folder with the user's files in it is
 * never written to.
 */
export async function openOrCreateSandbox(dir: string): Promise<Machine> {
  const root = resolve(dir);
  if (!existsSync(join(root, 'machine.reg'))) {
    let entries: string[] = [];
    try {
      entries = readdirSync(root);
    } catch {
      entries = [];
    }
    if (entries.length > 0) {
      throw new KernelSetupError(
        'invalid-machine',
        `${root} is not a sandbox folder (it has no machine.reg) and is not empty, so it was left alone. Choose a sandbox folder or an empty folder.`,
        { path: root },
      );
    }
    await initSandbox(root, 'fresh');
  }
  return openSandbox(root);
}

/** The machine the app starts on. */
export async function chooseMachine(choice: MachineChoice): Promise<Machine> {
  if (choice.machineDir) return openOrCreateSandbox(choice.machineDir);
  if (usesRealMachine(choice)) return selectMachine({});
  return selectMachine({ preferSandbox: true });
}

/** Where the bundled payload is: the packaged app's resources, or the checkout's assets. */
export function payloadDirs(opts: { packaged: boolean; resourcesPath: string; appPath: string }): string[] {
  return opts.packaged ? [join(opts.resourcesPath, 'payload')] : [join(opts.appPath, 'assets', 'payload')];
}

/** The current machine and its engine; switching sandboxes replaces both. */
export class AppMachine {
  private current: Engine;

  constructor(
    machine: Machine,
    private readonly dirs: string[],
  ) {
    this.current = this.engineFor(machine);
  }

  private engineFor(machine: Machine): Engine {
    return new Engine(machine, { bundledPayload: bundledPayloadFinder(this.dirs) });
  }

  get engine(): Engine {
    return this.current;
  }

  info(): MachineInfo {
    const m = this.current.machine;
    return { kind: m.kind, label: m.label, root: m.root };
  }

  /**
   * Switch to the sandbox in `dir`, finishing any operation interrupted there first (the same
   * recovery the app runs at start-up, so the new machine is consistent before it is shown).
   */
  async switchTo(dir: string): Promise<MachineInfo> {
    const engine = this.engineFor(await openOrCreateSandbox(dir));
    await engine.recoverIfIdle();
    this.current = engine;
    return this.info();
  }
}
