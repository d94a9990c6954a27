/**
 * The kernel WSL will boot for a user, and why (DESIGN §8): the user's `.wslconfig` `kernel=` as
 * WSL reads it, unless the policy `AllowKernelUserSetting` = 0 or `safeMode=true` sets it aside
 * (microsoft/WSL `WslCoreConfig.cpp` `Initialize`); else the flavour's default kernel. The checks
 * and messages of `WslCoreVm::Initialize` decide whether the VM can start at all.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { Arch, BootKernel, SlotStatus, WslConfigFacts } from '../../../shared/types';
import { REG, type Machine } from '../machine/machine';
import { loadWslConfig } from '../wslconfig';
import { fileExists, kernelFileStatus, type WslInfo } from './flavour';
import type { WslUser } from './users';

export const WSL_E_CUSTOM_KERNEL_NOT_FOUND = 'WSL_E_CUSTOM_KERNEL_NOT_FOUND';

/** The inbox kernel slots as the status already read them. */
export interface InboxSlots {
  kernelPath: string;
  rollbackPath: string;
  rollbackActive: boolean;
  kernel: SlotStatus;
  rollback: SlotStatus;
}

/** `IsFeatureAllowed`: only a REG_DWORD 0 disallows; a missing, other-typed or other value allows. */
export async function kernelSettingAllowed(machine: Machine): Promise<boolean> {
  const v = await machine.registry.getValue(REG.wslPolicies, 'AllowKernelUserSetting');
  return !(v && v.type === 'REG_DWORD' && v.data === 0);
}

const parseBool = (v: string | undefined): boolean | null => {
  if (v === undefined) return null;
  if (v === '1' || v.toLowerCase() === 'true') return true;
  if (v === '0' || v.toLowerCase() === 'false') return false;
  return null;
};

/** How WSL reads the user's file for the kernel. Store WSL applies the policy and safe mode; inbox WSL knows neither, nor kernelModules. */
export async function readWslConfigFacts(machine: Machine, user: WslUser, store: boolean): Promise<WslConfigFacts> {
  const base: WslConfigFacts = { path: user.wslconfig, exists: false, kernel: null, kernelModules: null, ignoredBy: null, warnings: [] };
  if (!user.wslconfigHost) return base;
  let cfg;
  try {
    cfg = await loadWslConfig(user.wslconfigHost, user.wslconfig);
  } catch (err) {
    if (err instanceof KernelSetupError) return { ...base, exists: true, unreadable: err.message };
    throw err;
  }
  const get = (k: string): string | null => cfg.doc.effective.get(k)?.value ?? null;
  const facts: WslConfigFacts = {
    ...base,
    exists: cfg.exists,
    kernel: get('wsl2.kernel'),
    kernelModules: store ? get('wsl2.kernelmodules') : null,
    warnings: cfg.doc.warnings.map((w) => w.text),
  };
  const line = cfg.doc.entries.find((e) => e.fullKey.toLowerCase() === 'wsl2.kernel');
  facts.kernelRaw = line ? cfg.decoded.text.slice(line.valueStart, line.valueEnd) : null;
  facts.kernelLineDropped = line && !line.valid && !facts.kernel ? (cfg.doc.warnings.find((w) => w.line === line.line)?.text ?? null) : null;
  if (!store) return facts;
  if (!(await kernelSettingAllowed(machine))) {
    for (const k of ['kernel', 'kernelModules'] as const) {
      if (facts[k]) facts.warnings.push(`The .wslconfig setting 'wsl2.${k}' is disabled by the computer policy.`);
    }
    if (facts.kernel || facts.kernelModules) facts.ignoredBy = 'policy';
  } else if (parseBool(get('wsl2.safemode') ?? undefined) === true) {
    facts.warnings.push('SAFE MODE ENABLED - many features will be disabled');
    if (facts.kernel || facts.kernelModules) facts.ignoredBy = 'safe-mode';
  }
  return facts;
}

export async function whatBoots(machine: Machine, arch: Arch | null, info: WslInfo, user: WslUser | null, inbox: InboxSlots): Promise<BootKernel> {
  const store = info.flavour === 'store';
  const wslconfig = user ? await readWslConfigFacts(machine, user, store) : null;
  const custom = wslconfig && !wslconfig.ignoredBy ? wslconfig.kernel || null : null;
  const customModules = wslconfig && !wslconfig.ignoredBy ? wslconfig.kernelModules || null : null;
  const who = user ? user.name : null;
  const base = { user: who, wslconfig, modulesPath: null, error: null };
  const cfgPath = wslconfig?.path ?? '.wslconfig';

  if (info.flavour === 'none') {
    return { ...base, source: 'none', path: null, reason: 'WSL is not installed on this machine, so no kernel boots.', kernel: { present: false } };
  }
  if (custom) {
    const kernel = await kernelFileStatus(machine, custom, arch);
    const exists = kernel.present || (await fileExists(machine, custom));
    if (!exists) {
      return {
        ...base,
        source: 'wslconfig',
        path: custom,
        kernel,
        reason: `${cfgPath} names ${custom} as the kernel, but there is no such file: WSL will not start.`,
        error: { code: WSL_E_CUSTOM_KERNEL_NOT_FOUND, message: `The custom kernel specified in ${cfgPath} was not found: '${custom}'.` },
      };
    }
    let error: BootKernel['error'] = null;
    if (customModules && !(await fileExists(machine, customModules))) {
      error = { code: WSL_E_CUSTOM_KERNEL_NOT_FOUND, message: `The custom kernel modules VHD in ${cfgPath} was not found: '${customModules}'.` };
    }
    const note = customModules ? ` with the modules in ${customModules}` : store ? ' with no kernel modules' : '';
    return {
      ...base,
      source: 'wslconfig',
      path: custom,
      kernel,
      modulesPath: customModules,
      reason: `${cfgPath} names this kernel (kernel=${custom})${note}.`,
      error,
    };
  }
  const mismatch = customModules
    ? { code: WSL_E_CUSTOM_KERNEL_NOT_FOUND, message: 'Customised kernel modules were supplied without specifying a customised kernel. Please see https://aka.ms/wslcustomkernel for more information.' }
    : null;
  const dropped = wslconfig?.kernelLineDropped ? ` (WSL ignores the kernel= line of ${cfgPath}: ${wslconfig.kernelLineDropped})` : '';
  const aside =
    dropped ||
    (wslconfig?.ignoredBy === 'policy'
      ? ' (the computer policy AllowKernelUserSetting = 0 makes WSL ignore kernel= in .wslconfig)'
      : wslconfig?.ignoredBy === 'safe-mode'
        ? ' (safeMode=true in .wslconfig makes WSL ignore kernel=)'
        : '');
  if (store && info.defaultKernel) {
    const d = info.defaultKernel;
    return {
      ...base,
      source: 'default',
      path: d.path,
      kernel: d.kernel,
      modulesPath: d.modulesPresent ? d.modulesPath : null,
      reason: `WSL ${info.version ?? ''} boots its own kernel from its install folder${aside}.`.replace('WSL  ', 'WSL '),
      error: mismatch,
    };
  }
  const rolled = inbox.rollbackActive;
  return {
    ...base,
    source: rolled ? 'rollback' : 'default',
    path: rolled ? inbox.rollbackPath : inbox.kernelPath,
    kernel: rolled ? inbox.rollback : inbox.kernel,
    reason: rolled
      ? `Inbox WSL boots kernel.rollback because RollbackKernel is set${aside}.`
      : `Inbox WSL boots the kernel in System32\\lxss\\tools${aside}.`,
    error: null,
  };
}
