/**
 * The sandbox machine (docs/design.md §3.1): a folder that stands for a Windows computer, so every flow
 * can be tried and tested safely. Tests and people create these folders by hand.
 */
import { join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import type { Fs } from '../machine/fs-port';
import { nodeFs } from '../machine/fs-port';
import type { Machine } from '../machine/machine';
import { SandboxRegistry } from '../registry/sandbox-registry';
import { readMachineJson, writeMachineJson } from './machine-json';
import { createSandboxWsl } from './sandbox-wsl';

export const SANDBOX_TOOLS = ['Windows', 'System32', 'lxss', 'tools'] as const;
export const SANDBOX_STATE = ['ProgramData', 'WslKernelSetup'] as const;

/** Open a sandbox folder. It must exist; its files are all optional. */
export async function openSandbox(root: string, fs: Fs = nodeFs): Promise<Machine> {
  const stat = await fs.stat(root);
  if (!stat?.isDirectory) {
    const what = stat ? (stat.isFile ? 'it is a file' : 'it is not a folder') : 'it does not exist';
    throw new KernelSetupError('invalid-machine', `${root} is not a sandbox folder (${what}). Create one with: sandbox init ${root} --preset fresh`, { path: root });
  }
  const jsonPath = join(root, 'machine.json');
  // Validate machine.json now, so a malformed file is reported before anything runs.
  await readMachineJson(fs, jsonPath);
  const registry = new SandboxRegistry(fs, join(root, 'machine.reg'));
  const machine: Machine = {
    kind: 'sandbox',
    label: `sandbox ${root}`,
    root,
    toolsDir: join(root, ...SANDBOX_TOOLS),
    stateDir: join(root, ...SANDBOX_STATE),
    fs,
    registry,
    wsl: createSandboxWsl(fs, jsonPath, () => machine),
    tasks: {
      async query(name) {
        const t = (await readMachineJson(fs, jsonPath)).scheduledTask;
        return t && t.name === name ? { name: t.name, command: t.command, arguments: t.arguments } : null;
      },
      async create(task) {
        // The sandbox records the task instead of scheduling it (docs/design.md §12).
        const data = await readMachineJson(fs, jsonPath);
        const scheduledTask = { ...task, schedule: 'daily' };
        await writeMachineJson(fs, jsonPath, { ...data, scheduledTask });
      },
      async remove(name) {
        const data = await readMachineJson(fs, jsonPath);
        if (data.scheduledTask?.name !== name) return;
        const rest: Record<string, unknown> = { ...data };
        delete rest.scheduledTask;
        await writeMachineJson(fs, jsonPath, rest);
      },
    },
    features: {
      // What Windows shows after turning a feature on: its services are registered and a restart
      // is pending (docs/design.md §3.1), the state of the reboot-pending preset.
      async enable(feature) {
        const services = feature === 'wsl' ? ['LxssManager'] : ['vmcompute', 'HNS'];
        for (const s of services) await registry.setValue(`SYSTEM\\CurrentControlSet\\Services\\${s}`, 'Start', { type: 'REG_DWORD', data: 3 });
        await registry.setValue('SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending', 'Features', { type: 'REG_SZ', data: feature });
      },
    },
    facts: {
      async isElevated() {
        return (await readMachineJson(fs, jsonPath)).elevated ?? true;
      },
      async freeBytes() {
        return (await readMachineJson(fs, jsonPath)).freeBytes ?? Number.MAX_SAFE_INTEGER;
      },
      async nativeArch() {
        return null; // the sandbox's registry says
      },
      async interactiveUser() {
        return (await readMachineJson(fs, jsonPath)).user ?? null;
      },
    },
  };
  return machine;
}
