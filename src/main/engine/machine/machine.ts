/**
 * The Machine: everything the engine knows about the computer it works on, as five small ports
 * (files, registry, WSL control, process facts, own state). The real Windows machine and the
 * sandbox folder both implement it.
 */
import type { Arch } from '../../../shared/types';
import type { Fs } from './fs-port';

/** A registry value as the engine sees it. */
export type RegValue =
  | { type: 'REG_SZ'; data: string }
  | { type: 'REG_EXPAND_SZ'; data: string }
  | { type: 'REG_MULTI_SZ'; data: string[] }
  | { type: 'REG_DWORD'; data: number }
  | { type: 'REG_QWORD'; data: bigint }
  | { type: 'REG_BINARY'; data: Uint8Array }
  /** Any other hex(n) type, kept byte for byte. */
  | { type: 'REG_RAW'; kind: number; data: Uint8Array };

/** HKEY_LOCAL_MACHINE only; keys are given without the hive, e.g. `SOFTWARE\Microsoft\...`. */
export interface Registry {
  keyExists(key: string): Promise<boolean>;
  getValue(key: string, name: string): Promise<RegValue | null>;
  /** Creates the key when needed. */
  setValue(key: string, name: string, value: RegValue): Promise<void>;
  /** No-op when the value does not exist. */
  deleteValue(key: string, name: string): Promise<void>;
  /** Names of the key's immediate subkeys ([] when it has none or does not exist). */
  subkeys(key: string): Promise<string[]>;
}

/** What a program run inside a distribution gave back (`wsl.exe -d NAME --exec …`, docs/design.md §10). */
export interface WslExecResult {
  /** The program's exit code; WSL's own failures (the VM did not start) are non-zero; null: no exit code (not found, timed out). */
  exitCode: number | null;
  stdout: string;
  /** What wsl.exe printed about a failure, decoded (localized prose around a code that is not translated). */
  stderr: string;
}

export interface WslControl {
  /** Names of the running distributions. */
  listRunning(): Promise<string[]>;
  /** `wsl --shutdown`: stops every WSL 1 and WSL 2 instance. */
  shutdown(): Promise<void>;
  /** Names of the installed distributions, the default one first (`wsl.exe --list --quiet`). */
  listDistributions(): Promise<string[]>;
  /** Start WSL when it is not running and run one program in a distribution (`wsl.exe -d NAME --exec …`). */
  exec(distro: string, argv: readonly string[]): Promise<WslExecResult>;
}

export interface ProcessFacts {
  isElevated(): Promise<boolean>;
  /** Free bytes on the volume holding `dir`. */
  freeBytes(dir: string): Promise<number>;
  /** The native processor architecture, when the platform can say it better than the registry. */
  nativeArch(): Promise<Arch | null>;
  /** The user signed in at the console (whose `.wslconfig` counts by default), or null (e.g. running as SYSTEM). */
  interactiveUser?(): Promise<string | null>;
}

/** A daily task that runs the tool (automatic updates, docs/design.md §12). */
export interface ScheduledTaskInfo {
  name: string;
  command: string;
  arguments: string;
}

/** The Task Scheduler: schtasks.exe on Windows, machine.json's "scheduledTask" in a sandbox. */
export interface ScheduledTasks {
  query(name: string): Promise<ScheduledTaskInfo | null>;
  /** Create or replace the task from its Task Scheduler XML. */
  create(task: ScheduledTaskInfo, xml: string): Promise<void>;
  /** No-op when it does not exist. */
  remove(name: string): Promise<void>;
}

/** The optional Windows features WSL 2 needs (docs/design.md §3.2). */
export type WindowsFeature = 'wsl' | 'vm-platform';

/** Turning on optional Windows features: dism.exe on Windows, the registry of a sandbox. */
export interface WindowsFeatures {
  /** Turn the feature on; Windows finishes it at the next restart. */
  enable(feature: WindowsFeature): Promise<void>;
}

export interface Machine {
  kind: 'windows' | 'sandbox';
  /** Human description: "this Windows machine" or the sandbox folder. */
  label: string;
  /** The sandbox folder, for a sandbox. */
  root: string | null;
  /** `%SystemRoot%\System32\lxss\tools` or `<dir>/Windows/System32/lxss/tools`. */
  toolsDir: string;
  /** `%ProgramData%\WslKernelSetup` or `<dir>/ProgramData/WslKernelSetup`. */
  stateDir: string;
  fs: Fs;
  registry: Registry;
  wsl: WslControl;
  facts: ProcessFacts;
  /** Set on the view of the store-WSL slots (docs/design.md §11): slot operations run as on inbox WSL. */
  view?: 'store-slots';
  /** Scheduled tasks, where the machine has them. */
  tasks?: ScheduledTasks;
  /** Optional Windows features, where the machine can turn them on. */
  features?: WindowsFeatures;
}

export const REG = {
  currentVersion: 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
  environment: 'SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment',
  sessionManager: 'SYSTEM\\CurrentControlSet\\Control\\Session Manager',
  lxssManager: 'SYSTEM\\CurrentControlSet\\Services\\LxssManager',
  vmcompute: 'SYSTEM\\CurrentControlSet\\Services\\vmcompute',
  hns: 'SYSTEM\\CurrentControlSet\\Services\\HNS',
  cbsRebootPending: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending',
  wuRebootRequired: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired',
  lxss: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss',
  rollbackValue: 'RollbackKernel',
  /** Store WSL's MSI writes InstallLocation, Version, ProductCode here (DESIGN §8.1). */
  lxssMsi: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss\\MSI',
  /** AllowKernelUserSetting = 0 makes WSL ignore .wslconfig kernel= and kernelModules= (DESIGN §8.2). */
  wslPolicies: 'SOFTWARE\\Policies\\WSL',
  profileList: 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList',
  detection: 'SOFTWARE\\WslKernelSetup',
  detectionValue: 'KernelVersion',
} as const;
