/** The status fields about today's WSL (DESIGN §8): flavour, default kernel, and what boots for the user. */
import type { Arch, MachineStatus, SlotStatus, StoreSlots } from '../../../shared/types';
import { readSlots, toSlotStatus } from '../state/slots';
import { readState } from '../state/state-files';
import { readFlag } from '../steps/registry-steps';
import { usersOnBootPath } from '../store/store-users';
import { bootPaths, storeView } from '../store/store-view';
import { readModulesMap } from '../store/store-modules';
import type { Machine } from '../machine/machine';
import { detectWsl } from './flavour';
import { whatBoots } from './boot';
import { windowsPathOf } from './host-path';
import { resolveUser } from './users';

export type WslStatusFields = Required<Pick<MachineStatus, 'flavour' | 'wslVersion' | 'wslInstallLocation' | 'defaultKernel' | 'boot' | 'storeSlots'>>;

export async function readWslStatus(
  machine: Machine,
  arch: Arch | null,
  slots: { kernelPath: string; rollbackPath: string; kernel: SlotStatus; rollback: SlotStatus; rollbackActive: boolean },
  userName?: string,
): Promise<WslStatusFields> {
  const info = await detectWsl(machine, arch);
  const user = await resolveUser(machine, userName).catch(() => null);
  const boot = await whatBoots(machine, arch, info, user, {
    ...slots,
    kernelPath: windowsPathOf(machine, slots.kernelPath),
    rollbackPath: windowsPathOf(machine, slots.rollbackPath),
  });
  let storeSlots: StoreSlots | null = null;
  if (info.flavour === 'store' && machine.view !== 'store-slots') {
    const view = storeView(machine);
    const read = await readSlots(view, { arch });
    const bootPath = bootPaths(machine).kernelWindows;
    const map = await readModulesMap(machine);
    storeSlots = {
      kernel: toSlotStatus(read.kernel),
      rollbackKernel: toSlotStatus(read.rollback),
      rollbackActive: await readFlag(view),
      bootPath,
      users: await usersOnBootPath(machine),
      badReleases: [...(await readState(view)).badReleases],
      modules: { kernel: read.kernel.present ? (map[read.kernel.sha256] ?? null) : null, rollbackKernel: read.rollback.present ? (map[read.rollback.sha256] ?? null) : null },
      modulesBootPath: (await machine.fs.stat(bootPaths(machine).modules))?.isFile ? bootPaths(machine).modulesWindows : null,
    };
    boot.toolOwned = boot.path !== null && boot.path.toLowerCase() === bootPath.toLowerCase();
  }
  return { flavour: info.flavour, wslVersion: info.version, wslInstallLocation: info.installLocation, defaultKernel: info.defaultKernel, boot, storeSlots };
}
