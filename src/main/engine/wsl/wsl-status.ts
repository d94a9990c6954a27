/** The status fields about today's WSL (DESIGN §8): flavour, default kernel, and what boots for the user. */
import type { Arch, MachineStatus, SlotStatus } from '../../../shared/types';
import type { Machine } from '../machine/machine';
import { detectWsl } from './flavour';
import { whatBoots } from './boot';
import { windowsPathOf } from './host-path';
import { resolveUser } from './users';

export type WslStatusFields = Required<Pick<MachineStatus, 'flavour' | 'wslVersion' | 'wslInstallLocation' | 'defaultKernel' | 'boot'>>;

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
  return { flavour: info.flavour, wslVersion: info.version, wslInstallLocation: info.installLocation, defaultKernel: info.defaultKernel, boot };
}
