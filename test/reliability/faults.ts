/**
 * Fault injection: make each file-system and registry call of each operation fail
 * in turn with ENOSPC, EIO, EPERM, EBUSY and EACCES — once, or from then on — and check that every
 * failure ends in a clean before-or-after state (after the engine's own cleanup, plus recovery on
 * the next command when it left a journal) with the specific error code, and that a transient lock
 * on a rename (fails twice, then succeeds) is ridden out by the bounded retry.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandResult } from '../../src/shared/types';
import { Engine } from '../../src/main/engine/engine';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import { ERRNOS, FS_KINDS, FaultPlan, REG_KINDS, faultFs, faultRegistry, withoutFlush } from '../helpers/fault-fs';
import type { CallKind, Errno, Fault } from '../helpers/fault-fs';
import { checkInvariants } from '../helpers/invariants';
import { makeSeedKernels } from '../helpers/kernels';
import type { SeedKernels } from '../helpers/kernels';
import { scratch } from '../helpers/paths';
import { pool } from '../helpers/cli';
import { progress, runSuite } from '../helpers/report';
import { Templates, engineFor, selectedOperations } from '../helpers/scenarios';
import type { Operation } from '../helpers/scenarios';
import type { Snapshot } from '../helpers/snapshot';
import { stateDirOf, takeSnapshot } from '../helpers/snapshot';

// The bounded retry of renames waits 25 ms … 800 ms between attempts; the attempts are what is
// tested here, not the waiting, so timers fire at once in this process.
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, _ms?: number, ...args: unknown[]) => realSetTimeout(fn, 0, ...args)) as typeof setTimeout;

const fast = withoutFlush(nodeFs);

/** The codes a failure with this errno may end in (docs/design.md §7; machine/fs-errors.ts mapFsError). */
const ALLOWED: Record<Errno, string[]> = {
  ENOSPC: ['insufficient-disk-space'],
  EIO: ['io-error'],
  EBUSY: ['file-locked'],
  EPERM: ['access-denied', 'file-locked'],
  EACCES: ['access-denied', 'file-locked'],
};

const MUTATING: CallKind[] = ['open', 'write', 'sync', 'close', 'rename', 'link', 'unlink', 'mkdir', 'syncDir', 'setValue', 'deleteValue'];

interface Ctx {
  op: Operation;
  kernels: SeedKernels;
  templates: Templates;
  before: Snapshot;
  after: Snapshot;
}

/** Run the operation on a fresh copy in `work` with these faults; returns the result, or the error it threw. */
async function runWith(ctx: Ctx, work: string, plan: FaultPlan): Promise<CommandResult | Error> {
  await ctx.templates.copy(ctx.op.start, work);
  try {
    const machine = await openSandbox(work, faultFs(fast, plan));
    machine.registry = faultRegistry(machine.registry, plan);
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<Error>((resolve) => (timer = realSetTimeout(() => resolve(new Error('did not finish within 30 s (hang)')), 30_000)));
    try {
      return await Promise.race([ctx.op.run(engineFor(machine, ctx.op, ctx.kernels), ctx.kernels), hang]);
    } finally {
      clearTimeout(timer);
    }
  } catch (err) {
    return err as Error;
  }
}

async function journalLeft(root: string): Promise<boolean> {
  return !!(await nodeFs.stat(join(stateDirOf(root), 'journal.json')));
}

/** One fault case: the result's code, then the state now and after the next command. */
interface Stats {
  cases: number;
  absorbed: number;
  failed: number;
  failedBeforeEngine: number;
  journalLeft: number;
}

async function faultCase(ctx: Ctx, work: string, fault: Fault, out: string[], stats: Stats): Promise<void> {
  const where = `${ctx.op.id}: ${fault.kind} #${fault.nth} ${fault.errno}${fault.repeat === 'sticky' ? ' (from then on)' : ''}`;
  const plan = new FaultPlan([fault]);
  const r = await runWith(ctx, work, plan);
  if (plan.log.injected === 0) return rm(work, { recursive: true, force: true }); // not reached this time
  stats.cases++;
  if (r instanceof Error) {
    // Opening the machine failed before the engine ran: the CLI reports it; the code must still fit.
    const code = (r as { code?: string }).code ?? '';
    if (r.message.includes('(hang)')) out.push(`${where}: ${r.message}`);
    else if (!ALLOWED[fault.errno].includes(code) && !('errno' in r)) out.push(`${where}: threw ${r.message.slice(0, 200)}`);
    stats.failedBeforeEngine++;
  } else if (r.ok) {
    stats.absorbed++;
  } else {
    stats.failed++;
    // A leftover lock of an earlier operation that cannot be moved aside is reported as that
    // operation not having let go (state/lock.ts).
    const onLock = plan.log.calls.some((c) => c.failed && c.path.includes('operation.lock'));
    const allowed = onLock ? [...ALLOWED[fault.errno], 'operation-in-progress'] : ALLOWED[fault.errno];
    if (!r.code || !allowed.includes(r.code)) out.push(`${where}: failed with ${r.code} (${r.message.slice(0, 160)}), expected ${allowed.join(' or ')}`);
  }
  if (!(await journalLeft(work))) {
    // No journal: the engine's own cleanup must already have left a clean before-or-after state.
    for (const v of await checkInvariants(work, { before: ctx.before, after: ctx.after })) out.push(`${where} (after the failed command): ${v}`);
  } else {
    stats.journalLeft++;
  }
  const next = await new Engine(await openSandbox(work)).status();
  if (!next.ok) out.push(`${where}: the next command failed: ${next.code} ${next.message}`);
  for (const v of await checkInvariants(work, { before: ctx.before, after: ctx.after })) out.push(`${where} (after the next command): ${v}`);
  await rm(work, { recursive: true, force: true });
}

/** In-process cases wait on the file system far more than they compute: run a few at once. */
const CONCURRENCY = 6;

runSuite('faults', async (args) => {
  const { dir, cleanup } = await scratch('faults');
  const violations: string[] = [];
  const stats = { operations: 0, calls: 0, cases: 0, absorbed: 0, failed: 0, failedBeforeEngine: 0, journalLeft: 0, transientRenames: 0 };
  const notes: string[] = [];
  try {
    await mkdir(join(dir, 'kernels'));
    const kernels = await makeSeedKernels(join(dir, 'kernels'), 192 * 1024);
    const templates = new Templates(dir, kernels);
    for (const op of selectedOperations(args.shard)) {
      const work = join(dir, 'case');
      const before = await takeSnapshot(await templates.template(op.start));
      await templates.copy(op.start, work);
      const clean = await op.run(engineFor(await openSandbox(work), op, kernels), kernels);
      if (!clean.ok) {
        violations.push(`${op.id}: the uninterrupted run failed: ${clean.code} ${clean.message}`);
        continue;
      }
      const after = await takeSnapshot(work);
      const ctx: Ctx = { op, kernels, templates, before, after };
      const counting = new FaultPlan([]);
      await runWith(ctx, work, counting);
      const counts = new Map<CallKind, number>();
      for (const kind of [...FS_KINDS, ...REG_KINDS]) counts.set(kind, counting.log.count(kind));
      stats.calls += counting.log.calls.length;
      const faults: Fault[] = [];
      let k = 0;
      for (const [kind, count] of counts) {
        k++;
        for (let nth = 1; nth <= count; nth++) {
          // Full: every call with every errno, once and from then on (where it writes). Bounded: every
          // call that writes once (the five errnos in turn) and from then on; every other read.
          if (!args.full && !MUTATING.includes(kind) && nth % 2 === 0 && nth !== count) continue;
          const errnos = args.full ? ERRNOS : [ERRNOS[(nth + k) % ERRNOS.length]!];
          for (const errno of errnos) {
            faults.push({ kind, nth, errno });
            if (MUTATING.includes(kind)) faults.push({ kind, nth, errno: args.full ? errno : ERRNOS[(nth + k + 2) % ERRNOS.length]!, repeat: 'sticky' });
          }
        }
      }
      const before0 = stats.cases;
      await pool(faults, CONCURRENCY, (fault, i) => faultCase(ctx, join(dir, 'cases', `${op.id}-${i}`), fault, violations, stats));
      // A transient lock on any rename (antivirus, WSL reading the kernel) is ridden out.
      const transients = Array.from({ length: counts.get('rename') ?? 0 }, (_, i) => i + 1).flatMap((nth) => (['EBUSY', 'EPERM'] as const).map((errno) => ({ nth, errno })));
      await pool(transients, CONCURRENCY, async ({ nth, errno }, i) => {
        const caseDir = join(dir, 'cases', `${op.id}-t${i}`);
        const plan = new FaultPlan([{ kind: 'rename', nth, errno, repeat: 2 }]);
        const r = await runWith(ctx, caseDir, plan);
        stats.transientRenames++;
        const target = plan.log.calls.find((c) => c.failed)?.path ?? '?';
        if (r instanceof Error || !r.ok) {
          violations.push(`${op.id}: rename #${nth} (${target}) failing twice with ${errno} then succeeding: ${r instanceof Error ? r.message : `${r.code} ${r.message}`}`);
        } else {
          for (const v of await checkInvariants(caseDir, { before, after })) violations.push(`${op.id}: transient ${errno} on rename #${nth}: ${v}`);
        }
        await rm(caseDir, { recursive: true, force: true });
      });
      stats.operations++;
      notes.push(`${op.id}: ${counting.log.calls.length} calls, ${stats.cases - before0} fault cases`);
      progress(`faults: ${op.id}: ${counting.log.calls.length} calls, ${stats.cases - before0} fault cases`);
      await rm(work, { recursive: true, force: true });
    }
  } finally {
    await cleanup();
  }
  return { metrics: stats, violations, notes };
});
