/** Data shapes shared by the engine, the CLI and the renderer (the docs/design.md §7 JSON contract). */
import type { ErrorCode } from './errors';

export type Arch = 'x64' | 'arm64';

export type SlotName = 'kernel' | 'kernel.rollback';

/** Facts about one kernel slot, read from the file itself. */
export type SlotStatus =
  | {
      present: true;
      /** False when the file exists but is not a usable kernel (truncated, not a kernel). */
      valid: boolean;
      version: string | null;
      release: string | null;
      arch: Arch | null;
      sha256: string;
      size: number;
      /** Why the file is not valid, when it is not. */
      problem?: ErrorCode;
      /** What the boot check last saw of this kernel (by sha256), when it ran with it. */
      bootFact?: BootFact;
    }
  | { present: false };

/** The boot check's verdict (docs/design.md §10). */
export type BootOutcome = 'booted' | 'not-restarted' | 'boot-failed' | 'other-kernel' | 'no-distribution';

/** Start WSL, read `uname -r`, compare it with the kernel WSL should boot. */
export interface BootCheck {
  outcome: BootOutcome;
  /** One plain sentence. */
  message: string;
  /** When the check ran (ISO 8601). */
  at: string;
  /** The distribution started to read the release, or null. */
  distribution: string | null;
  /** The release WSL runs (`uname -r`), when it started. */
  running: string | null;
  /** The kernel WSL should boot: the slot the tool manages that boots (slot set), else WSL's own choice. */
  expected: { release: string | null; version: string | null; sha256: string | null; slot: SlotName | null } | null;
  /** boot-failed: what WSL printed, its error code (not translated) and wsl.exe's exit code. */
  error: { code: string | null; message: string; exitCode: number | null } | null;
  /** What to do next by hand (restart WSL, install a distribution, check by hand). */
  steps?: string[];
}

/** A kernel's boot history in the tool's state: "known good: booted on <date>" or "failed to boot". */
export interface BootFact {
  /** The latest result. */
  result: 'booted' | 'failed';
  at: string;
  /** The last time it booted (a kernel that booted once is known good). */
  bootedAt?: string;
  failedAt?: string;
  /** WSL's error from the last failure. */
  error?: { code: string | null; message: string };
}

export interface MachineStatus {
  kernel: SlotStatus;
  rollbackKernel: SlotStatus;
  rollbackActive: boolean;
  effective: SlotName | null;
  /** Versions of the kernels rolled back from (the §7 contract). */
  badVersions: string[];
  /** The kernels rolled back from, by full release: what install and repair decide by. */
  badReleases: string[];
  wsl: { running: string[] };
  /** The version automatic updates do not move past (hold), when one is set. */
  updateHold?: string | null;
  /** Which WSL this machine runs (DESIGN §8.1). */
  flavour?: WslFlavour;
  /** Store WSL's version (`Lxss\MSI` `Version`), or null. */
  wslVersion?: string | null;
  /** Store WSL's install folder (`Lxss\MSI` `InstallLocation`), or null. */
  wslInstallLocation?: string | null;
  /** The kernel WSL boots when no `.wslconfig` names one. */
  defaultKernel?: DefaultKernel | null;
  /** The kernel WSL will boot for the user, and why. */
  boot?: BootKernel | null;
  /** Store WSL: the tool's own two slots and the boot path `.wslconfig` names (null on inbox WSL). */
  storeSlots?: StoreSlots | null;
}

export interface StoreSlots {
  kernel: SlotStatus;
  rollbackKernel: SlotStatus;
  rollbackActive: boolean;
  /** Windows path of the one file the tool points `.wslconfig` at. */
  bootPath: string;
  /** Users whose `.wslconfig` boots the tool's path. */
  users: string[];
  /** Kernels rolled back from on the store slots (full releases): not installed again unless forced. */
  badReleases: string[];
  /** sha256 of the modules disk kept with each slot's kernel, or null (it boots without one). */
  modules: { kernel: string | null; rollbackKernel: string | null };
  /** Windows path of the modules boot path, when it exists (`kernelModules=` names it). */
  modulesBootPath: string | null;
}

export type WslFlavour = 'inbox' | 'store' | 'none';

export interface DefaultKernel {
  /** Windows path of the kernel file. */
  path: string;
  kernel: SlotStatus;
  /** Windows path of the modules VHD WSL attaches with it (store WSL), or null. */
  modulesPath: string | null;
  modulesPresent: boolean;
}

/** How WSL reads the user's `.wslconfig` for the kernel (DESIGN §8.2, §8.3). */
export interface WslConfigFacts {
  path: string;
  exists: boolean;
  /** What WSL reads for `[wsl2] kernel=` / `kernelModules=` ('' or null: not set). */
  kernel: string | null;
  kernelModules: string | null;
  /** Why WSL ignores both keys, when it does. */
  ignoredBy: 'policy' | 'safe-mode' | null;
  /** WSL's warning when it drops the file's `kernel=` line (an invalid escape, an unclosed quote), or null. */
  kernelLineDropped?: string | null;
  /** The raw text after `kernel=` on the line WSL reads or drops, as written. */
  kernelRaw?: string | null;
  /** WSL's own warnings for this file, as `wsl.exe` prints them. */
  warnings: string[];
  /** A problem that keeps the tool from reading the file (too large, not a file …). */
  unreadable?: string;
}

export interface BootKernel {
  /** The user whose `.wslconfig` counts, or null (none known, e.g. running as SYSTEM). */
  user: string | null;
  wslconfig: WslConfigFacts | null;
  /** Where the kernel comes from. */
  source: 'wslconfig' | 'default' | 'rollback' | 'none';
  /** Windows path of the kernel WSL boots, or null. */
  path: string | null;
  /** One sentence: which kernel boots and why. */
  reason: string;
  kernel: SlotStatus;
  /** Windows path of the modules VHD attached, or null. */
  modulesPath: string | null;
  /** Set when WSL will fail to start the VM instead (WSL's code and message). */
  error: { code: string; message: string } | null;
  /** True when the tool's own boot slot is what boots (store WSL). */
  toolOwned?: boolean;
}

export type CheckId =
  | 'windows-build'
  | 'wsl-feature'
  | 'reboot'
  | 'vm-platform'
  | 'elevated'
  | 'architecture'
  | 'disk-space'
  | 'payload';

export interface Check {
  id: CheckId;
  status: 'pass' | 'fail' | 'warn';
  message: string;
  remedy: string;
  /** The error code a failing check maps to. */
  code?: ErrorCode;
}

export interface Fix {
  id: string;
  title: string;
  /** A step the user takes (enable a feature, restart); `repair --fix` does not apply it. */
  manual?: boolean;
  /** The exact steps of a manual fix, in order. */
  steps?: string[];
}

export interface Finding {
  id: string;
  severity: 'error' | 'warning' | 'info';
  observed: string;
  cause: string;
  fixes: Fix[];
}

/** What a payload holds, read from its header and hash. */
export interface PayloadInfo {
  path: string;
  version: string;
  release: string;
  arch: Arch;
  sha256: string;
  size: number;
  /** True for the generated development kernel (sandbox only). */
  demo: boolean;
  /** The package the kernel was read out of (an MSI or a cabinet); absent for a kernel file or folder. */
  source?: PayloadSource;
  /** The modules disk that comes with the kernel (a WSL 2.x MSI's tools\\modules.vhd, or a folder's modules.vhd). */
  modules?: ModulesInfo;
}

export interface PayloadSource {
  kind: 'msi' | 'cab';
  /** The file that was given. */
  path: string;
  /** The legacy kernel MSI, a WSL 2.x MSI, or a kernel directly in a cabinet. */
  package: 'kernel-msi' | 'wsl-msi' | 'kernel-in-cab';
  /** A WSL 2.x MSI's ProductVersion: the WSL release this kernel shipped with. */
  wslVersion?: string;
  /** For a cabinet: the entry that held the MSI or the kernel. */
  entry?: string;
}

export interface ModulesInfo {
  path: string;
  size: number;
  sha256: string;
  format: 'vhd' | 'vhdx';
}

/** One planned change, shown before it is made: a plain sentence, technical facts apart. */
export interface PlanStep {
  id: string;
  title: string;
  /** What the change does to the user's kernels: a new one, one kept, one thrown away, a setting. */
  effect?: 'add' | 'keep' | 'remove' | 'setting';
  /** File names, registry paths and hashes, for the Details disclosure. */
  detail?: string;
  /** A text file of the user's that the step changes (`.wslconfig`), as a before/after diff. */
  diff?: PlanDiff;
}

/** The changed lines of one text file with a line of context around them; `gap` stands for unchanged lines left out. */
export interface PlanDiff {
  /** The file, as Windows names it. */
  file: string;
  /** The file does not exist yet: the change creates it. */
  created: boolean;
  lines: { kind: 'context' | 'removed' | 'added' | 'gap'; text: string }[];
}

/** What an install means on this machine, for the wizard's first screen. */
export interface PlanChange {
  kind: 'install' | 'update' | 'reinstall' | 'up-to-date' | 'downgrade';
  /** The version WSL uses now (null when none). */
  from: string | null;
  to: string;
}

/**
 * Whether WSL can start with the kernel files as they are, in one plain sentence, and where the
 * fix is. Computed by the engine (engine/state/health.ts); every screen shows it the same way.
 */
export interface Health {
  /** ok; no-kernel: nothing installed yet (Install fixes it); broken: Repair; blocked: Windows is not ready. */
  state: 'ok' | 'no-kernel' | 'broken' | 'blocked';
  code: ErrorCode | null;
  /** The repair finding that explains it, when there is one. */
  finding: string | null;
  message: string;
  action: 'install' | 'repair' | null;
}

/** Progress of a long step: bytes done out of total. */
export interface Progress {
  step: string;
  title: string;
  done: number;
  total: number;
}

export interface HistoryEntry {
  id: string;
  op: string;
  at: string;
  ok: boolean;
  code: ErrorCode | null;
  message: string;
  kernel?: string | null;
  rollbackKernel?: string | null;
  rollbackActive?: boolean;
  recovered?: boolean;
  /** verify: the boot check's outcome. */
  boot?: BootOutcome;
}

export interface CommandResult {
  ok: boolean;
  code: ErrorCode | null;
  message: string;
  exitCode: number;
  status: MachineStatus | null;
  checks?: Check[];
  findings?: Finding[];
  applied?: string[];
  shutdown?: { stopped: string[] } | null;
  /**
   * The WSL restart asked for with the command (--shutdown-wsl), after the change succeeded. A
   * restart that fails leaves the change done (`ok` stays true, exit code 0): it is reported here,
   * and the restart can be tried again.
   */
  restart?: { ok: boolean; message: string } | null;
  plan?: PlanStep[];
  payload?: PayloadInfo;
  remedy?: string;
  recovery?: string[];
  /** After a change: WSL keeps the old kernel until it restarts. */
  restartNeeded?: boolean;
  running?: string[];
  hint?: string;
  /** install plan kind (see the engine's planInstall). */
  kind?: string;
  /** Whether WSL can start, after the command. */
  health?: Health;
  /** plan: install, update, reinstall, up to date or downgrade. */
  change?: PlanChange;
  /** diagnose --bundle: where the bundle was written. */
  bundle?: string;
  history?: HistoryEntry[];
  /** Things the user should know that did not stop the command (e.g. `.wslconfig` overrides System32). */
  warnings?: { id: string; message: string }[];
  /** check-update / update: what the feed offers and why. */
  update?: UpdateCheck;
  /** verify, and every command that restarted WSL: did WSL start the kernel it should boot (docs/design.md §10). */
  boot?: BootCheck | null;
  /** --auto-rollback after a kernel that did not boot: the rollback, and the boot check of the kernel rolled back to. */
  fallback?: { rolledBack: boolean; to: string | null; message: string; boot: BootCheck | null } | null;
  /** diagnose --error: what the pasted error means on this machine (docs/design.md §13). */
  pastedError?: PastedErrorReport;
}

/** What an error message the user pasted means, on this machine (docs/design.md §13). */
export interface PastedErrorReport {
  /** Whether the text holds an error this tool knows. */
  recognised: boolean;
  /** The catalog row (`custom-kernel-not-found`, `virtualization-off` …), or null. */
  kind: string | null;
  /** The code that decided, as normalised (`0x800701bc`, `WSL_E_CUSTOM_KERNEL_NOT_FOUND`), or null when only prose matched. */
  code: string | null;
  /** Every code found in the text, in order. */
  codes: string[];
  /** WSL's error path (`Wsl/Service/CreateInstance/CreateVm/…`) when the text has one. */
  errorPath: string | null;
  /** How it was recognised: by a code, by the English prose (fallback), or by a `.wslconfig:<line>` reference. */
  by: 'code' | 'prose' | 'wslconfig-line' | null;
  /** What the error means, in general. */
  meaning: string;
  /** Whether the error is about the kernel (null when not recognised). */
  aboutKernel: boolean | null;
  /** What this machine shows about it. */
  onThisMachine: string;
  /** The one next step that fits this machine. */
  nextStep: string;
  /** Ids of the entries of `findings` this error leads to, most relevant first. */
  findings: string[];
}

/** Which update settings a machine policy sets (the UI shows them as managed). */
export interface UpdateManaged {
  feedUrl: boolean;
  channel: boolean;
  autoUpdate: boolean;
  hold: boolean;
}

export interface FeedKernel {
  version: string;
  release: string;
  arch: Arch;
  channel: 'stable' | 'preview';
  size: number;
  notes?: string;
}

/** The answer of check-update (docs/design.md §12). */
export interface UpdateCheck {
  feed: string | null;
  channel: 'stable' | 'preview';
  autoUpdate: boolean;
  hold: string | null;
  managed: UpdateManaged;
  installed: string | null;
  /** The kernel to install, or null with a reason. */
  offer: FeedKernel | null;
  reason: 'nothing-newer' | 'held' | 'auto-update-off' | 'reboot-pending' | null;
  /** Newer kernels passed over, and why. */
  skipped: { version: string; why: 'marked-bad' | 'held' }[];
  checkedAt: string | null;
  scheduledTask?: { registered: boolean; command?: string } | null;
}
