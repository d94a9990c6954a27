/**
 * WSL in a sandbox (docs/design.md §3.1, §10): `machine.json` says which distributions exist, which
 * run, and which kernels do not boot. Starting a distribution boots the kernel WSL would boot on
 * this machine (the `.wslconfig` `kernel=`, store WSL's own kernel, or the inbox slot that
 * `RollbackKernel` selects), and fails as WSL does when that kernel is missing, not a kernel, or
 * listed in `wsl.failingKernels`. The release of the booted kernel is kept in `wsl.runningRelease`
 * until a shutdown, so a WSL that was not restarted keeps reporting the old kernel.
 */
import { join } from 'node:path';
import type { Arch } from '../../../shared/types';
import type { Fs } from '../machine/fs-port';
import { REG, type Machine, type WslControl, type WslExecResult } from '../machine/machine';
import { readFlag } from '../steps/registry-steps';
import { whatBoots } from '../wsl/boot';
import { detectWsl, kernelFileStatus } from '../wsl/flavour';
import { windowsPathOf } from '../wsl/host-path';
import { resolveUser } from '../wsl/users';
import { readMachineJson, writeMachineJson } from './machine-json';

/** wsl.exe's exit code for its own failures (-1 as an unsigned 32-bit value). */
const WSL_FAILED = 4294967295;

/** What WSL prints when the VM does not answer: a kernel that does not boot (DESIGN §10). */
export const HCS_TIMEOUT_TEXT =
  'The operation timed out because a response was not received from the virtual machine or container.\nError code: Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT';

const failed = (text: string): WslExecResult => ({ exitCode: WSL_FAILED, stdout: '', stderr: `${text}\n` });

async function sandboxArch(machine: Machine): Promise<Arch | null> {
  const v = await machine.registry.getValue(REG.environment, 'PROCESSOR_ARCHITECTURE');
  const name = v && (v.type === 'REG_SZ' || v.type === 'REG_EXPAND_SZ') ? v.data.toUpperCase() : '';
  return name === 'AMD64' ? 'x64' : name === 'ARM64' ? 'arm64' : null;
}

/** Boot the kernel WSL would boot here: its release, or the error text WSL prints. */
async function boot(machine: Machine, failing: Record<string, string>): Promise<{ release: string } | { error: string }> {
  const arch = await sandboxArch(machine);
  const info = await detectWsl(machine, arch);
  if (info.flavour === 'none') {
    return { error: 'The Windows Subsystem for Linux optional component is not enabled. Please enable it and try again.\nError code: Wsl/WSL_E_WSL_OPTIONAL_COMPONENT_REQUIRED' };
  }
  const user = await resolveUser(machine).catch(() => null);
  const none = { present: false } as const;
  const kernelPath = windowsPathOf(machine, join(machine.toolsDir, 'kernel'));
  const rollbackPath = windowsPathOf(machine, join(machine.toolsDir, 'kernel.rollback'));
  const target = await whatBoots(machine, arch, info, user, { kernelPath, rollbackPath, rollbackActive: await readFlag(machine), kernel: none, rollback: none });
  if (target.error) return { error: `${target.error.message}\nError code: Wsl/Service/CreateInstance/CreateVm/${target.error.code}` };
  const kernel = await kernelFileStatus(machine, target.path, arch);
  if (!kernel.present) {
    if (info.flavour === 'store') {
      return { error: 'The system cannot find the file specified.\nError code: Wsl/Service/CreateInstance/CreateVm/HCS/ERROR_FILE_NOT_FOUND' };
    }
    return { error: 'WSL 2 requires an update to its kernel component. For information please visit https://aka.ms/wsl2kernel\n\nError: 0x800701bc' };
  }
  if (!kernel.valid || !kernel.release) return { error: HCS_TIMEOUT_TEXT };
  const text = failing[kernel.sha256] ?? failing[kernel.sha256.toUpperCase()];
  if (text !== undefined) return { error: text };
  return { release: kernel.release };
}

export function createSandboxWsl(fs: Fs, jsonPath: string, machine: () => Machine): WslControl {
  return {
    async listRunning() {
      return (await readMachineJson(fs, jsonPath)).wsl?.running ?? [];
    },
    async shutdown() {
      // A WSL shutdown empties "running", adds 1 to "shutdowns" and stops the kernel that ran.
      const data = await readMachineJson(fs, jsonPath);
      const wsl: Record<string, unknown> = { ...(data.wsl ?? {}), running: [], shutdowns: (data.wsl?.shutdowns ?? 0) + 1 };
      delete wsl.runningRelease;
      // The distributions stay installed: without a list, those that ran are written down.
      if (!data.wsl?.distributions && data.wsl?.running?.length) wsl.distributions = data.wsl.running;
      await writeMachineJson(fs, jsonPath, { ...data, wsl });
    },
    async listDistributions() {
      const wsl = (await readMachineJson(fs, jsonPath)).wsl;
      return wsl?.distributions ?? wsl?.running ?? [];
    },
    async exec(distro, argv) {
      const data = await readMachineJson(fs, jsonPath);
      const wsl = data.wsl ?? {};
      const installed = wsl.distributions ?? wsl.running ?? [];
      if (!installed.includes(distro)) return failed('There is no distribution with the supplied name.\nError code: Wsl/Service/WSL_E_DISTRO_NOT_FOUND');
      // There is no Linux inside a sandbox: the one program it can answer for is `uname -r`.
      if (argv.length !== 2 || argv[0] !== 'uname' || argv[1] !== '-r') {
        return { exitCode: 1, stdout: '', stderr: `The sandbox runs only "uname -r" (asked: "${argv.join(' ')}").\n` };
      }
      const running = wsl.running ?? [];
      if (running.length && wsl.runningRelease) {
        if (!running.includes(distro)) await writeMachineJson(fs, jsonPath, { ...data, wsl: { ...wsl, running: [...running, distro] } });
        return { exitCode: 0, stdout: `${wsl.runningRelease}\n`, stderr: '' };
      }
      const started = await boot(machine(), wsl.failingKernels ?? {});
      if ('error' in started) return failed(started.error);
      const next = { ...wsl, running: running.includes(distro) ? running : [...running, distro], runningRelease: started.release, boots: (wsl.boots ?? 0) + 1 };
      await writeMachineJson(fs, jsonPath, { ...data, wsl: next });
      return { exitCode: 0, stdout: `${started.release}\n`, stderr: '' };
    },
  };
}
