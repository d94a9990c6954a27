/**
 * Crash matrix (docs/design.md §6): for every operation and every failpoint
 * it reaches, SIGKILL the real CLI there, run recovery (`status`), and also kill recovery itself at
 * each of its own failpoints and recover again. After each: the invariants of docs/design.md §6.
 *
 * Failpoints are not listed here: each operation's are enumerated from a traced clean run, and
 * recovery's from the traced recovery after each crash. `--full` kills recovery at every one of its
 * failpoints after every crash point; the default (bounded) kills it once at each failpoint recovery
 * reaches in the whole matrix (after the first crash point that leads there).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCli, occurrences, pool, runCli } from '../helpers/cli';
import type { CliRun } from '../helpers/cli';
import { checkInvariants } from '../helpers/invariants';
import { makeSeedKernels } from '../helpers/kernels';
import { scratch } from '../helpers/paths';
import { progress, runSuite } from '../helpers/report';
import { Templates, cliEnv, selectedOperations } from '../helpers/scenarios';
import type { Operation } from '../helpers/scenarios';
import type { Snapshot } from '../helpers/snapshot';
import { takeSnapshot } from '../helpers/snapshot';

interface CaseResult {
  violations: string[];
  recoveryTrace: string[];
  processes: number;
}

const machineArgs = (dir: string) => ['--machine', dir, '--json'];

function expectKilled(run: CliRun, where: string, out: string[]): void {
  if (run.signal !== 'SIGKILL') out.push(`${where}: expected the failpoint to kill the process, got exit ${run.code} (${run.json?.code ?? 'no JSON'})`);
}

function expectRecovered(run: CliRun, where: string, out: string[]): void {
  if (run.signal || run.code !== 0 || !run.json?.ok) out.push(`${where}: recovery (status) failed: exit ${run.code ?? run.signal}, ${run.json?.code ?? ''} ${run.json?.message ?? run.stderr.slice(0, 300)}`);
}

async function runCase(
  op: Operation,
  ctx: { templates: Templates; argv: string[]; env: Record<string, string>; before: Snapshot; after: Snapshot[]; work: string },
  index: number,
  failpoint: string,
  recoveryFailpoint: string | null,
): Promise<CaseResult> {
  const where = `${op.id} @ ${failpoint}${recoveryFailpoint ? ` → recovery @ ${recoveryFailpoint}` : ''}`;
  const dir = join(ctx.work, `${op.id}-${index}`);
  await ctx.templates.copy(op.start, dir);
  const violations: string[] = [];
  let processes = 0;
  const crashed = await runCli([...ctx.argv, ...machineArgs(dir)], { failpoint, env: ctx.env });
  processes++;
  expectKilled(crashed, where, violations);
  // What holds at every instant, before any recovery: WSL can boot, no bad version in kernel.rollback.
  for (const v of await checkInvariants(dir, { before: ctx.before, phase: 'instant' })) violations.push(`${where} (before recovery): ${v}`);
  if (recoveryFailpoint) {
    const killedRecovery = await runCli(['status', ...machineArgs(dir)], { failpoint: recoveryFailpoint, env: ctx.env });
    processes++;
    expectKilled(killedRecovery, where, violations);
    for (const v of await checkInvariants(dir, { before: ctx.before, phase: 'instant' })) violations.push(`${where} (recovery killed): ${v}`);
  }
  const recovery = await runCli(['status', ...machineArgs(dir)], { env: ctx.env });
  processes++;
  expectRecovered(recovery, where, violations);
  for (const v of await checkInvariants(dir, { before: ctx.before, after: ctx.after, ignoreWslRuntime: op.wslRuntime === true })) violations.push(`${where}: ${v}`);
  await rm(dir, { recursive: true, force: true });
  return { violations, recoveryTrace: occurrences(recovery.trace), processes };
}

runSuite('crash-matrix', async (args) => {
  buildCli();
  const { dir, cleanup } = await scratch('crash');
  const violations: string[] = [];
  const metrics = { operations: 0, failpoints: 0, recoveryKills: 0, cases: 0, processes: 0 };
  const perOp: string[] = [];
  // Bounded: each of recovery's failpoints is killed once in the whole matrix (the core operations
  // come first, so a repair adds the recovery paths only it has).
  const seen = new Set<string>();
  try {
    await mkdir(join(dir, 'kernels'));
    const kernels = await makeSeedKernels(join(dir, 'kernels'), 1 << 20);
    const templates = new Templates(dir, kernels);
    for (const op of selectedOperations(undefined, { boot: true })) {
      const argv = op.cli(kernels);
      const env = cliEnv(op, kernels);
      const template = await templates.template(op.start);
      const before = await takeSnapshot(template);
      // The "after" state: the same operation on a copy, run to completion (with the trace on).
      const afterDir = join(dir, `${op.id}-after`);
      await templates.copy(op.start, afterDir);
      const clean = await runCli([...argv, ...machineArgs(afterDir)], { env });
      metrics.processes++;
      if (!clean.json || (clean.json.code ?? undefined) !== op.expectCode) {
        violations.push(`${op.id}: the uninterrupted run ended with ${clean.json?.code ?? 'no result'} (expected ${op.expectCode ?? 'success'}): ${clean.json?.message ?? clean.stderr.slice(0, 300)}`);
        continue;
      }
      const after = [await takeSnapshot(afterDir)];
      // An operation made of several journaled ones may end, after a kill, at one of their durable results.
      for (const [i, steps] of (op.intermediate?.(kernels) ?? []).entries()) {
        const stepDir = join(dir, `${op.id}-step-${i}`);
        await templates.copy(op.start, stepDir);
        const r = await runCli([...steps, ...machineArgs(stepDir)], { env });
        metrics.processes++;
        if (!r.json?.ok) violations.push(`${op.id}: its step ${steps.join(' ')} failed: ${r.json?.code}`);
        after.push(await takeSnapshot(stepDir));
      }
      for (const v of await checkInvariants(afterDir, { before, after, ignoreWslRuntime: op.wslRuntime === true })) violations.push(`${op.id} (uninterrupted): ${v}`);
      const points = occurrences(clean.trace);
      const ctx = { templates, argv, env, before, after, work: join(dir, 'cases') };
      await mkdir(ctx.work, { recursive: true });
      progress(`crash-matrix: ${op.id}: ${points.length} failpoints`);
      const first = await pool(points, args.parallel, (fp, i) => runCase(op, ctx, i, fp, null));
      // Recovery's own failpoints, per crash point (lock.acquired in status is before recovery starts).
      const pairs: [string, string][] = [];
      first.forEach((r, i) => {
        for (const y of r.recoveryTrace) {
          if (y.startsWith('lock.acquired@')) continue;
          const key = y;
          if (!args.full && seen.has(key)) continue;
          seen.add(key);
          pairs.push([points[i]!, y]);
        }
      });
      progress(`crash-matrix: ${op.id}: ${pairs.length} recovery kill cases`);
      const second = await pool(pairs, args.parallel, ([x, y], i) => runCase(op, ctx, points.length + i, x, y));
      for (const r of [...first, ...second]) {
        violations.push(...r.violations);
        metrics.processes += r.processes;
      }
      metrics.operations++;
      metrics.failpoints += points.length;
      metrics.recoveryKills += pairs.length;
      metrics.cases += points.length + pairs.length;
      perOp.push(`${op.id}: ${points.length} failpoints, ${pairs.length} recovery kills`);
    }
  } finally {
    await cleanup();
  }
  return { metrics, violations, notes: perOp };
});
