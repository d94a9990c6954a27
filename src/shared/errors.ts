/** Every error code the product reports, with its human text and exit code. */

export const EXIT = {
  success: 0,
  notElevated: 5,
  cancelled: 1602,
  fatal: 1603,
  inProgress: 1618,
  wrongArchitecture: 1633,
  downgrade: 1638,
  usage: 1639,
} as const;

export interface ErrorInfo {
  /** Short title shown in bold. */
  title: string;
  /** What happened, in plain words. */
  explanation: string;
  /** What the user can do about it. */
  remedy: string;
  /** The msiexec-style exit code the CLI ends with. */
  exitCode: number;
}

const fatal = EXIT.fatal;

export const ERRORS = {
  'wsl-unsupported-build': {
    title: 'This version of Windows does not support WSL 2',
    explanation:
      'WSL 2 needs Windows 10 version 1903 or 1909 (build 18362 or 18363 with update revision 1049 or later), or build 19041 or later; ARM64 needs build 19041 or later.',
    remedy: 'Open Windows Update (ms-settings:windowsupdate), install every update, restart, then run the installer again.',
    exitCode: fatal,
  },
  'wsl-not-enabled': {
    title: 'Windows Subsystem for Linux is not enabled',
    explanation: 'The WSL optional feature is not turned on, so there is nothing for the kernel to serve.',
    remedy:
      'Turn on "Windows Subsystem for Linux" in Windows features (ms-settings:optionalfeatures > More Windows features), or run "dism.exe /online /enable-feature /featurename:Microsoft-Windows-Subsystem-Linux /all /norestart" as administrator; then restart Windows and run the installer again.',
    exitCode: fatal,
  },
  'reboot-required': {
    title: 'Windows must restart first',
    explanation: 'A restart is pending (for example after enabling WSL), and the feature is not active until Windows restarts.',
    remedy: 'Save your work, restart Windows (or run "shutdown.exe /r /t 0"), then run the installer again.',
    exitCode: fatal,
  },
  'vm-platform-missing': {
    title: 'Virtual Machine Platform is not enabled',
    explanation: 'WSL 2 runs its kernel in a lightweight virtual machine, which needs the Virtual Machine Platform feature.',
    remedy:
      'Turn on "Virtual Machine Platform" in Windows features (ms-settings:optionalfeatures > More Windows features), or run "dism.exe /online /enable-feature /featurename:VirtualMachinePlatform /all /norestart" as administrator; then restart Windows.',
    exitCode: fatal,
  },
  'not-elevated': {
    title: 'Administrator rights are needed',
    explanation: 'The kernel lives in a protected Windows folder that only an administrator can change.',
    remedy: 'Run the installer as administrator (right-click > Run as administrator, or an elevated terminal).',
    exitCode: EXIT.notElevated,
  },
  'not-a-kernel': {
    title: 'This file is not a Linux kernel',
    explanation: 'The file has neither an x64 bzImage header nor an ARM64 Image header.',
    remedy: 'Choose the kernel file itself (for example "kernel" from the WSL kernel package), not an archive or installer.',
    exitCode: fatal,
  },
  'wrong-architecture': {
    title: 'This kernel is for another processor architecture',
    explanation: "The kernel's architecture does not match this computer's processor.",
    remedy: 'Use the kernel built for this computer (x64 for Intel/AMD, arm64 for ARM processors).',
    exitCode: EXIT.wrongArchitecture,
  },
  'checksum-mismatch': {
    title: 'The kernel file is damaged or not the one expected',
    explanation: "The file's contents do not match the checksum, version or architecture its manifest promises.",
    remedy: 'Download or copy the kernel package again and retry; do not edit its files.',
    exitCode: fatal,
  },
  'version-marked-bad': {
    title: 'This kernel version was rolled back before',
    explanation: 'You rolled back from this version, so it is marked bad and is not installed again.',
    remedy: 'Install a newer kernel, or force the installation (--force) if you are sure the problem is fixed.',
    exitCode: fatal,
  },
  'downgrade-refused': {
    title: 'This kernel is older than the installed one',
    explanation: 'Installing it would downgrade the kernel WSL uses.',
    remedy: 'Use Rollback to go back to the previous kernel, or allow the downgrade (--allow-downgrade) if you mean it.',
    exitCode: EXIT.downgrade,
  },
  'no-rollback-kernel': {
    title: 'There is no previous kernel to roll back to',
    explanation: 'kernel.rollback is missing or is not a valid kernel.',
    remedy: 'Install an update first: the installer keeps the current kernel as kernel.rollback.',
    exitCode: fatal,
  },
  'already-rolled-back': {
    title: 'The kernel is already rolled back',
    explanation: 'WSL already boots kernel.rollback.',
    remedy: 'Install a newer kernel, or undo the rollback under Settings > Advanced (undo-rollback).',
    exitCode: fatal,
  },
  'not-rolled-back': {
    title: 'No rollback is active',
    explanation: 'WSL boots the current kernel; there is no rollback to undo.',
    remedy: 'Nothing to do.',
    exitCode: fatal,
  },
  'kernel-missing': {
    title: 'The kernel file is missing or damaged',
    explanation: 'There is no valid kernel file, so WSL 2 cannot start ("WSL 2 requires an update to its kernel component").',
    remedy: 'Run the repair (repair), which restores kernel.rollback or installs the bundled kernel.',
    exitCode: fatal,
  },
  'operation-in-progress': {
    title: 'Another kernel operation is running',
    explanation: 'Only one install, rollback or repair can run at a time.',
    remedy: 'Wait for the other operation to finish, then try again.',
    exitCode: EXIT.inProgress,
  },
  'insufficient-disk-space': {
    title: 'Not enough free disk space',
    explanation: 'The new kernel is copied next to the old one before it replaces it, which needs free space on the system drive.',
    remedy: 'Free some disk space on the system drive (Storage settings, ms-settings:storagesense, or Disk Cleanup), then try again.',
    exitCode: fatal,
  },
  'file-locked': {
    title: 'The kernel file is in use',
    explanation: 'Another program (WSL itself, or antivirus scanning the file) holds the kernel file open.',
    remedy: 'Shut WSL down (wsl --shutdown, or use --shutdown-wsl), wait a moment, then try again.',
    exitCode: fatal,
  },
  'invalid-machine': {
    title: 'The machine description cannot be read',
    explanation: 'A registry or machine file is malformed; nothing was changed.',
    remedy: 'Fix or recreate the file named in the message (for a sandbox: sandbox init DIR --preset NAME).',
    exitCode: fatal,
  },
  'io-error': {
    title: 'A file could not be read or written',
    explanation: 'The operating system reported an input/output error; nothing was changed.',
    remedy: 'Check the disk and the file permissions, then try again. If it persists, run diagnose and attach the bundle to a support ticket.',
    exitCode: fatal,
  },
  usage: {
    title: 'The command line is not valid',
    explanation: 'An unknown command or option was given, or a required value is missing.',
    remedy: 'Run with --help to see the commands and options.',
    exitCode: EXIT.usage,
  },
  cancelled: {
    title: 'Cancelled',
    explanation: 'The operation was cancelled before anything was changed.',
    remedy: 'Start it again when you are ready.',
    exitCode: EXIT.cancelled,
  },
  'invalid-msi': {
    title: 'This installer package cannot be read',
    explanation: 'The file is not a valid Windows Installer package, or it is damaged, or it does not contain a kernel.',
    remedy: 'Download wsl_update_x64.msi (or wsl_update_arm64.msi) again, or install the bundled kernel instead.',
    exitCode: fatal,
  },
  'unsupported-compression': {
    title: 'This installer package uses a compression this tool cannot read',
    explanation: 'Its cabinet is compressed with LZX or Quantum; only MSZIP and uncompressed cabinets are read here.',
    remedy:
      'On Windows, extract it with: msiexec /a "wsl_update_x64.msi" /qb TARGETDIR="C:\\temp", then install C:\\temp\\System32\\lxss\\tools\\kernel with --payload.',
    exitCode: fatal,
  },
  'fix-not-applicable': {
    title: 'This fix does not apply now',
    explanation: 'The diagnosis does not report a problem that this fix solves, so nothing was changed.',
    remedy: 'Run diagnose to see the problems found and the fixes that apply to them.',
    exitCode: fatal,
  },
} as const satisfies Record<string, ErrorInfo>;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, value);
}

/** An expected failure the user can act on: carries a code from ERRORS and optional details. */
export class KernelSetupError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, details: Record<string, unknown> = {}) {
    super(message ?? ERRORS[code].explanation);
    this.name = 'KernelSetupError';
    this.code = code;
    this.details = details;
  }

  get info(): ErrorInfo {
    return ERRORS[this.code];
  }
}

export function exitCodeFor(code: ErrorCode | null): number {
  return code === null ? EXIT.success : ERRORS[code].exitCode;
}
