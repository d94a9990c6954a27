/**
 * Where a diagnostics bundle may be written (docs/design.md, "Diagnostics bundle"): never into the
 * WSL tools folder or the tool's state folder, never over a file the tool owns (the kernels,
 * machine.reg, machine.json, state), never over anything but a regular file, and over an existing
 * file only when asked (`--force`).
 */
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import type { Machine } from '../machine/machine';
import { statePaths } from '../state/state-files';

/** The real path of `p` (links resolved), or `p` itself when it does not exist yet. */
async function real(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return resolve(p);
  }
}

function fold(p: string): string {
  return process.platform === 'win32' ? p.toLowerCase() : p;
}

function inside(child: string, parent: string): boolean {
  const rel = relative(fold(parent), fold(child));
  return rel === '' || (!!rel && !rel.startsWith('..') && !isAbsolute(rel));
}

function refuse(target: string, why: string): KernelSetupError {
  return new KernelSetupError('target-refused', `The diagnostics bundle was not written to ${target}: ${why}.`, { path: target });
}

/** The files the tool owns on this machine, outside its two folders. */
function ownedFiles(machine: Machine): string[] {
  const root = machine.root;
  return root ? [join(root, 'machine.reg'), join(root, 'machine.json')] : [];
}

/**
 * Check `file` (already absolute) as a bundle target and return the path to write: the real
 * folder plus the file name, so a link in the folder path cannot lead into a refused folder.
 */
export async function checkBundleTarget(machine: Machine, file: string, force: boolean): Promise<string> {
  const dir = await real(dirname(file));
  const target = join(dir, basename(file));
  const { fs } = machine;
  for (const folder of [machine.toolsDir, statePaths(machine).dir]) {
    if (inside(target, await real(folder))) throw refuse(target, `it is inside ${folder}, which only the tool writes`);
  }
  let lst;
  try {
    lst = await lstat(target);
  } catch {
    lst = null;
  }
  if (!lst) return target;
  if (lst.isSymbolicLink()) throw refuse(target, 'it is a link; name a new file instead');
  if (!lst.isFile()) throw refuse(target, 'it exists and is not a regular file');
  for (const owned of [...ownedFiles(machine), join(machine.toolsDir, 'kernel'), join(machine.toolsDir, 'kernel.rollback')]) {
    const o = await fs.stat(owned).catch(() => null);
    if (fold(await real(owned)) === fold(target) || (o && o.ino === lst.ino && o.dev === lst.dev && o.ino !== 0)) {
      throw refuse(target, `it is ${basename(owned)}, a file the tool owns`);
    }
  }
  if (!force) throw refuse(target, 'the file already exists (add --force to replace it)');
  return target;
}
