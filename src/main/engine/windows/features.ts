/**
 * Turning on WSL's optional features with dism.exe, as Microsoft's manual install steps do:
 * `dism.exe /online /enable-feature /featurename:<name> /all /norestart`. Exit 3010 is success
 * with a restart needed, which is always the case for these features.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { WindowsFeature, WindowsFeatures } from '../machine/machine';
import { runFile, type Runner } from './exec';

export const FEATURE_NAMES: Record<WindowsFeature, string> = {
  wsl: 'Microsoft-Windows-Subsystem-Linux',
  'vm-platform': 'VirtualMachinePlatform',
};

/** DISM can take minutes on a busy machine (it services the component store). */
const DISM_TIMEOUT_MS = 15 * 60_000;
const ERROR_SUCCESS_REBOOT_REQUIRED = 3010;
const ERROR_ELEVATION_REQUIRED = 740;

/** DISM's own last message line (its output is UTF-8 or the OEM code page; the codes say enough). */
function lastLine(out: Buffer): string {
  const lines = out.toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

export function createWindowsFeatures(dismExe: string, run: Runner = runFile): WindowsFeatures {
  return {
    async enable(feature) {
      const name = FEATURE_NAMES[feature];
      const r = await run(dismExe, ['/online', '/enable-feature', `/featurename:${name}`, '/all', '/norestart'], DISM_TIMEOUT_MS);
      if (r.code === 0 || r.code === ERROR_SUCCESS_REBOOT_REQUIRED) return;
      if (r.code === ERROR_ELEVATION_REQUIRED) throw new KernelSetupError('not-elevated', `Turning on ${name} needs administrator rights.`);
      const why = r.notFound ? 'dism.exe was not found' : r.timedOut ? 'dism.exe did not finish in 15 minutes' : `dism.exe exited with ${r.code}: ${lastLine(r.stdout) || lastLine(r.stderr)}`;
      throw new KernelSetupError('io-error', `Windows could not turn on ${name} (${why}).`, { feature: name, exitCode: r.code });
    },
  };
}
