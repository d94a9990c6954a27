/**
 * Leftover temporary files of this tool: staged kernels in the tools folder (`.wslk-*`), atomic
 * write temps in the state folder, extracted MSI kernels and half-written quarantine copies.
 * Each is only ever a temp: no slot, journal or state file is named like one.
 */
import { join } from 'node:path';
import type { Fs } from '../machine/fs-port';
import type { Machine } from '../machine/machine';

export interface TempFile {
  /** Absolute path. */
  path: string;
  /** Where it is: the tools folder, the state folder, or one of the state folder's subfolders. */
  where: 'tools' | 'state' | 'staging' | 'quarantine';
  name: string;
  size: number;
}

/** Atomic-write temps of the state files: `<name>.<12 hex>.tmp` (see atomic-write.ts). */
const STATE_TEMP = /^(state\.json|journal\.json|facts-cache\.json)\.[0-9a-f]{12}\.tmp$/;
const TOOLS_TEMP = /^\.wslk-[a-z0-9.-]+$/;
const STAGING_TEMP = /^[0-9a-f]{16}\.msi-(kernel|modules|package)\.tmp$/;
export const QUARANTINE_PARTIAL = /^\.partial-[0-9A-Za-z-]+$/;

export function stagingDir(machine: Machine): string {
  return join(machine.stateDir, 'staging');
}

export function quarantineDir(machine: Machine): string {
  return join(machine.stateDir, 'quarantine');
}

async function list(fs: Fs, dir: string, pattern: RegExp, where: TempFile['where']): Promise<TempFile[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    // A folder that is not there holds no temps; one that cannot be read must not pass for clean.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: TempFile[] = [];
  for (const name of names.sort()) {
    if (!pattern.test(name)) continue;
    const path = join(dir, name);
    const stat = await fs.stat(path);
    if (stat?.isFile) out.push({ path, where, name, size: stat.size });
  }
  return out;
}

/** Every temp file of ours, except those named in `journalTemps` (recovery owns those). */
export async function findTemps(machine: Machine, journalTemps: string[] = []): Promise<TempFile[]> {
  const owned = new Set(journalTemps);
  const tools = (await list(machine.fs, machine.toolsDir, TOOLS_TEMP, 'tools')).filter((t) => !owned.has(t.name));
  return [
    ...tools,
    ...(await list(machine.fs, machine.stateDir, STATE_TEMP, 'state')),
    ...(await list(machine.fs, stagingDir(machine), STAGING_TEMP, 'staging')),
    ...(await list(machine.fs, quarantineDir(machine), QUARANTINE_PARTIAL, 'quarantine')),
  ];
}
