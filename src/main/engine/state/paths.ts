/** Where the tool keeps its own state in a machine's state folder (docs/design.md §3.1). */
import { join } from 'node:path';
import type { Machine } from '../machine/machine';

export function statePaths(machine: Machine) {
  const dir = machine.stateDir;
  return {
    dir,
    state: join(dir, 'state.json'),
    cache: join(dir, 'facts-cache.json'),
    journal: join(dir, 'journal.json'),
    lock: join(dir, 'operation.lock'),
    history: join(dir, 'history.jsonl'),
    /** The older history, moved aside when history.jsonl grew past its bound (state/history.ts). */
    historyOld: join(dir, 'history.1.jsonl'),
    logs: join(dir, 'logs'),
  };
}
