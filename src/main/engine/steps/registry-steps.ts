/** The registry values the engine reads and writes (docs/design.md §3.2). */
import type { Machine, RegValue } from '../machine/machine';
import { REG } from '../machine/machine';
import { mapFsError } from '../machine/fs-errors';

/** RollbackKernel present and non-zero / non-empty: WSL boots kernel.rollback. */
export function flagIsSet(v: RegValue | null): boolean {
  if (!v) return false;
  switch (v.type) {
    case 'REG_DWORD':
      return v.data !== 0;
    case 'REG_QWORD':
      return v.data !== 0n;
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return v.data !== '' && v.data !== '0';
    case 'REG_MULTI_SZ':
      return v.data.some((s) => s !== '');
    default:
      return v.data.some((b) => b !== 0);
  }
}

export async function readFlag(machine: Machine): Promise<boolean> {
  return flagIsSet(await machine.registry.getValue(REG.lxss, REG.rollbackValue));
}

async function guarded(what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    throw mapFsError(err, what);
  }
}

export function setFlag(machine: Machine): Promise<void> {
  return guarded('setting RollbackKernel', () => machine.registry.setValue(REG.lxss, REG.rollbackValue, { type: 'REG_DWORD', data: 1 }));
}

export function clearFlag(machine: Machine): Promise<void> {
  return guarded('clearing RollbackKernel', () => machine.registry.deleteValue(REG.lxss, REG.rollbackValue));
}

/** The detection value fleet tools read: the installed kernel's version. */
export async function writeDetection(machine: Machine, version: string): Promise<void> {
  const current = await machine.registry.getValue(REG.detection, REG.detectionValue);
  if (current?.type === 'REG_SZ' && current.data === version) return;
  await guarded('writing the detection value', () =>
    machine.registry.setValue(REG.detection, REG.detectionValue, { type: 'REG_SZ', data: version }),
  );
}
