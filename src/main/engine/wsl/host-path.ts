/**
 * Windows paths and where they are on the machine the engine works on (DESIGN §3.1): on Windows
 * the path itself; in a sandbox the folder stands for drive C:, so `C:\X\Y` is `<dir>/X/Y`.
 */
import { join, relative, sep } from 'node:path';
import type { Machine } from '../machine/machine';

/** Expands the variables a ProfileList entry or an install path may hold. */
export function expandWindowsVars(p: string): string {
  return p.replace(/%SystemDrive%/gi, 'C:').replace(/%SystemRoot%|%windir%/gi, 'C:\\Windows').replace(/%ProgramData%/gi, 'C:\\ProgramData');
}

/** The host path of a Windows path, or null when this machine cannot hold it (another drive in a sandbox, a relative path). */
export function hostPath(machine: Machine, windowsPath: string): string | null {
  const p = expandWindowsVars(windowsPath);
  if (machine.kind === 'windows') return p;
  const m = /^[cC]:[\\/](.*)$/.exec(p);
  if (!m || machine.root === null) return null;
  const parts = (m[1] ?? '').split(/[\\/]+/).filter((x) => x !== '' && x !== '.');
  if (parts.includes('..')) return null;
  return join(machine.root, ...parts);
}

/** The Windows path of a host path (the inverse of `hostPath`). */
export function windowsPathOf(machine: Machine, host: string): string {
  if (machine.kind === 'windows' || machine.root === null) return host;
  const rel = relative(machine.root, host).split(sep).join('\\');
  return `C:\\${rel}`;
}

/** Joins Windows path parts with single backslashes. */
export function winJoin(base: string, ...parts: string[]): string {
  return [base.replace(/[\\/]+$/, ''), ...parts].join('\\');
}
