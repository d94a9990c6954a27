/**
 * Store WSL's kernel slots (DESIGN §8, docs/design.md §11): the same two slots and rules
 * as inbox WSL, kept in a folder the tool owns, `%ProgramData%\WslKernelSetup\store\slots\`
 * (WSL's own updates and MSI repair rewrite `Program Files\WSL`), with the rollback flag in
 * `HKLM\SOFTWARE\WslKernelSetup\Store` instead of Lxss. WSL boots ONE stable path,
 * `%ProgramData%\WslKernelSetup\boot\kernel`, a hard link to the slot that boots, switched with
 * one atomic rename: rollback and undo never touch any user's `.wslconfig`.
 */
import { join } from 'node:path';
import { failpoint } from '../machine/failpoints';
import { REG, type Machine, type Registry } from '../machine/machine';
import { renameWithRetry } from '../machine/fs-errors';
import { readFlag } from '../steps/registry-steps';
import { readSlots, slotPath } from '../state/slots';
import { modulesOf, readModulesMap } from './store-modules';
import { windowsPathOf } from '../wsl/host-path';

export const STORE_FLAG_KEY = 'SOFTWARE\\WslKernelSetup\\Store';

const isFlag = (key: string, name: string): boolean => key.toLowerCase() === REG.lxss.toLowerCase() && name.toLowerCase() === REG.rollbackValue.toLowerCase();

/** The machine as the slot operations see it for store WSL: other slots folder, other state, other flag. */
export function storeView(machine: Machine): Machine {
  const base = join(machine.stateDir, 'store');
  const inner = machine.registry;
  const registry: Registry = {
    keyExists: (k) => inner.keyExists(k),
    getValue: (k, n) => (isFlag(k, n) ? inner.getValue(STORE_FLAG_KEY, REG.rollbackValue) : inner.getValue(k, n)),
    setValue: (k, n, v) => (isFlag(k, n) ? inner.setValue(STORE_FLAG_KEY, REG.rollbackValue, v) : inner.setValue(k, n, v)),
    deleteValue: (k, n) => (isFlag(k, n) ? inner.deleteValue(STORE_FLAG_KEY, REG.rollbackValue) : inner.deleteValue(k, n)),
    subkeys: (k) => inner.subkeys(k),
  };
  return { ...machine, label: `${machine.label} (store WSL slots)`, toolsDir: join(base, 'slots'), stateDir: base, registry, view: 'store-slots' };
}

export function bootPaths(machine: Machine): { dir: string; kernel: string; kernelWindows: string; modules: string; modulesWindows: string } {
  const dir = join(machine.stateDir, 'boot');
  const kernel = join(dir, 'kernel');
  const modules = join(dir, 'modules.vhd');
  return { dir, kernel, kernelWindows: windowsPathOf(machine, kernel), modules, modulesWindows: windowsPathOf(machine, modules) };
}

const sameFile = (a: { ino: number; dev: number } | null, b: { ino: number; dev: number } | null): boolean => !!a && !!b && a.ino === b.ino && a.dev === b.dev && a.ino !== 0;

interface BootState {
  /** The slot that boots now, and whether the boot path already is that file (same file id). */
  source: string;
  inSync: boolean;
  present: boolean;
  /** The modules disk kept for that slot's kernel (null: none), and whether boot\modules.vhd is it. */
  modules: string | null;
  modulesInSync: boolean;
}

async function bootState(machine: Machine): Promise<BootState> {
  const view = storeView(machine);
  const flag = await readFlag(view);
  const source = slotPath(view, flag ? 'kernel.rollback' : 'kernel');
  const src = await machine.fs.stat(source);
  if (!src?.isFile) return { source, inSync: true, present: false, modules: null, modulesInSync: true };
  const boot = bootPaths(machine);
  const inSync = sameFile(src, await machine.fs.stat(boot.kernel));
  // Only a machine that ever got a modules disk reads the slot's hash (from the facts cache).
  let modules: string | null = null;
  if (Object.keys(await readModulesMap(machine)).length) {
    const facts = (await readSlots(view))[flag ? 'rollback' : 'kernel'];
    modules = (await modulesOf(machine, facts.present ? facts.sha256 : null))?.path ?? null;
  }
  const modulesInSync = !modules || sameFile(await machine.fs.stat(modules), await machine.fs.stat(boot.modules));
  return { source, inSync, present: true, modules, modulesInSync };
}

/** True when the boot paths are not (yet) the slot that boots and its disk, e.g. after a crash between the two. */
export async function bootOutOfSync(machine: Machine): Promise<boolean> {
  const s = await bootState(machine);
  return s.present && !(s.inSync && s.modulesInSync);
}

/** A hard link to `source` made under a temporary name, then renamed over `target`. */
async function switchLink(machine: Machine, source: string, target: string, failpointName: string): Promise<void> {
  const fs = machine.fs;
  const temp = `${target}.${process.pid}.${Date.now()}.link`;
  await fs.link(source, temp);
  failpoint(`${failpointName}.after-link`);
  try {
    await renameWithRetry(fs, temp, target);
  } catch (err) {
    await fs.unlink(temp).catch(() => undefined);
    throw err;
  }
}

/**
 * Removes the links a killed run left in the boot folder between making one and renaming it over
 * a boot path: ours by name (switchLink), never a boot path itself. Under the operation lock only,
 * where no other run is making one.
 */
export async function sweepBootLinks(machine: Machine): Promise<void> {
  const dir = bootPaths(machine).dir;
  for (const name of await machine.fs.readdir(dir).catch(() => [] as string[])) {
    if (/^(kernel|modules\.vhd)\.\d+\.\d+\.link$/.test(name)) await machine.fs.unlink(join(dir, name)).catch(() => undefined);
  }
}

/**
 * Points the boot paths at the slot that boots now (`kernel`, or `kernel.rollback` when the store
 * flag is set) and at its kernel's modules disk, each by a hard link renamed over it: WSL sees
 * the old file or the new one, never no file (invariant W). The disk is switched first, then the
 * kernel; a crash between the two is finished by the next command (bootOutOfSync). When that
 * slot is missing the boot paths are left as they are.
 */
export async function syncBoot(machine: Machine): Promise<{ changed: boolean }> {
  const fs = machine.fs;
  await sweepBootLinks(machine);
  const state = await bootState(machine);
  if (!state.present) return { changed: false };
  const boot = bootPaths(machine);
  if (state.inSync && state.modulesInSync) return { changed: false };
  // A boot folder made now is flushed into its parent too: a .wslconfig written after this names it.
  const made = !(await fs.stat(boot.dir))?.isDirectory;
  await fs.mkdir(boot.dir);
  if (made) await fs.syncDir(join(boot.dir, '..'));
  if (state.modules && !state.modulesInSync) {
    await switchLink(machine, state.modules, boot.modules, 'store-boot-modules');
    failpoint('store-boot-modules.after-rename');
  }
  if (!state.inSync) {
    await switchLink(machine, state.source, boot.kernel, 'store-boot');
    failpoint('store-boot.after-rename');
  }
  await fs.syncDir(boot.dir);
  return { changed: true };
}
