/** Inbox WSL: a `.wslconfig` `kernel=` overrides System32's kernel, so installing there changes nothing that boots (DESIGN §8.1). */
import type { CommandResult } from '../../../shared/types';
import type { Engine } from '../engine';

export async function inboxOverrideWarning(engine: Engine): Promise<Pick<CommandResult, 'warnings'>> {
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
