/**
 * The two slots the screens show: System32's on inbox WSL, the tool's own on store WSL (which
 * boots them through `.wslconfig`, docs/design.md §11). Everything else of the status is kept.
 */
import type { MachineStatus } from '../../shared/types';

export interface SlotsOf {
  status: MachineStatus;
  /** The folder the slot files are in, for the details. */
  folder: string;
  /** Store WSL: one sentence on which kernel WSL boots and why. */
  bootSentence: string | null;
}

export function slotsOf(status: MachineStatus): SlotsOf {
  if (status.flavour !== 'store') return { status, folder: 'System32\\lxss\\tools', bootSentence: null };
  const slots = status.storeSlots;
  const toolBoots = Boolean(status.boot?.toolOwned);
  const rollbackActive = slots?.rollbackActive ?? false;
  const view: MachineStatus = {
    ...status,
    kernel: slots?.kernel ?? { present: false },
    rollbackKernel: slots?.rollbackKernel ?? { present: false },
    rollbackActive,
    effective: toolBoots ? (rollbackActive ? 'kernel.rollback' : 'kernel') : null,
    // The store slots keep their own bad kernels (full releases); the picture marks them by version.
    badVersions: [...new Set((slots?.badReleases ?? []).map((r) => r.split('-')[0] ?? r))],
  };
  const folder = "ProgramData\\WslKernelSetup (the tool's kernel folder)";
  return { status: view, folder, bootSentence: status.boot?.reason ?? null };
}
