/**
 * "Turn on WSL": the one-click fix for the failed pre-checks `wsl-feature` and `vm-platform`
 * (docs/design.md §3.2). Turns on what is off, under the operation lock, and reports the
 * pre-checks after it: a restart of Windows is then the one step left.
 */
import type { CommandResult } from '../../../shared/types';
import { KernelSetupError } from '../../../shared/errors';
import type { WindowsFeature } from '../machine/machine';
import { evaluateChecks, readWindowsFacts, type WindowsFacts } from '../machine/prechecks';
import type { CommandRunner, RunOptions } from './command-runner';

const LABELS: Record<WindowsFeature, string> = { wsl: 'Windows Subsystem for Linux', 'vm-platform': 'Virtual Machine Platform' };

/** The features the pre-checks find off. */
export function missingFeatures(f: WindowsFacts): WindowsFeature[] {
  const out: WindowsFeature[] = [];
  if (!f.wslEnabled) out.push('wsl');
  if (!f.vmPlatform) out.push('vm-platform');
  return out;
}

export function enableFeatures(runner: CommandRunner, run: RunOptions = {}): Promise<CommandResult> {
  return runner.mutate('enable-features', run, async (_ctx, facts) => {
    const checksNow = async () => evaluateChecks(await readWindowsFacts(runner.machine), { payload: null, needBytes: 0 });
    if (!facts.elevated) {
      return { code: 'not-elevated', message: 'Turning on Windows features needs administrator rights.', checks: (await checksNow()).filter((c) => c.id === 'elevated') };
    }
    const missing = missingFeatures(facts);
    if (!missing.length) return { message: `${LABELS.wsl} and ${LABELS['vm-platform']} are already turned on.`, checks: await checksNow() };
    const features = runner.machine.features;
    if (!features) throw new KernelSetupError('io-error', 'This machine cannot turn on Windows features from here.');
    const done: string[] = [];
    for (const f of missing) {
      await features.enable(f);
      done.push(LABELS[f]);
    }
    return {
      message: `Turned on ${done.join(' and ')}. Restart Windows to finish; then install the kernel.`,
      checks: await checksNow(),
    };
  });
}
