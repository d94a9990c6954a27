/** Inbox WSL: a `.wslconfig` `kernel=` overrides System32's kernel, so installing there changes nothing that boots (DESIGN §8.1). */
import type { CommandResult } from '../../../shared/types';
import type { CommandRunner } from '../ops/command-runner';

export async function inboxOverrideWarning(engine: CommandRunner): Promise<Pick<CommandResult, 'warnings'>> {
  try {
    const boot = (await engine.readStatus()).boot;
    if (!boot || boot.source !== 'wslconfig' || !boot.wslconfig) return {};
    return {
      warnings: [
        {
          id: 'wslconfig-overrides-system32',
          message: `${boot.wslconfig.path} says kernel=${boot.path ?? ''}: WSL boots that file, not the kernel just installed in System32. Remove the kernel= line to boot it.`,
        },
      ],
    };
  } catch {
    return {};
  }
}
