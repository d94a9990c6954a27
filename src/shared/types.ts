/** Data shapes shared by the engine, the CLI and the renderer (the §7 JSON contract). */
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

/** One planned change, shown before it is made: a plain sentence, technical facts apart. */
export interface PlanStep {
  id: string;
  title: string;
  /** What the change does to the user's kernels: a new one, one kept, one thrown away, a setting. */
  effect?: 'add' | 'keep' | 'remove' | 'setting';
  /** File names, registry paths and hashes, for the Details disclosure. */
  detail?: string;
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
  /** Whether WSL can start, after the command. */
  health?: Health;
  /** plan: install, update, reinstall, up to date or downgrade. */
  change?: PlanChange;
  /** diagnose --bundle: where the bundle was written. */
  bundle?: string;
  history?: HistoryEntry[];
}
