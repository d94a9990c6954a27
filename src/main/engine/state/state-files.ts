/**
 * The tool's own state folder: persistent state (bad versions, what was installed), the facts
 * cache and the logs. Journal, lock and history live beside them (journal.ts, lock.ts, history.ts).
 */
import * as z from 'zod/mini';
import { KernelSetupError } from '../../../shared/errors';
import { writeFileAtomic } from '../machine/atomic-write';
import type { Fs } from '../machine/fs-port';
import type { Machine } from '../machine/machine';
import { READ_LIMITS, readRegularFile } from '../machine/bounded-read';
import { timed } from '../machine/timing';
import { statePaths } from './paths';

export { statePaths } from './paths';
export { appendHistory, readHistory } from './history';

const slotRecord = z.object({
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  version: z.string().check(z.maxLength(64)),
  release: z.string().check(z.maxLength(256)),
  size: z.number().check(z.int(), z.nonnegative()),
  at: z.string().check(z.maxLength(64)),
});
export type SlotRecord = z.infer<typeof slotRecord>;

const iso = z.string().check(z.maxLength(64));
/** A kernel's boot history, keyed by its sha256 (docs/design.md §10). */
const bootFact = z.object({
  release: z.string().check(z.maxLength(256)),
  result: z.enum(['booted', 'failed']),
  at: iso,
  bootedAt: z.optional(iso),
  failedAt: z.optional(iso),
  error: z.optional(z.object({ code: z.nullable(z.string().check(z.maxLength(256))), message: z.string().check(z.maxLength(4096)) })),
});
export type StoredBootFact = z.infer<typeof bootFact>;

const stateSchema = z.object({
  /** 1: Bad held versions only; 2: Bad holds full releases (docs/design.md, "Which kernels are bad"). */
  format: z.union([z.literal(1), z.literal(2)]),
  /** Versions every release of which is bad: only entries kept from format 1 that could not be tied to a release. */
  badVersions: z.array(z.string().check(z.maxLength(64))).check(z.maxLength(1000)),
  /** The releases the user rolled back from. */
  badReleases: z.optional(z.array(z.string().check(z.maxLength(256))).check(z.maxLength(1000))),
  /** What the tool itself put in each slot, to notice a slot changed behind its back. */
  slots: z.object({ kernel: z.nullable(slotRecord), rollback: z.nullable(slotRecord) }),
  /** What the boot check saw of each kernel, by sha256. Optional: states written before it have none. */
  boots: z.optional(z.record(z.string().check(z.regex(/^[0-9a-f]{64}$/)), bootFact)),
});
export type ToolState = Omit<z.infer<typeof stateSchema>, 'badReleases' | 'format'> & { format: 2; badReleases: string[] };

export const EMPTY_STATE: ToolState = { format: 2, badVersions: [], badReleases: [], slots: { kernel: null, rollback: null } };

/**
 * A format-1 state named bad kernels by version only. Each such version is tied to the release the
 * tool recorded with that version (the kernel slot first: it is the one a rollback leaves); a
 * version with no recorded release stays a version-wide entry, which is what it always meant.
 */
export function migrateState(data: z.infer<typeof stateSchema>): ToolState {
  const badReleases = [...(data.badReleases ?? [])];
  const badVersions: string[] = [];
  for (const v of data.badVersions) {
    const rec = data.format === 1 ? [data.slots.kernel, data.slots.rollback].find((s) => s?.version === v) : undefined;
    if (rec) {
      if (!badReleases.includes(rec.release)) badReleases.push(rec.release);
    } else if (!badVersions.includes(v)) badVersions.push(v);
  }
  return { format: 2, badVersions, badReleases, slots: data.slots, ...(data.boots ? { boots: data.boots } : {}) };
}

async function readJson(fs: Fs, path: string): Promise<unknown | undefined> {
  let raw: Buffer;
  try {
    raw = await readRegularFile(fs, path, { code: 'invalid-machine', what: "The tool's state file", maxBytes: READ_LIMITS.json });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return null;
  }
}

/** Read state.json; a missing file is the empty state; a corrupt one is invalid-machine (never overwritten silently). */
export async function readState(machine: Machine): Promise<ToolState> {
  const path = statePaths(machine).state;
  const data = await readJson(machine.fs, path);
  if (data === undefined) return structuredClone(EMPTY_STATE);
  const parsed = stateSchema.safeParse(data);
  if (!parsed.success) {
    throw new KernelSetupError('invalid-machine', `The tool's state file ${path} is damaged: ${parsed.error.issues[0]?.message ?? 'not JSON'}.`, {
      path,
    });
  }
  return migrateState(parsed.data);
}

/**
 * Write state.json atomically, its folder flushed before this returns. (Leaving that flush to the
 * journal's removal right after would save one, but a failure of that flush would come after the
 * journal is gone, leaving nothing for recovery to finish: docs/design.md §6.)
 */
export async function writeState(machine: Machine, state: ToolState, failpointPrefix?: string): Promise<void> {
  const paths = statePaths(machine);
  await machine.fs.mkdir(paths.dir);
  const data = Buffer.from(JSON.stringify(state, null, 2) + '\n');
  await timed('state.state-write', () => writeFileAtomic(machine.fs, paths.state, data, failpointPrefix));
}
