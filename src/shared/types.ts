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
    }
  | { present: false };

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

/** One planned change, shown before it is made. */
export interface PlanStep {
  id: string;
  title: string;
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
  /** diagnose --bundle: where the bundle was written. */
  bundle?: string;
  history?: HistoryEntry[];
}
