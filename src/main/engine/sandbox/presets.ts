/**
 * `sandbox init DIR --preset NAME`: sandbox folders in the states people meet in real life.
 * Kernels in presets are clearly labelled demo kernels (`-demo` in their release).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import type { Arch, CommandResult } from '../../../shared/types';
import { writeFileAtomic } from '../machine/atomic-write';
import { mapFsError } from '../machine/fs-errors';
import { Engine } from '../engine';
import type { Fs } from '../machine/fs-port';
import { nodeFs } from '../machine/fs-port';
import { demoKernelSha256, demoRelease, writeArm64Image, writeBzImage } from './kernel-builder';
import { DEMO_PAYLOAD_VERSION } from '../kernel/demo-version';
import { HCS_TIMEOUT_TEXT } from './sandbox-wsl';
import * as broken from './broken-states';
import { SANDBOX_STATE, SANDBOX_TOOLS, openSandbox } from './sandbox-machine';
import { STORE_JSON, STORE_REG, storePresets } from './store-preset-list';
import { errorPresets } from './error-presets';
import type { Preset, RegOptions } from './preset-type';
export type { Preset, RegOptions } from './preset-type';
import { storeRegLines, writeStoreWsl } from './store-presets';


/** The machine.reg text of a Windows machine with these facts. */
export function machineRegText(o: RegOptions = {}): string {
  const { build = 19045, ubr = 3803, arch = 'AMD64', wsl = true, vmPlatform = true, rebootPending = false } = o;
  const lines = ['Windows Registry Editor Version 5.00', ''];
  const key = (k: string, values: string[] = []) => lines.push(`[HKEY_LOCAL_MACHINE\\${k}]`, ...values, '');
  key('SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', [
    `"CurrentBuild"="${build}"`,
    `"UBR"=dword:${ubr.toString(16).padStart(8, '0')}`,
    `"ProductName"="${build >= 22000 ? 'Windows 11 Pro' : 'Windows 10 Pro'}"`,
  ]);
  key('SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment', [`"PROCESSOR_ARCHITECTURE"="${arch}"`]);
  if (wsl) key('SYSTEM\\CurrentControlSet\\Services\\LxssManager', ['"Start"=dword:00000003']);
  if (vmPlatform) {
    key('SYSTEM\\CurrentControlSet\\Services\\vmcompute', ['"Start"=dword:00000003']);
    key('SYSTEM\\CurrentControlSet\\Services\\HNS', ['"Start"=dword:00000003']);
  }
  if (rebootPending) key('SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending');
  key('SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss');
  lines.push(...storeRegLines(o));
  return lines.join('\r\n');
}

/** Versions the presets use: an older and a current kernel, and the demo payload is newer still. */
export const PRESET_VERSIONS = { older: '5.10.102.1', current: '5.15.153.1' } as const;
/** Newer than store WSL's own kernel (6.6.36.3), older than the demo payload: the bundled kernel is an update. */
export const STORE_MANAGED_VERSIONS = { older: '6.6.36.4', current: '6.6.36.5' } as const;


/** Run one engine command on the new sandbox: presets reach their states through the real operations. */
async function step(root: string, command: (engine: Engine) => Promise<CommandResult>): Promise<void> {
  const result = await command(new Engine(await openSandbox(root)));
  if (!result.ok) throw new Error(`preset setup failed: ${result.message}`);
}

const install = (root: string, payload: string) => step(root, (engine) => engine.install({ payload }));
const rollback = (root: string) => step(root, (engine) => engine.rollback());

const installedSetup: Preset['setup'] = async (root, kernels) => {
  await install(root, await kernels(PRESET_VERSIONS.older));
  await install(root, await kernels(PRESET_VERSIONS.current));
};

export const PRESETS: Record<string, Preset> = {
  fresh: { description: 'Windows 10 19045, WSL and Virtual Machine Platform enabled, no kernel ("WSL 2 requires an update to its kernel component")', reg: {} },
  installed: {
    description: `kernel ${PRESET_VERSIONS.current}, kernel.rollback ${PRESET_VERSIONS.older}`,
    reg: {},
    // WSL runs the current kernel (docs/design.md §10: a restart is what makes it boot another).
    json: { wsl: { running: ['Ubuntu', 'Debian'], distributions: ['Ubuntu', 'Debian'], runningRelease: demoRelease(PRESET_VERSIONS.current), shutdowns: 0 } },
    setup: installedSetup,
  },
  'rolled-back': {
    description: `rolled back from ${PRESET_VERSIONS.current} to ${PRESET_VERSIONS.older}`,
    reg: {},
    setup: async (root, kernels) => {
      await installedSetup(root, kernels);
      await rollback(root);
    },
  },
  'no-wsl': { description: 'Windows Subsystem for Linux not enabled', reg: { wsl: false } },
  'reboot-pending': { description: 'WSL enabled but Windows not restarted yet', reg: { wsl: false, rebootPending: true } },
  'old-build': { description: 'Windows 10 1809 (build 17763): too old for WSL 2', reg: { build: 17763, ubr: 1 } },
  arm64: { description: 'Windows 11 on ARM64, no kernel', reg: { build: 22631, ubr: 4460, arch: 'ARM64' } },
  'no-vm-platform': { description: 'Virtual Machine Platform not enabled', reg: { vmPlatform: false } },
  'not-elevated': { description: 'the tool runs without administrator rights', reg: {}, json: { elevated: false } },
  'low-disk': { description: 'only 1 MiB free on the system drive', reg: {}, json: { freeBytes: 1024 * 1024 } },
  // Broken states for the repair wizard (see broken-states.ts).
  'kernel-missing': {
    description: `kernel deleted, kernel.rollback ${PRESET_VERSIONS.older} still there ("WSL 2 requires an update to its kernel component")`,
    reg: {},
    setup: async (root, kernels) => {
      await installedSetup(root, kernels);
      await broken.removeSlot(root, 'kernel');
    },
  },
  'corrupt-kernel': {
    description: `kernel ${PRESET_VERSIONS.current} truncated to half its size (its header still reads fine)`,
    reg: {},
    setup: async (root, kernels) => {
      await installedSetup(root, kernels);
      await broken.truncateSlot(root, 'kernel');
    },
  },
  'wrong-arch-kernel': {
    description: 'kernel replaced by an ARM64 kernel on an x64 machine',
    reg: {},
    setup: async (root, kernels) => {
      await installedSetup(root, kernels);
      await broken.replaceSlot(root, 'kernel', demoRelease(PRESET_VERSIONS.current), 'arm64');
    },
  },
  'orphan-flag': {
    description: `rolled back to ${PRESET_VERSIONS.older}, then kernel.rollback deleted: RollbackKernel set with nothing to boot`,
    reg: {},
    setup: async (root, kernels) => {
      await installedSetup(root, kernels);
      await rollback(root);
      await broken.removeSlot(root, 'kernel.rollback');
    },
  },
  interrupted: {
    description: `an install of ${PRESET_VERSIONS.current} killed right after its commit point (journal left for recovery)`,
    reg: {},
    setup: async (root, kernels) => {
      await install(root, await kernels(PRESET_VERSIONS.older));
      await broken.killedInstall(root, await kernels(PRESET_VERSIONS.current));
    },
  },
  tampered: {
    description: `kernel ${PRESET_VERSIONS.current} replaced behind the tool's back by another build (hash differs from the record)`,
    reg: {},
    setup: async (root, kernels) => {
      await installedSetup(root, kernels);
      await broken.replaceSlot(root, 'kernel', demoRelease(PRESET_VERSIONS.current));
    },
  },
  'leftover-temps': {
    description: 'installed, with temporary files a crashed process left behind',
    reg: {},
    setup: async (root, kernels) => {
      await installedSetup(root, kernels);
      await broken.leaveTemps(root);
    },
  },
  // The boot check (docs/design.md §10): the bundled kernel, newer than the installed one, does not boot.
  'fails-to-boot': {
    description: `kernel ${PRESET_VERSIONS.current} running in Ubuntu; the bundled kernel ${DEMO_PAYLOAD_VERSION} does not boot (WSL times out starting it)`,
    reg: {},
    // A getter: the demo kernel's hash builds the whole image, which every command would pay for at load.
    get json() {
      return {
        wsl: {
          running: ['Ubuntu'],
          distributions: ['Ubuntu'],
          runningRelease: demoRelease(PRESET_VERSIONS.current),
          shutdowns: 0,
          failingKernels: { [demoKernelSha256('x64', { version: DEMO_PAYLOAD_VERSION })]: HCS_TIMEOUT_TEXT },
        },
      };
    },
    setup: installedSetup,
  },
  'no-distribution': {
    description: `kernel ${PRESET_VERSIONS.current} installed, but no WSL distribution to start`,
    reg: {},
    json: { wsl: { running: [], distributions: [], shutdowns: 0 } },
    setup: installedSetup,
  },
  ...storePresets,
  'store-managed': {
    description: `store WSL with the tool's slots in use: kernel ${STORE_MANAGED_VERSIONS.current}, fallback ${STORE_MANAGED_VERSIONS.older}; alice's .wslconfig boots the tool's kernel`,
    reg: STORE_REG,
    json: STORE_JSON,
    // Installed by the engine itself, as a user would have: slots, boot path, users.json and .wslconfig.
    setup: async (root, kernels) => {
      await writeStoreWsl(root);
      await install(root, await kernels(STORE_MANAGED_VERSIONS.older));
      await install(root, await kernels(STORE_MANAGED_VERSIONS.current));
    },
  },
  ...errorPresets,
};

async function writeKernel(path: string, arch: Arch, version: string, size: number): Promise<void> {
  const release = demoRelease(version);
  if (arch === 'x64') await writeBzImage(path, { release, size });
  else await writeArm64Image(path, { release, size });
}

/**
 * Create a sandbox folder from a preset. Refuses a folder that already holds a machine, or any
 * other files. Atomic: the machine is built in a temporary folder beside `root` and renamed into
 * place, so a full disk or a path too long leaves no half-built machine that `status` would accept.
 */
export async function initSandbox(root: string, presetName = 'fresh', fs: Fs = nodeFs): Promise<{ root: string; description: string }> {
  const preset = PRESETS[presetName];
  if (!preset) {
    throw new KernelSetupError('usage', `Unknown preset "${presetName}". Presets: ${Object.keys(PRESETS).join(', ')}.`);
  }
  if (await fs.stat(join(root, 'machine.reg'))) {
    throw new KernelSetupError('usage', `${root} already holds a sandbox machine; choose a new folder.`);
  }
  const existing = await fs.stat(root);
  if (existing && (!existing.isDirectory || (await fs.readdir(root)).length > 0)) {
    throw new KernelSetupError('usage', `${root} already exists and is not an empty folder; choose a new folder.`);
  }
  const building = join(dirname(root), `.${basename(root)}.wslk-init-${randomBytes(4).toString('hex')}`);
  try {
    await build(building, preset, fs);
    if (existing) await rmdir(root);
    await fs.rename(building, root);
    await fs.syncDir(dirname(root));
  } catch (err) {
    await rm(building, { recursive: true, force: true }).catch(() => undefined);
    throw mapFsError(err, `creating the sandbox ${root}`);
  }
  return { root, description: preset.description };
}

async function build(root: string, preset: Preset, fs: Fs): Promise<void> {
  await fs.mkdir(join(root, ...SANDBOX_TOOLS));
  await fs.mkdir(join(root, ...SANDBOX_STATE));
  await writeFileAtomic(fs, join(root, 'machine.reg'), Buffer.from(machineRegText(preset.reg), 'utf8'));
  const json = { elevated: true, wsl: { running: [], shutdowns: 0 }, ...(preset.json ?? {}) };
  await writeFileAtomic(fs, join(root, 'machine.json'), Buffer.from(JSON.stringify(json, null, 2) + '\n'));
  if (preset.setup) {
    const arch: Arch = preset.reg.arch === 'ARM64' ? 'arm64' : 'x64';
    const work = await mkdtemp(join(tmpdir(), 'wslk-preset-'));
    try {
      await preset.setup(root, async (version) => {
        const path = join(work, version);
        await writeKernel(path, arch, version, 2 * 1024 * 1024);
        return path;
      });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}
