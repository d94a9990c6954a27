/**
 * The write-ahead journal (docs/design.md §6): before an operation changes anything it records what it
 * is about to do; recovery at the next start reads it and finishes or undoes the operation, so the
 * machine ends exactly in the state before or after it (invariant 3).
 */
import * as z from 'zod/mini';
import { writeFileAtomic } from '../machine/atomic-write';
import { timed } from '../machine/timing';
import type { Machine } from '../machine/machine';
import { statePaths } from './state-files';
import { READ_LIMITS, readRegularFile } from '../machine/bounded-read';

const sha = z.string().check(z.regex(/^[0-9a-f]{64}$/));

// The same bounds as state.json's records: what recovery copies from the journal into the state
// must be readable again, or every later command would fail on the state file.
const version = z.string().check(z.maxLength(64));
const release = z.string().check(z.maxLength(256));
const slotFacts = z.nullable(z.object({ sha256: sha, version, release, size: z.number().check(z.int(), z.nonnegative()) }));

export const journalSchema = z.object({
  format: z.literal(1),
  id: z.string().check(z.regex(/^[a-z0-9-]{6,64}$/)),
  op: z.enum(['install', 'rollback', 'undo-rollback', 'restore-rollback', 'clear-flag', 'cleanup']),
  /** `prepare`: nothing destructive done yet (recovery undoes); `commit`: recovery finishes. */
  phase: z.enum(['prepare', 'commit']),
  startedAt: z.string(),
  pid: z.number(),
  /** Temp files this operation may have created, relative to the tools folder. */
  temps: z.array(z.string().check(z.regex(/^\.wslk-[a-z0-9.-]+$/))),
  before: z.object({
    kernel: slotFacts,
    rollback: slotFacts,
    flag: z.boolean(),
    badVersions: z.array(version).check(z.maxLength(1000)),
    badReleases: z.optional(z.array(release).check(z.maxLength(1000))),
  }),
  /** install / restore: the file that becomes `kernel`. */
  payload: z.optional(slotFacts),
  /** install: the update case of docs/design.md §5 (3: keep K as R; 4: R kept; 5: K missing). */
  installCase: z.optional(z.enum(['keep-previous', 'replace-bad', 'fresh'])),
  /** rollback / undo: the version added to or removed from Bad. */
  version: z.optional(z.nullable(version)),
  /** rollback / undo: the release added to or removed from Bad (docs/design.md, "Which kernels are bad"). */
  release: z.optional(z.nullable(release)),
});
export type Journal = z.infer<typeof journalSchema>;

export type JournalRead = { kind: 'none' } | { kind: 'ok'; journal: Journal } | { kind: 'corrupt'; reason: string };

export async function readJournal(machine: Machine): Promise<JournalRead> {
  let raw: Buffer;
  try {
    raw = await readRegularFile(machine.fs, statePaths(machine).journal, { code: 'invalid-machine', what: "The tool's journal", maxBytes: READ_LIMITS.json });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw err;
  }
  try {
    const parsed = journalSchema.safeParse(JSON.parse(raw.toString('utf8')));
    // An install or restore names the kernel it puts in place: without it recovery can neither
    // finish nor check the operation, so such a journal is as unreadable as a torn one.
    const j = parsed.success ? parsed.data : null;
    if (j && (j.op === 'install' || j.op === 'restore-rollback') && (!j.payload || (j.op === 'install' && !j.installCase))) {
      return { kind: 'corrupt', reason: `${j.op} journal without its kernel` };
    }
    if (parsed.success) return { kind: 'ok', journal: parsed.data };
    return { kind: 'corrupt', reason: parsed.error.issues[0]?.message ?? 'invalid' };
  } catch {
    return { kind: 'corrupt', reason: 'not JSON' };
  }
}

/** Durably record the journal (temp + flush + rename + folder flush) before the step it announces. */
export function writeJournal(machine: Machine, journal: Journal, failpointPrefix: string): Promise<void> {
  return timed('state.journal-write', async () => {
    await machine.fs.mkdir(statePaths(machine).dir);
    await writeFileAtomic(machine.fs, statePaths(machine).journal, Buffer.from(JSON.stringify(journal)), failpointPrefix);
  });
}

/**
 * Remove the journal: the operation is complete. A failure to flush the folder afterwards is not
 * the operation's failure: every step is done, and if the removal is lost with the power, recovery
 * finishes the operation again (its completion is idempotent). Treating it as one made the command
 * undo its steps after the journal was gone, half-way when the undo failed too (docs/design.md §6.1).
 */
export function clearJournal(machine: Machine): Promise<void> {
  return timed('state.journal-clear', async () => {
    try {
      await machine.fs.unlink(statePaths(machine).journal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await machine.fs.syncDir(statePaths(machine).dir).catch(() => undefined);
  });
}
