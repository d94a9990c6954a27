/**
 * The one way an operation starts its journal (docs/design.md §6): what the machine was before it
 * (both slots, the flag, the bad versions: what recovery puts back) and what it is about to do.
 */
import type { PayloadInfo } from '../../../shared/types';
import type { Journal } from '../state/journal';
import type { SlotFacts } from '../state/slots';
import { newOperationId } from './file-steps';

/** The machine before the operation, as the operation read it. */
export interface JournalBefore {
  kernel: SlotFacts;
  rollback: SlotFacts;
  flag: boolean;
  badVersions: string[];
  /** The releases in Bad (docs/design.md, "Which kernels are bad"). */
  badReleases: string[];
}

type JournalFacts = NonNullable<Journal['payload']>;

/** A slot as the journal records it: null when missing or not a readable kernel. */
export function journalFacts(f: SlotFacts): JournalFacts | null {
  return f.present && f.header ? { sha256: f.sha256, version: f.header.version, release: f.header.release, size: f.size } : null;
}

/** The kernel an install puts in place, as the journal records it. */
export function payloadFacts(p: PayloadInfo): JournalFacts {
  return { sha256: p.sha256, version: p.version, release: p.release, size: p.size };
}

/**
 * A new journal. `temps` names the temp files the operation may create (recovery deletes them);
 * it is given the operation id, which the temp names carry.
 */
export function newJournal(
  op: Journal['op'],
  phase: Journal['phase'],
  before: JournalBefore,
  more: { temps?: (id: string) => string[]; payload?: JournalFacts; installCase?: Journal['installCase']; version?: string | null; release?: string | null } = {},
): Journal {
  const id = newOperationId();
  return {
    format: 1,
    id,
    op,
    phase,
    startedAt: new Date().toISOString(),
    pid: process.pid,
    temps: more.temps?.(id) ?? [],
    before: { kernel: journalFacts(before.kernel), rollback: journalFacts(before.rollback), flag: before.flag, badVersions: before.badVersions, badReleases: before.badReleases },
    ...(more.payload ? { payload: more.payload } : {}),
    ...(more.installCase ? { installCase: more.installCase } : {}),
    ...(more.version !== undefined ? { version: more.version } : {}),
    ...(more.release !== undefined ? { release: more.release } : {}),
  };
}
