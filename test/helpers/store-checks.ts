/**
 * The checks the store-WSL reliability suites share (docs/design.md §11.4–§11.5): invariant W on
 * the user's `.wslconfig` as WSL reads it, and, once recovered, the boot paths against the slots.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MachineStatus } from '../../src/shared/types';
import { readKernelHeader } from '../../src/main/engine/kernel/kernel-image';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { inspectModulesVhd } from '../../src/main/engine/msi/modules-vhd';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import { hostPath } from '../../src/main/engine/wsl/host-path';
import { decodeWslConfig, parseWslConfig } from '../../src/main/engine/wslconfig';

export const wslconfigOf = (dir: string, user = 'alice'): string => join(dir, 'Users', user, '.wslconfig');
export const bootModulesOf = (dir: string): string => join(dir, 'ProgramData', 'WslKernelSetup', 'boot', 'modules.vhd');

export async function sha256Of(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/**
 * Invariant W: the user's `.wslconfig`, read as WSL reads it, names a complete kernel (or none)
 * and a complete modules disk (or none). `ownLines`: lines of the user's that must still be there.
 */
export async function wslconfigProblems(dir: string, opts: { ownLines?: string[] } = {}): Promise<string[]> {
  const out: string[] = [];
  const bytes = await readFile(wslconfigOf(dir)).catch(() => null);
  if (!bytes) return opts.ownLines?.length ? ['.wslconfig is gone (the user had one)'] : [];
  const text = decodeWslConfig(bytes).text;
  const lines = text.split(/\r?\n/);
  for (const line of opts.ownLines ?? []) if (!lines.includes(line)) out.push(`.wslconfig lost the user's line ${JSON.stringify(line)}`);
  const effective = parseWslConfig(text).effective;
  const machine = await openSandbox(dir);
  const kernelPath = effective.get('wsl2.kernel')?.value;
  if (kernelPath) {
    try {
      const host = hostPath(machine, kernelPath);
      if (!host) throw new Error('not on this machine');
      await readKernelHeader(nodeFs, host);
    } catch (err) {
      out.push(`.wslconfig names ${kernelPath}, which is not a complete kernel: ${(err as Error).message}`);
    }
  }
  const modulesPath = effective.get('wsl2.kernelmodules')?.value;
  if (modulesPath) {
    if (!kernelPath) out.push('.wslconfig has kernelModules= without kernel=');
    try {
      const host = hostPath(machine, modulesPath);
      if (!host) throw new Error('not on this machine');
      await inspectModulesVhd(nodeFs, host);
    } catch (err) {
      out.push(`.wslconfig names the modules disk ${modulesPath}, which is not a complete disk: ${(err as Error).message}`);
    }
  }
  return out;
}

/** After recovery: WSL boots the slot the store flag selects, with that kernel's own disk. */
export async function bootProblems(dir: string, st: MachineStatus | null | undefined): Promise<string[]> {
  const slots = st?.storeSlots;
  if (!st?.boot?.toolOwned || !slots) return [];
  const out: string[] = [];
  const want = slots.rollbackActive ? slots.rollbackKernel : slots.kernel;
  const boots = st.boot.kernel.present ? st.boot.kernel.version : null;
  if (!want.present || want.version !== boots) out.push(`boots ${boots}, the store flag selects ${want.present ? want.version : 'nothing'}`);
  const disk = slots.modules[slots.rollbackActive ? 'rollbackKernel' : 'kernel'];
  const attached = await sha256Of(bootModulesOf(dir)).catch(() => null);
  if (disk && attached !== disk) out.push(`boot\\modules.vhd is ${attached?.slice(0, 12) ?? 'missing'}, the booting kernel's disk is ${disk.slice(0, 12)}`);
  return out;
}
