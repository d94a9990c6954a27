/**
 * Which machine the CLI and the app work on, and where the bundled payload is. Electron-free,
 * shared by both adapters.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Arch } from '../../shared/types';
import type { EngineOptions } from './engine';
import { nodeFs } from './machine/fs-port';
import { writeDemoKernel } from './sandbox/kernel-builder';
import type { Machine } from './machine/machine';
import { initSandbox } from './sandbox/presets';
import { openSandbox } from './sandbox/sandbox-machine';

/** The version of the generated development kernel: newer than the presets' kernels. */
export const DEMO_PAYLOAD_VERSION = '6.6.36.6';

export function defaultSandboxDir(): string {
  if (process.env.WSLK_SANDBOX) return process.env.WSLK_SANDBOX;
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'WslKernelSetup', 'sandbox');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'wsl-kernel-setup', 'sandbox');
}

/**
 * `--machine DIR` → that sandbox; otherwise this Windows machine on Windows, or the default
 * sandbox (created from the `fresh` preset on first use) anywhere else.
 */
export async function selectMachine(opts: { machineDir?: string; preferSandbox?: boolean }): Promise<Machine> {
  if (opts.machineDir) return openSandbox(opts.machineDir);
  if (process.platform === 'win32' && !opts.preferSandbox) {
    const { createWindowsMachine } = await import('./windows/windows-machine');
    return createWindowsMachine();
  }
  const dir = defaultSandboxDir();
  if (!existsSync(join(dir, 'machine.reg'))) await initSandbox(dir, 'fresh');
  return openSandbox(dir);
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
    if (!existsSync(kernel)) {
      await nodeFs.mkdir(folder);
      const tmp = `${kernel}.${process.pid}.tmp`;
      await writeDemoKernel(nodeFs, tmp, a, { version: DEMO_PAYLOAD_VERSION });
      await nodeFs.rename(tmp, kernel);
    }
    return folder;
  };
}
