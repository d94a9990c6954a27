/**
 * Every fix `diagnose` can offer: the ones the tool applies (journaled operations) and the manual
 * ones (steps the user takes, such as enabling a Windows feature and restarting).
 */
import { COMMANDS } from '../../../shared/remedies';
import type { Fix } from '../../../shared/types';

/** Fixes the tool applies itself with `repair --fix ID`. */
export const TOOL_FIXES = [
  'recover',
  'clean-temps',
  'restore-rollback',
  'install-bundled',
  'install-from-msi',
  'reinstall',
  'clear-rollback-flag',
  'record-current',
  'wslconfig-fix-line',
] as const;
export type ToolFixId = (typeof TOOL_FIXES)[number];

export const DISM_WSL = COMMANDS.enableWsl;
export const DISM_VMP = COMMANDS.enableVmPlatform;

const ADMIN_TERMINAL = 'Open a terminal as administrator (Start, type "terminal", right-click > Run as administrator).';

/** Steps the user takes; `repair --fix` refuses these with the steps in its message. */
export const MANUAL_FIXES = {
  'manual-windows-update': {
    title: 'Install the latest Windows updates, then restart',
    steps: [
      'Open Settings > Windows Update (or run: start ms-settings:windowsupdate).',
      'Install every available update until Windows reports build 19041 or later (on x64, 18362 or 18363 with update revision 1049 or later also works).',
      'Restart Windows, then run the repair again.',
    ],
  },
  'manual-enable-wsl': {
    title: 'Enable the Windows Subsystem for Linux feature, then restart Windows',
    steps: [ADMIN_TERMINAL, `Run: ${DISM_WSL}`, 'Restart Windows, then run the repair again.'],
  },
  'manual-enable-vm-platform': {
    title: 'Enable the Virtual Machine Platform feature, then restart Windows',
    steps: [ADMIN_TERMINAL, `Run: ${DISM_VMP}`, 'Restart Windows, then run the repair again.'],
  },
  'manual-restart': {
    title: 'Restart Windows to finish the pending changes',
    steps: ['Save your work and close your programs.', `Restart Windows (Start > Power > Restart, or run: ${COMMANDS.restart}).`, 'Run the repair again.'],
  },
  'manual-run-as-admin': {
    title: 'Run WSL Kernel Setup as administrator',
    steps: ['Close WSL Kernel Setup.', 'Right-click it > Run as administrator (or run the command line from an administrator terminal).'],
  },
  'manual-free-disk-space': {
    title: 'Free some space on the system drive',
    steps: ['Run Disk Cleanup (cleanmgr.exe /d C:) or remove large files you no longer need.', 'Run the repair again.'],
  },
  'manual-reset-state': {
    title: "Set the tool's damaged state file aside",
    steps: [
      'Rename the state file named above to state.json.damaged (as administrator).',
      'Run diagnose again. The list of kernel versions you rolled back from starts empty.',
    ],
  },
} as const satisfies Record<string, { title: string; steps: string[] }>;
export type ManualFixId = keyof typeof MANUAL_FIXES;

export function isToolFix(id: string): id is ToolFixId {
  return (TOOL_FIXES as readonly string[]).includes(id);
}

export function isManualFix(id: string): id is ManualFixId {
  return Object.prototype.hasOwnProperty.call(MANUAL_FIXES, id);
}

/** Every fix id, for usage messages. */
export function allFixIds(): string[] {
  return [...TOOL_FIXES, ...Object.keys(MANUAL_FIXES)];
}

export function manualFix(id: ManualFixId, steps?: string[]): Fix {
  const m = MANUAL_FIXES[id];
  return { id, title: m.title, manual: true, steps: steps ?? [...m.steps] };
}

export function toolFix(id: ToolFixId, title: string): Fix {
  return { id, title };
}
