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
import { slotPath } from '../state/slots';
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

export function bootPaths(machine: Machine): { dir: string; kernel: string; kernelWindows: string } {
  const dir = join(machine.stateDir, 'boot');
  const kernel = join(dir, 'kernel');
  return { dir, kernel, kernelWindows: windowsPathOf(machine, kernel) };
}

/**
 * Points the boot path at the slot that boots now (`kernel`, or `kernel.rollback` when the store
 * flag is set). A hard link made under a temporary name, then renamed over the boot path: WSL
 * sees the old kernel or the new one, never no file (invariant: a `.wslconfig` the tool wrote
 * always names an existing file). When that slot is missing the boot path is left as it is.
 */
/** The slot that boots now, and whether the boot path already is that file (same file id). */
async function bootState(machine: Machine): Promise<{ source: string; inSync: boolean; present: boolean }> {
  const view = storeView(machine);
  const source = slotPath(view, (await readFlag(view)) ? 'kernel.rollback' : 'kernel');
  const src = await machine.fs.stat(source);
  if (!src?.isFile) return { source, inSync: true, present: false };
  const cur = await machine.fs.stat(bootPaths(machine).kernel);
  const inSync = !!cur && cur.ino === src.ino && cur.dev === src.dev && cur.ino !== 0;
  return { source, inSync, present: true };
}

/** True when the boot path is not (yet) the slot that boots, e.g. after a crash between the two. */
export async function bootOutOfSync(machine: Machine): Promise<boolean> {
  const s = await bootState(machine);
  return s.present && !s.inSync;
}

export async function syncBoot(machine: Machine): Promise<{ changed: boolean }> {
  const fs = machine.fs;
  const state = await bootState(machine);
  if (!state.present) return { changed: false };
  const source = state.source;
  const boot = bootPaths(machine);
  // Links a killed run left behind: ours by name, never the boot path itself.
  for (const name of await fs.readdir(boot.dir).catch(() => [] as string[])) {
    if (/^kernel\.\d+\.\d+\.link$/.test(name)) await fs.unlink(join(boot.dir, name)).catch(() => undefined);
  }
  if (state.inSync) return { changed: false };
  await fs.mkdir(boot.dir);
  const temp = `${boot.kernel}.${process.pid}.${Date.now()}.link`;
  await fs.link(source, temp);
  failpoint('store-boot.after-link');
  try {
    await renameWithRetry(fs, temp, boot.kernel);
  } catch (err) {
    await fs.unlink(temp).catch(() => undefined);
    throw err;
  }
  failpoint('store-boot.after-rename');
  await fs.syncDir(boot.dir);
  return { changed: true };
}
