/**
 * docs/design.md §6 invariant 2 judged per operation: "a version in Bad never enters
 * kernel.rollback through an update". A snapshot before and after several operations cannot judge
 * it: install A (B kept in kernel.rollback), roll back, install B (both slots B), roll back (B is
 * marked bad where it sits) ends with a bad B in kernel.rollback, and no operation put it there
 * while bad. So each changing command's history entry (the versions after it, written under the
 * lock, in lock order) is checked against the versions that were bad just before it, from the
 * rules (helpers/model.ts) replayed in the same order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from './model';
import { apply, logicalOf } from './model';
import type { Snapshot } from './snapshot';
import { stateDirOf } from './snapshot';

/**
 * Violations among the history entries after the first `skip`, for the changing commands `cmds`
 * in the order they held the lock, starting from `before`.
 */
export function badRollbackEntries(root: string, skip: number, before: Snapshot, cmds: Command[], versionOf: (sha: string) => string): string[] {
  const out: string[] = [];
  const entries = readFileSync(join(stateDirOf(root), 'history.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .slice(skip)
    .map((l) => JSON.parse(l) as { op: string; rollbackKernel?: string | null });
  let state = logicalOf(before);
  let rollback = state.r ? versionOf(state.r) : null;
  cmds.forEach((cmd, i) => {
    const e = entries[i];
    if (!e || e.op !== cmd.op) {
      out.push(`history entry ${i + 1} of the round is ${e ? e.op : 'missing'}, the command that held the lock was ${cmd.op}`);
      return;
    }
    const now = e.rollbackKernel ?? null;
    if (cmd.op === 'install' && now !== rollback && now !== null && state.bad.includes(now)) {
      out.push(`install (command ${i + 1} of the round) put ${now}, a version marked bad, into kernel.rollback`);
    }
    state = apply(state, cmd, versionOf);
    rollback = now;
  });
  return out;
}
