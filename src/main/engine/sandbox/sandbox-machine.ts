/**
 * The sandbox machine (docs/design.md §3.1): a folder that stands for a Windows computer, so every flow
 * can be tried and tested safely. Tests and people create these folders by hand.
 */
import { join } from 'node:path';
import * as z from 'zod/mini';
import { KernelSetupError } from '../../../shared/errors';
import { writeFileAtomic } from '../machine/atomic-write';
import type { Fs } from '../machine/fs-port';
import { nodeFs } from '../machine/fs-port';
import type { Machine } from '../machine/machine';
import { SandboxRegistry } from '../registry/sandbox-registry';
import { READ_LIMITS, readRegularFile } from '../machine/bounded-read';

export const SANDBOX_TOOLS = ['Windows', 'System32', 'lxss', 'tools'] as const;
export const SANDBOX_STATE = ['ProgramData', 'WslKernelSetup'] as const;

const machineJson = z.looseObject({
  elevated: z.optional(z.boolean()),
  freeBytes: z.optional(z.number().check(z.nonnegative())),
  user: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  wsl: z.optional(
    z.looseObject({
      running: z.optional(z.array(z.string().check(z.maxLength(256)))),
      shutdowns: z.optional(z.number().check(z.int(), z.nonnegative())),
    }),
  ),
  scheduledTask: z.optional(z.looseObject({ name: z.string(), command: z.string(), arguments: z.string() })),
});
export type MachineJson = z.infer<typeof machineJson>;

async function readMachineJson(fs: Fs, path: string): Promise<MachineJson> {
  let raw: Buffer;
  try {
    raw = await readRegularFile(fs, path, { code: 'invalid-machine', what: 'machine.json', maxBytes: READ_LIMITS.json });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new KernelSetupError('invalid-machine', `machine.json is not valid JSON: ${(err as Error).message}.`, { path });
  }
  const parsed = machineJson.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KernelSetupError('invalid-machine', `machine.json: ${issue?.path.join('.') || 'top level'}: ${issue?.message}.`, { path });
  }
  return parsed.data;
}

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
  return {
    kind: 'sandbox',
    label: `sandbox ${root}`,
    root,
    toolsDir: join(root, ...SANDBOX_TOOLS),
    stateDir: join(root, ...SANDBOX_STATE),
    fs,
    registry,
    wsl: {
      async listRunning() {
        return (await readMachineJson(fs, jsonPath)).wsl?.running ?? [];
      },
      async shutdown() {
        // A WSL shutdown empties "running" and adds 1 to "shutdowns".
        const data = await readMachineJson(fs, jsonPath);
        const wsl = { ...(data.wsl ?? {}), running: [], shutdowns: (data.wsl?.shutdowns ?? 0) + 1 };
        await writeFileAtomic(fs, jsonPath, Buffer.from(JSON.stringify({ ...data, wsl }, null, 2) + '\n'));
      },
    },
    tasks: {
      async query(name) {
        const t = (await readMachineJson(fs, jsonPath)).scheduledTask;
        return t && t.name === name ? { name: t.name, command: t.command, arguments: t.arguments } : null;
      },
      async create(task) {
        // The sandbox records the task instead of scheduling it (docs/design.md §12).
        const data = await readMachineJson(fs, jsonPath);
        const scheduledTask = { ...task, schedule: 'daily' };
        await writeFileAtomic(fs, jsonPath, Buffer.from(JSON.stringify({ ...data, scheduledTask }, null, 2) + '\n'));
      },
      async remove(name) {
        const data = await readMachineJson(fs, jsonPath);
        if (data.scheduledTask?.name !== name) return;
        const rest: Record<string, unknown> = { ...data };
        delete rest.scheduledTask;
        await writeFileAtomic(fs, jsonPath, Buffer.from(JSON.stringify(rest, null, 2) + '\n'));
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
}
