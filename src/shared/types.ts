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
  badVersions: string[];
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
  /** diagnose --bundle: where the bundle was written. */
  bundle?: string;
  history?: HistoryEntry[];
}
