/**
 * A kernel's modules disk on store WSL (docs/design.md §11.5): a payload folder or a WSL MSI may
 * bring `modules.vhd` with its kernel, and WSL must attach the disk built for the kernel it boots.
 *
 * The disks are kept by content, `store\modules\<sha256>.vhd` (never rewritten once there), and
 * `store\modules.json` maps each kernel (its sha256) to its disk. Both are written before the
 * slot operation, so the slot work stays exactly the inbox operation. The second boot path,
 * `boot\modules.vhd`, is switched with the kernel's (a hard link renamed over it): after rollback
 * and undo the disk follows the kernel, and no user's `.wslconfig` is rewritten. A kernel without
 * a disk leaves `boot\modules.vhd` as it was: `.wslconfig` may name it, so it is never removed,
 * and a disk built for another release is one that kernel does not load modules from.
 */
import { join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import type { ModulesInfo } from '../../../shared/types';
import { writeFileAtomic } from '../machine/atomic-write';
import { failpoint } from '../machine/failpoints';
import { renameWithRetry } from '../machine/fs-errors';
import type { Machine } from '../machine/machine';
import { alive } from '../state/lock';
import { copyDurable, removeIfExists, syncDir } from '../steps/file-steps';

const SHA = /^[0-9a-f]{64}$/;

const storeDir = (machine: Machine): string => join(machine.stateDir, 'store');
export const modulesDir = (machine: Machine): string => join(storeDir(machine), 'modules');
const mapPath = (machine: Machine): string => join(storeDir(machine), 'modules.json');
const diskPath = (machine: Machine, sha: string): string => join(modulesDir(machine), `${sha}.vhd`);
/**
 * An install keeps its kernel's disk under the lock, releases it, and takes it again for the slot
 * operation: between the two, another command's prune must not take the disk as unused. The
 * marker names the process and the kernel; the install removes it when it finishes, and a marker
 * whose process is gone (killed) no longer protects anything and is removed by the next prune.
 */
const PENDING = /^\.pending-([0-9]+)-[0-9a-z]+-([0-9a-f]{64})$/;
let pendingCount = 0;

/** kernel sha256 → modules disk sha256. A damaged map is read as empty: kernels then boot without modules. */
export async function readModulesMap(machine: Machine): Promise<Record<string, string>> {
  let data: unknown;
  try {
    data = JSON.parse((await machine.fs.readFile(mapPath(machine))).toString('utf8'));
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    for (const [k, v] of Object.entries(data)) if (SHA.test(k) && typeof v === 'string' && SHA.test(v)) out[k] = v;
  }
  return out;
}

async function writeModulesMap(machine: Machine, map: Record<string, string>): Promise<void> {
  await writeFileAtomic(machine.fs, mapPath(machine), Buffer.from(JSON.stringify(map, null, 2) + '\n'), 'store-modules-map');
}

/**
 * Keeps `modules` as the disk of the kernel `kernelSha` (call under the operation lock, before the
 * slot operation). The disk is copied under a temporary name, flushed, checked against its hash
 * and renamed to its content name; the map is replaced atomically after it. Returns the pending
 * marker that protects the disk until the install ends it (endPending).
 */
export async function keepModules(machine: Machine, kernelSha: string, modules: ModulesInfo, opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<string> {
  const fs = machine.fs;
  await fs.mkdir(modulesDir(machine));
  await removeModuleTemps(machine);
  // Not flushed: after a power loss no process of before runs, so no install is between its steps.
  const marker = join(modulesDir(machine), `.pending-${process.pid}-${(pendingCount++).toString(36)}-${kernelSha}`);
  await (await fs.open(marker, 'w')).close();
  try {
    await keepDisk(machine, kernelSha, modules, opts);
  } catch (err) {
    await removeIfExists(fs, marker).catch(() => undefined);
    throw err;
  }
  return marker;
}

async function keepDisk(machine: Machine, kernelSha: string, modules: ModulesInfo, opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void }): Promise<void> {
  const fs = machine.fs;
  const target = diskPath(machine, modules.sha256);
  if (!(await fs.stat(target))?.isFile) {
    const temp = join(modulesDir(machine), `.wslk-${process.pid}-${Date.now()}.vhd.tmp`);
    try {
      const sha = await copyDurable(fs, modules.path, temp, { ...opts, failpointPrefix: 'store-modules' });
      if (sha !== modules.sha256) throw new KernelSetupError('checksum-mismatch', `The copy of ${modules.path} does not match the disk that was checked (expected ${modules.sha256}, got ${sha}): it changed while it was copied.`);
      await renameWithRetry(fs, temp, target);
    } finally {
      await removeIfExists(fs, temp);
    }
    await syncDir(fs, modulesDir(machine));
    failpoint('store-modules.kept');
  }
  const map = await readModulesMap(machine);
  if (map[kernelSha] !== modules.sha256) await writeModulesMap(machine, { ...map, [kernelSha]: modules.sha256 });
}

/** The disk kept for a kernel, when there is one (and it is still there). */
export async function modulesOf(machine: Machine, kernelSha: string | null): Promise<{ path: string; sha256: string } | null> {
  if (!kernelSha) return null;
  const sha = (await readModulesMap(machine))[kernelSha];
  if (!sha) return null;
  const path = diskPath(machine, sha);
  return (await machine.fs.stat(path))?.isFile ? { path, sha256: sha } : null;
}

async function removeModuleTemps(machine: Machine): Promise<void> {
  for (const name of await machine.fs.readdir(modulesDir(machine)).catch(() => [] as string[])) {
    if (/^\.wslk-[0-9]+-[0-9]+\.vhd\.tmp$/.test(name)) await removeIfExists(machine.fs, join(modulesDir(machine), name));
  }
}

/** The install of `marker` is over (under the lock, before the prune): its disk is kept only if a slot holds its kernel. */
export async function endPending(machine: Machine, marker: string): Promise<void> {
  await removeIfExists(machine.fs, marker);
}

/** Kernels whose install (in a live process) has kept a disk and not yet finished; markers of dead processes are removed. */
async function pendingKernels(machine: Machine, names: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const name of names) {
    const m = PENDING.exec(name);
    if (!m) continue;
    if (alive(Number(m[1]))) out.push(m[2]!);
    else await removeIfExists(machine.fs, join(modulesDir(machine), name));
  }
  return out;
}

/**
 * Forgets the disks of kernels no slot holds any more (`keep`: the kernels in the slots) and no
 * running install is about to put there, and removes disks no kernel uses. `boot\modules.vhd` is
 * a hard link: removing a kept disk never takes away the one WSL attaches.
 */
export async function pruneModules(machine: Machine, slotKernels: (string | null)[]): Promise<void> {
  const map = await readModulesMap(machine);
  const names = await machine.fs.readdir(modulesDir(machine)).catch(() => [] as string[]);
  const keep = [...slotKernels, ...(await pendingKernels(machine, names))];
  const kept = Object.fromEntries(Object.entries(map).filter(([k]) => keep.includes(k)));
  if (Object.keys(kept).length !== Object.keys(map).length) await writeModulesMap(machine, kept);
  const used = new Set(Object.values(kept));
  let removed = false;
  for (const name of names) {
    const m = /^([0-9a-f]{64})\.vhd$/.exec(name);
    if (m && !used.has(m[1]!)) {
      await removeIfExists(machine.fs, join(modulesDir(machine), name));
      removed = true;
    }
  }
  if (removed) await syncDir(machine.fs, modulesDir(machine));
  await removeModuleTemps(machine);
}
