/** Recovery of interrupted repair operations (reinstall journals as an install and is recovered as one). */
import { recoverRestore } from './restore';
import { recoverCleanup, recoverClearFlag } from './small-ops';
import { clearJournal } from '../state/journal';
import type { Journal } from '../state/journal';
import type { OpContext } from '../steps/context';
import { removeTemps } from '../steps/file-steps';

export async function recoverRepair(ctx: OpContext, journal: Journal, actions: string[]): Promise<'completed' | 'undone'> {
  switch (journal.op) {
    case 'restore-rollback':
      return recoverRestore(ctx, journal, actions);
    case 'clear-flag':
      return recoverClearFlag(ctx, journal, actions);
    case 'cleanup':
      return recoverCleanup(ctx, journal, actions);
    default: {
      // An operation this version does not know: nothing it did is trusted, so only its temps go.
      const removed = await removeTemps(ctx.machine.fs, ctx.machine.toolsDir, journal.temps);
      await clearJournal(ctx.machine);
      actions.push(`Undid the interrupted ${journal.op}${removed.length ? `; removed ${removed.length} temporary file(s)` : ''}.`);
      return 'undone';
    }
  }
}
