/**
 * The fix `wslconfig-fix-line` (docs/design.md §11): the user's `kernel=` line written with single
 * backslashes, rewritten as the path they meant, with every backslash doubled. Only that value
 * changes (every other byte, the encoding and the line endings stay; the edit is checked by
 * parsing it), the file is replaced atomically, and only when the file it names exists: the tool
 * never points `.wslconfig` at a missing kernel.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { Machine } from '../machine/machine';
import { encodeWslConfigValue, loadWslConfig, saveWslConfig, withWsl2Paths } from '../wslconfig';
import { hostPath } from '../wsl/host-path';
import { intended } from './findings-wslconfig';
import type { Snapshot } from './inspect';

export async function fixKernelLine(machine: Machine, snap: Snapshot): Promise<string> {
  const cfg = snap.wsl.boot?.wslconfig;
  if (!cfg?.kernelRaw) throw new KernelSetupError('fix-not-applicable', 'The .wslconfig has no kernel= line to rewrite.');
  const path = intended(cfg.kernelRaw);
  const file = hostPath(machine, cfg.path);
  const kernel = hostPath(machine, path);
  if (!file) throw new KernelSetupError('fix-not-applicable', `${cfg.path} is not on this machine's system drive.`);
  if (!kernel || !(await machine.fs.stat(kernel))?.isFile) {
    throw new KernelSetupError('fix-not-applicable', `${path} does not exist either, so the line is left as it is: copy the kernel there first, or let WSL boot its own kernel.`);
  }
  const loaded = await loadWslConfig(file, cfg.path);
  await saveWslConfig(machine.fs, file, withWsl2Paths(loaded, { kernel: path }), 'wslconfig');
  return `Rewrote the kernel line of ${cfg.path} as kernel=${encodeWslConfigValue(path)}: WSL boots ${path} when it next starts.`;
}
