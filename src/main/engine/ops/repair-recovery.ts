/** Recovery of interrupted repair operations (filled in by the repair module). */
import { clearJournal } from '../state/journal';
import type { Journal } from '../state/journal';
import type { OpContext } from './context';
import { removeTemps } from './file-steps';

export async function recoverRepair(ctx: OpContext, journal: Journal, actions: string[]): Promise<'completed' | 'undone'> {
  const removed = await removeTemps(ctx.machine.fs, ctx.machine.toolsDir, journal.temps);
  await clearJournal(ctx.machine);
  actions.push(`Undid the interrupted ${journal.op}${removed.length ? `; removed ${removed.length} temporary file(s)` : ''}.`);
  return 'undone';
}
