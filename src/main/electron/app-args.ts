/**
 * The app's command line: which screen to open (`--settings`, `--repair`, else the install
 * wizard) and an optional sandbox folder (`--machine DIR`). Electron-free.
 *
 * Electron's argv also carries its own switches (and in development the app path), so unknown
 * arguments are ignored rather than refused.
 */
import type { EntryScreen } from '../../shared/ipc';

export interface AppArgs {
  /** The screen asked for, or null when the command line names none. */
  entry: EntryScreen | null;
  /** `--machine DIR` / `--machine=DIR`: work on this sandbox folder. */
  machineDir: string | null;
}

export function parseAppArgs(argv: readonly string[]): AppArgs {
  let entry: EntryScreen | null = null;
  let machineDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--settings') entry = 'settings';
    else if (arg === '--repair') entry = 'repair';
    else if (arg === '--install') entry = 'install';
    else if (arg === '--machine' && i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) machineDir = argv[++i]!;
    else if (arg.startsWith('--machine=') && arg.length > '--machine='.length) machineDir = arg.slice('--machine='.length);
  }
  return { entry, machineDir };
}

/** True when the app works on this Windows computer: only the packaged app on Windows without --machine. */
export function usesRealMachine(choice: { packaged: boolean; platform: string; machineDir: string | null }): boolean {
  return choice.platform === 'win32' && choice.packaged && !choice.machineDir;
}

/** The command-line flag that opens `entry` (none for the install wizard, the default). */
export function entryArgs(entry: EntryScreen): string[] {
  return entry === 'install' ? [] : [`--${entry}`];
}
