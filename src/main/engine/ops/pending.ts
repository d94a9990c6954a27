/** An interrupted operation recovery could not finish yet, as a finding `status` reports. */
import type { Finding } from '../../../shared/types';
import { mapFsError } from '../machine/fs-errors';
import type { Machine } from '../machine/machine';
import { readJournal } from '../state/journal';

export async function pendingFinding(machine: Machine, err: unknown): Promise<Finding> {
  const e = mapFsError(err, 'finishing an interrupted operation');
  const read = await readJournal(machine).catch(() => null);
  const op = read?.kind === 'ok' ? read.journal.op : 'operation';
  return {
    id: 'interrupted-operation',
    severity: 'error',
    observed: `An interrupted ${op} could not be finished yet: ${e.message}`,
    cause: 'What stopped it is still there (a file in use or read-only, a registry that cannot be written).',
    fixes: [{ id: 'recover', title: 'Remove the cause, then run any command (or repair --fix recover) to finish it' }],
  };
}
