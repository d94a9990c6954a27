/**
 * Power-loss model: run each operation in-process on a file system that tracks
 * what was flushed, cut the power at every call in turn, rewrite the folder to what would have
 * survived (unflushed data lost or torn, unflushed renames/links/unlinks undone), then recover
 * with a normal file system and check the invariants of docs/design.md §6.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Engine } from '../../src/main/engine/engine';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import { checkInvariants } from '../helpers/invariants';
import { makeSeedKernels } from '../helpers/kernels';
import { scratch } from '../helpers/paths';
import { withoutFlush } from '../helpers/fault-fs';
import { PowerLossFs } from '../helpers/power-loss-fs';
import type { CrashMode } from '../helpers/power-loss-fs';
import { pool } from '../helpers/cli';
import { progress, runSuite } from '../helpers/report';
import { Templates, engineFor, selectedOperations } from '../helpers/scenarios';
import { takeSnapshot } from '../helpers/snapshot';

const MODES: CrashMode[] = ['lose', 'torn'];
const fast = withoutFlush(nodeFs);

runSuite('power-loss', async (args) => {
  const { dir, cleanup } = await scratch('power');
  const violations: string[] = [];
  const metrics = { operations: 0, fsCalls: 0, crashStates: 0, crashes: 0, lostEntries: 0, tornFiles: 0 };
  const notes: string[] = [];
  try {
    await mkdir(join(dir, 'kernels'));
    const kernels = await makeSeedKernels(join(dir, 'kernels'), 192 * 1024);
    const templates = new Templates(dir, kernels);
    const work = join(dir, 'case');
    for (const op of selectedOperations(args.shard)) {
      const before = await takeSnapshot(await templates.template(op.start));
      await templates.copy(op.start, work);
      const clean = await op.run(engineFor(await openSandbox(work), op, kernels), kernels);
      if (!clean.ok) {
        violations.push(`${op.id}: the uninterrupted run failed: ${clean.code} ${clean.message}`);
        continue;
      }
      const after = await takeSnapshot(work);
      // Count the calls of an uninterrupted run through the model.
      await templates.copy(op.start, work);
      const counter = await new PowerLossFs(fast, work).init();
      await op.run(engineFor(await openSandbox(work, counter), op, kernels), kernels);
      const kinds = [...counter.calls];
      // Crashing at call n leaves what calls 1..n-1 did: after a read it equals crashing one call earlier.
      const points = kinds.map((_, i) => i + 1).filter((n) => n === 1 || PowerLossFs.isMutating(kinds[n - 2]!));
      const states = points.length;
      const cases = points.flatMap((n) => MODES.map((mode) => ({ n, mode })));
      // The cases wait on the file system more than they compute: a few at a time.
      await pool(cases, 4, async ({ n, mode }, i) => {
        const where = `${op.id}: power lost at call ${n}/${kinds.length} (${kinds[n - 1]}), ${mode}`;
        const root = join(dir, 'cases', `${op.id}-${i}`);
        await templates.copy(op.start, root);
        const pl = await new PowerLossFs(fast, root).init();
        pl.crashAt = n;
        let timer: NodeJS.Timeout | undefined;
        try {
          const hang = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('hang'), 30_000)));
          const ran = await Promise.race([op.run(engineFor(await openSandbox(root, pl), op, kernels), kernels), hang]);
          if (ran === 'hang') violations.push(`${where}: the operation did not finish within 30 s after the power went`);
        } catch {
          /* opening the machine itself may be what lost power */
        } finally {
          clearTimeout(timer);
        }
        const lost = await pl.materialize(mode);
        metrics.lostEntries += lost.lostEntries;
        metrics.tornFiles += lost.tornFiles;
        metrics.crashes++;
        // After the power comes back: the next command recovers, with a normal file system.
        const recovered = await new Engine(await openSandbox(root)).status();
        if (!recovered.ok) violations.push(`${where}: recovery failed: ${recovered.code} ${recovered.message}`);
        for (const v of await checkInvariants(root, { before, after })) violations.push(`${where}: ${v}`);
        await rm(root, { recursive: true, force: true });
      });
      metrics.operations++;
      metrics.fsCalls += kinds.length;
      metrics.crashStates += states;
      notes.push(`${op.id}: ${kinds.length} fs calls, ${states} distinct crash states`);
      progress(`power-loss: ${op.id}: ${kinds.length} calls, ${states} crash states × ${MODES.length} modes`);
    }
    await rm(work, { recursive: true, force: true });
  } finally {
    await cleanup();
  }
  return { metrics, violations, notes };
});
