/**
 * The one-click next step for each failure, shared by the GUI (a button) and the CLI (the same
 * words in the remedy text): a Windows Settings page to open, a command to copy, or an action of
 * the app itself. Settings pages are opened by main from this allow-list only.
 */
import type { ErrorCode } from './errors';

/** The Windows Settings pages the app may open (Electron shell.openExternal, allow-listed by id). */
export const SETTINGS_PAGES = {
  'windows-update': 'ms-settings:windowsupdate',
  'optional-features': 'ms-settings:optionalfeatures',
  storage: 'ms-settings:storagesense',
} as const;
export type SettingsPage = keyof typeof SETTINGS_PAGES;

export const COMMANDS = {
  enableWsl: 'dism.exe /online /enable-feature /featurename:Microsoft-Windows-Subsystem-Linux /all /norestart',
  enableVmPlatform: 'dism.exe /online /enable-feature /featurename:VirtualMachinePlatform /all /norestart',
  restart: 'shutdown.exe /r /t 0',
} as const;

export type RemedyAction =
  | { kind: 'settings'; page: SettingsPage; label: string; command?: string }
  | { kind: 'restart-windows'; label: string; command: string }
  | { kind: 'relaunch-elevated'; label: string }
  /** Turn the missing features on (dism.exe, through the engine), after a confirmation. */
  | { kind: 'enable-features'; label: string; command: string }
  | { kind: 'choose-kernel'; label: string };

/** The primary action for each failure the pre-checks and the repair report. */
export const REMEDY_ACTIONS: Partial<Record<ErrorCode, RemedyAction>> = {
  'wsl-unsupported-build': { kind: 'settings', page: 'windows-update', label: 'Open Windows Update' },
  'wsl-not-enabled': { kind: 'enable-features', label: 'Turn on WSL…', command: COMMANDS.enableWsl },
  'vm-platform-missing': { kind: 'enable-features', label: 'Turn on Virtual Machine Platform…', command: COMMANDS.enableVmPlatform },
  'reboot-required': { kind: 'restart-windows', label: 'Restart Windows…', command: COMMANDS.restart },
  'not-elevated': { kind: 'relaunch-elevated', label: 'Restart as administrator' },
  'insufficient-disk-space': { kind: 'settings', page: 'storage', label: 'Open Storage settings' },
  'not-a-kernel': { kind: 'choose-kernel', label: 'Choose another kernel file…' },
  'wrong-architecture': { kind: 'choose-kernel', label: 'Choose another kernel file…' },
  'checksum-mismatch': { kind: 'choose-kernel', label: 'Choose another kernel file…' },
};

/** The manual repair steps that one of the actions above carries out or opens. */
export const MANUAL_FIX_CODES: Record<string, ErrorCode> = {
  'manual-windows-update': 'wsl-unsupported-build',
  'manual-enable-wsl': 'wsl-not-enabled',
  'manual-enable-vm-platform': 'vm-platform-missing',
  'manual-restart': 'reboot-required',
  'manual-run-as-admin': 'not-elevated',
  'manual-free-disk-space': 'insufficient-disk-space',
};
