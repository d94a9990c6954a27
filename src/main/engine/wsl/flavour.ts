/**
 * Which WSL a machine runs and the kernel it boots by default (DESIGN §8.1): store WSL names its
 * install folder in `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Lxss\MSI` `InstallLocation`
 * (microsoft/WSL `wslutil.cpp` `GetMsiPackagePath`) and boots `<folder>\tools\kernel` with
 * `tools\modules.vhd` (`WslCoreVm.cpp`); inbox WSL boots System32's `lxss\tools\kernel`.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { Arch, DefaultKernel, SlotStatus, WslFlavour } from '../../../shared/types';
import { inspectKernelCached } from '../state/file-facts';
import { REG, type Machine } from '../machine/machine';
import { hostPath, winJoin } from './host-path';

export interface WslInfo {
  flavour: WslFlavour;
  version: string | null;
  installLocation: string | null;
  /** Store WSL's default kernel (inbox: see the slots in the status). */
  defaultKernel: DefaultKernel | null;
}

async function regString(machine: Machine, key: string, name: string): Promise<string | null> {
  const v = await machine.registry.getValue(key, name);
  return v && (v.type === 'REG_SZ' || v.type === 'REG_EXPAND_SZ') && v.data.trim() ? v.data.trim() : null;
}

/** Facts about one kernel file given by its Windows path. */
export async function kernelFileStatus(machine: Machine, windowsPath: string | null, arch: Arch | null): Promise<SlotStatus> {
  const host = windowsPath ? hostPath(machine, windowsPath) : null;
  if (!host) return { present: false };
  const st = await machine.fs.stat(host);
  if (!st) return { present: false };
  if (!st.isFile) return { present: true, valid: false, version: null, release: null, arch: null, sha256: '', size: 0, problem: 'not-a-kernel' };
  try {
    const { header, sha256, size } = await inspectKernelCached(machine, host, st);
    const archOk = !arch || header.arch === arch;
    return {
      present: true,
      valid: archOk,
      version: header.version,
      release: header.release,
      arch: header.arch,
      sha256,
      size,
      ...(archOk ? {} : { problem: 'wrong-architecture' as const }),
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { present: false };
    if (!(err instanceof KernelSetupError) || err.code !== 'not-a-kernel') throw err;
    return { present: true, valid: false, version: null, release: null, arch: null, sha256: '', size: st.size, problem: 'not-a-kernel' };
  }
}

export async function fileExists(machine: Machine, windowsPath: string): Promise<boolean> {
  const host = hostPath(machine, windowsPath);
  // WSL checks with GetFileAttributesW: anything there (even a folder) passes its test.
  return host !== null && (await machine.fs.stat(host)) !== null;
}

export async function detectWsl(machine: Machine, arch: Arch | null): Promise<WslInfo> {
  const installLocation = await regString(machine, REG.lxssMsi, 'InstallLocation');
  if (installLocation) {
    const tools = winJoin(installLocation, 'tools');
    const path = winJoin(tools, 'kernel');
    const modulesPath = winJoin(tools, 'modules.vhd');
    return {
      flavour: 'store',
      version: await regString(machine, REG.lxssMsi, 'Version'),
      installLocation,
      defaultKernel: {
        path,
        kernel: await kernelFileStatus(machine, path, arch),
        modulesPath,
        modulesPresent: await fileExists(machine, modulesPath),
      },
    };
  }
  const inbox = await machine.registry.keyExists(REG.lxssManager);
  return { flavour: inbox ? 'inbox' : 'none', version: null, installLocation: null, defaultKernel: null };
}
