/**
 * Whether WSL can start with the machine as it is, in one plain sentence, and which screen fixes
 * it. Every screen of the app shows this one verdict (its banner), so no screen offers an action
 * that makes no sense in a broken state, and the Settings actions are refused with it.
 */
import type { Health, MachineStatus } from '../../../shared/types';
import type { WindowsFacts } from '../machine/prechecks';
import { buildSupportsWsl2 } from '../machine/prechecks';

const OK: Health = { state: 'ok', code: null, finding: null, message: 'WSL has a working kernel.', action: null };

/** Windows not ready for WSL 2 (checked first: no kernel helps then). */
function windowsHealth(f: WindowsFacts): Health | null {
  if (!buildSupportsWsl2(f.build, f.ubr, f.arch)) {
    return { state: 'blocked', code: 'wsl-unsupported-build', finding: 'windows-build-unsupported', message: 'WSL 2 cannot start: this version of Windows is too old.', action: 'repair' };
  }
  if (!f.wslEnabled && f.rebootPending) {
    return { state: 'blocked', code: 'reboot-required', finding: 'restart-pending', message: 'WSL cannot start until Windows restarts.', action: 'repair' };
  }
  if (!f.wslEnabled) {
    return { state: 'blocked', code: 'wsl-not-enabled', finding: 'wsl-not-enabled', message: 'WSL cannot start: the Windows Subsystem for Linux is turned off.', action: 'repair' };
  }
  if (!f.vmPlatform) {
    return { state: 'blocked', code: 'vm-platform-missing', finding: 'vm-platform-missing', message: 'WSL 2 cannot start: the Virtual Machine Platform is turned off.', action: 'repair' };
  }
  return null;
}

/** The verdict for the kernel files WSL boots (DESIGN §5: WSL boots kernel.rollback when the flag is set, else kernel). */
export function slotHealth(s: MachineStatus): Health {
  if (s.rollbackActive && !s.rollbackKernel.present) {
    return {
      state: 'broken',
      code: 'no-rollback-kernel',
      finding: 'rollback-flag-orphaned',
      message: 'WSL cannot start: it is set to use the previous kernel, and that file is missing.',
      action: 'repair',
    };
  }
  if (s.rollbackActive && s.rollbackKernel.present && !s.rollbackKernel.valid) {
    return { state: 'broken', code: 'no-rollback-kernel', finding: 'rollback-flag-orphaned', message: 'WSL cannot start: the previous kernel it is set to use is damaged.', action: 'repair' };
  }
  if (!s.rollbackActive && !s.kernel.present) {
    if (!s.rollbackKernel.present) return { state: 'no-kernel', code: 'kernel-missing', finding: 'kernel-missing', message: 'WSL cannot start Linux yet: no kernel is installed.', action: 'install' };
    return { state: 'broken', code: 'kernel-missing', finding: 'kernel-missing', message: 'WSL cannot start: the kernel is missing.', action: 'repair' };
  }
  if (!s.rollbackActive && s.kernel.present && !s.kernel.valid) {
    return { state: 'broken', code: 'kernel-missing', finding: 'kernel-invalid', message: 'WSL cannot start: the kernel file is damaged.', action: 'repair' };
  }
  return OK;
}

/**
 * Store WSL (docs/design.md §11): it boots its own kernel or the one `.wslconfig` names, never the
 * System32 slots, so the verdict is about that kernel.
 */
export function storeHealth(s: MachineStatus): Health {
  const boot = s.boot;
  if (!boot) return OK;
  if (boot.error) {
    const finding = boot.error.code === 'WSL_E_CUSTOM_KERNEL_NOT_FOUND' ? 'custom-kernel-missing' : null;
    return { state: 'broken', code: 'kernel-missing', finding, message: `WSL cannot start: ${boot.error.message.charAt(0).toLowerCase()}${boot.error.message.slice(1)}`, action: 'repair' };
  }
  if (!boot.kernel.present) return { state: 'broken', code: 'kernel-missing', finding: null, message: 'WSL cannot start: the kernel it boots is missing.', action: 'repair' };
  if (!boot.kernel.valid) return { state: 'broken', code: 'kernel-missing', finding: null, message: 'WSL cannot start: the kernel it boots is damaged.', action: 'repair' };
  return OK;
}

export function healthOf(s: MachineStatus, facts: WindowsFacts | null): Health {
  const windows = facts && windowsHealth(facts);
  if (windows) return windows;
  const files = s.flavour === 'store' ? storeHealth(s) : slotHealth(s);
  // Nothing installed yet and a restart pending (just after turning WSL on): the install's pre-checks
  // refuse until Windows restarts, so the restart is the next step, not Install.
  if (files.action === 'install' && facts?.rebootPending) {
    return { state: 'blocked', code: 'reboot-required', finding: 'restart-pending', message: 'WSL cannot start Linux yet: Windows must restart first, then the kernel can be installed.', action: 'repair' };
  }
  return files;
}
