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
  /** msiexec's ERROR_INSTALL_SERVICE_SAFEBOOT slot, used here for "the kernel did not boot" (DESIGN §7). */
  notBooted: 1627,
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
      'Turn on "Windows Subsystem for Linux" in Windows features (ms-settings:optionalfeatures > More Windows features), or run "wslk enable-features" (or "dism.exe /online /enable-feature /featurename:Microsoft-Windows-Subsystem-Linux /all /norestart") as administrator; then restart Windows and run the installer again.',
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
      'Turn on "Virtual Machine Platform" in Windows features (ms-settings:optionalfeatures > More Windows features), or run "wslk enable-features" (or "dism.exe /online /enable-feature /featurename:VirtualMachinePlatform /all /norestart") as administrator; then restart Windows.',
    exitCode: fatal,
  },
  'not-elevated': {
    title: 'Administrator rights are needed',
    explanation: 'The kernel lives in a protected Windows folder that only an administrator can change.',
    remedy: 'Run the installer as administrator (right-click > Run as administrator, or an elevated terminal).',
    exitCode: EXIT.notElevated,
  },
  'access-denied': {
    title: 'Access to a file was denied',
    explanation: 'The system refused to read or change a file the operation needs, even though the tool has the rights it asks for.',
    remedy:
      'Check the file named in the message: its permissions, a read-only or immutable attribute (attrib -r, chattr -i), or a security product blocking it; then try again.',
    exitCode: fatal,
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
  'target-refused': {
    title: 'The file cannot be written there',
    explanation: 'The diagnostics bundle is never written into the WSL tools folder or the tool\'s state folder, over a file the tool owns, or over an existing file unless asked.',
    remedy: 'Name a new file outside those folders (for example in your Documents folder), or add --force to replace a file of your own.',
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
    explanation:
      'The file is not a valid Windows Installer package or cabinet (.msi or .cab), or it is damaged, or it does not contain a kernel.',
    remedy:
      'Download the package again (wsl_update_x64.msi, the Update Catalog .cab, or wsl.<version>.x64.msi from the WSL releases), or install the bundled kernel instead.',
    exitCode: fatal,
  },
  'unsupported-compression': {
    title: 'This installer package uses a compression this tool cannot read',
    explanation: 'Its cabinet is compressed with Quantum; only uncompressed, MSZIP and LZX cabinets are read here.',
    remedy:
      'On Windows, extract it with: msiexec /a "wsl_update_x64.msi" /qb TARGETDIR="C:\\temp", then install C:\\temp\\System32\\lxss\\tools\\kernel with --payload.',
    exitCode: fatal,
  },
  'invalid-modules-vhd': {
    title: 'The kernel modules disk is damaged',
    explanation: 'The modules.vhd that comes with this kernel is not a well-formed VHD or VHDX disk.',
    remedy: 'Download the package again; a payload folder needs the modules.vhd that was built with its kernel.',
    exitCode: fatal,
  },
  'fix-not-applicable': {
    title: 'This fix does not apply now',
    explanation: 'The diagnosis does not report a problem that this fix solves, so nothing was changed.',
    remedy: 'Run diagnose to see the problems found and the fixes that apply to them.',
    exitCode: fatal,
  },
  'wslconfig-unreadable': {
    title: 'The .wslconfig file cannot be read safely',
    explanation:
      'It is not a regular file, it is larger than 1 MiB, or its bytes are not valid UTF-8 / UTF-16LE text, so the tool will not read or change it.',
    remedy: 'Open the file named in the message in Notepad, save it as UTF-8, and keep it small; then try again.',
    exitCode: fatal,
  },
  'wslconfig-unsafe-edit': {
    title: 'The .wslconfig file was not changed',
    explanation:
      'Changing kernel= or kernelModules= there would also change how WSL reads another line, or WSL would not read the path back as written.',
    remedy: 'Fix the line named in the message (run diagnose to see how WSL reads the file), or remove the two keys by hand, then try again.',
    exitCode: fatal,
  },
  'user-not-found': {
    title: 'No such user on this computer',
    explanation: 'The user named has no profile registered in ProfileList, so the tool does not know where their .wslconfig is.',
    remedy: 'Check the name (as in C:\\Users\\NAME), or use --all-users to work on every profile.',
    exitCode: EXIT.usage,
  },
  'wslconfig-foreign-kernel': {
    title: 'WSL is set to boot another kernel',
    explanation: "The user's .wslconfig already names a kernel this tool did not put there, so the tool leaves it alone.",
    remedy: 'To replace it with the kernel this tool manages, run again with --take-over (the current line is recorded and use-default puts it back).',
    exitCode: fatal,
  },
  'older-than-wsl-default': {
    title: "This kernel is older than WSL's own",
    explanation: 'Store WSL already comes with a newer kernel than the one to install.',
    remedy: 'Install a newer kernel, or confirm with --allow-older if you really want the older one.',
    exitCode: EXIT.downgrade,
  },
  'feed-not-configured': {
    title: 'No update feed is set',
    explanation: 'The tool does not know where to look for kernel updates.',
    remedy: 'Give a feed with --feed URL or folder (update-config --feed), or ask your administrator to set the FeedUrl policy.',
    exitCode: fatal,
  },
  'feed-unreachable': {
    title: 'The update feed could not be reached',
    explanation: 'There is no network connection to the feed, it did not answer in time, or the address is wrong.',
    remedy: 'Check the network connection (and HTTPS_PROXY if you use a proxy) and the feed address, then try again.',
    exitCode: fatal,
  },
  'feed-signature-invalid': {
    title: "The feed's signature is not valid",
    explanation: 'The update information was not signed by the keys this computer trusts, so nothing from it is used.',
    remedy: 'Do not install from this feed. Tell whoever runs the feed: it may have been tampered with, or its keys changed without a signed rotation.',
    exitCode: fatal,
  },
  'feed-metadata-expired': {
    title: "The feed's information has expired",
    explanation: 'The signed update information is past its expiry date, so it may be stale or held back by a mirror.',
    remedy: 'Try again later; if it persists, tell whoever runs the feed to re-sign it (npm run feed -- sign).',
    exitCode: fatal,
  },
  'feed-rollback-refused': {
    title: 'The feed offered older information than before',
    explanation: 'The feed sent update information older than what this computer has already seen: a stale mirror or an attempt to push an old kernel.',
    remedy: 'Nothing was installed. Try another mirror or try again later; tell whoever runs the feed if it persists.',
    exitCode: fatal,
  },
  'feed-target-invalid': {
    title: 'The downloaded kernel does not match what the feed signed',
    explanation: 'Its length or checksum differs from the signed information, so it was discarded before anything was installed.',
    remedy: 'Try again; if it happens again the feed or a mirror serves a damaged or tampered file: tell whoever runs it.',
    exitCode: fatal,
  },
  'feed-target-not-found': {
    title: 'The feed has no such kernel',
    explanation: 'The version asked for is not in the feed for this architecture, or its file is missing on the server.',
    remedy: 'Run check-update to see what the feed offers, and choose one of those versions.',
    exitCode: fatal,
  },
  'feed-invalid': {
    title: 'The update feed cannot be read',
    explanation: 'The feed answered, but its update information is malformed.',
    remedy: 'Check the feed address; tell whoever runs the feed.',
    exitCode: fatal,
  },
  'kernel-failed-to-boot': {
    title: 'The new kernel did not boot',
    explanation: 'WSL was restarted with the kernel just installed, and it did not start: the error WSL printed is in the message.',
    remedy:
      'Roll back to the previous kernel (rollback --shutdown-wsl, or "Roll back" in the app); with --auto-rollback the installer does it for you. If the previous kernel does not boot either, run repair.',
    exitCode: EXIT.notBooted,
  },
  'managed-by-policy': {
    title: 'This setting is managed by your organization',
    explanation: 'A machine policy (HKLM\\SOFTWARE\\Policies\\WslKernelSetup) sets it, and a policy wins over your setting.',
    remedy: 'Ask your administrator to change the policy.',
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
