/**
 * Power loss on store WSL (docs/design.md §11.4–§11.5): each store operation runs in-process on a
 * file system that tracks what was flushed; the power is cut at every call in turn and the folder
 * rewritten to what a disk would hold (unflushed data lost or torn, unflushed renames, links and
 * unlinks undone; new folders are taken as durable, test/helpers/power-loss-fs.ts). Then, before any recovery, the user's `.wslconfig` must name a complete
 * kernel and disk or none (invariant W); after `status`, WSL boots the slot the flag selects with
 * its own disk, and running the operation again gives the uninterrupted run's outcome.
 */
import { copyFile, cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../src/shared/types';
import { Engine } from '../../src/main/engine/engine';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { initSandbox } from '../../src/main/engine/sandbox/presets';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import { pool } from '../helpers/cli';
import { withoutFlush } from '../helpers/fault-fs';
import { PowerLossFs, type CrashMode } from '../helpers/power-loss-fs';
import { kernel, tempDir } from '../helpers/sandbox';
import { bootModulesOf, bootProblems, sha256Of, wslconfigOf, wslconfigProblems } from '../helpers/store-checks';
import { fixedVhd } from '../helpers/wsl-packages';

const MODES: CrashMode[] = ['lose', 'torn'];
const fast = withoutFlush(nodeFs);
const USER_TEXT = '# mine\r\n[wsl2]\r\nmemory=8GB\r\n';

let work: { dir: string; cleanup(): Promise<void> };
let MA: string, MB: string;
beforeAll(async () => {
  work = await tempDir('wslk-store-power-');
  const folder = async (version: string, size: number) => {
    const dir = join(work.dir, `with-disk-${version}`);
    await mkdir(dir);
    await copyFile(await kernel(work.dir, version), join(dir, 'kernel'));
    await writeFile(join(dir, 'modules.vhd'), fixedVhd(size));
    return dir;
  };
  MA = await folder('6.6.40.1', 128 * 1024);
  MB = await folder('6.6.50.1', 192 * 1024);
}, 120_000);
afterAll(() => work.cleanup());

interface Op {
  id: string;
  preset: string;
  setup: (e: Engine) => Promise<unknown>;
  run: (e: Engine) => Promise<CommandResult>;
}
const OPS: Op[] = [
  { id: 'first install with a disk', preset: 'store-fresh', setup: async () => undefined, run: (e) => e.install({ payload: MA }) },
  { id: 'update, disk to disk', preset: 'store-fresh', setup: (e) => e.install({ payload: MA }), run: (e) => e.install({ payload: MB }) },
  { id: 'rollback', preset: 'store-fresh', setup: async (e) => (await e.install({ payload: MA }), e.install({ payload: MB })), run: (e) => e.rollback() },
  { id: 'use-default', preset: 'store-fresh', setup: (e) => e.install({ payload: MA }), run: (e) => e.useDefault({}) },
];

async function outcome(dir: string) {
  const st = (await new Engine(await openSandbox(dir)).status()).status;
  return {
    slots: [st?.storeSlots?.kernel, st?.storeSlots?.rollbackKernel].map((k) => (k?.present ? k.version : null)),
    rollbackActive: st?.storeSlots?.rollbackActive,
    modules: st?.storeSlots?.modules,
    boots: st?.boot?.kernel.present ? st.boot.kernel.version : null,
    attached: await sha256Of(bootModulesOf(dir)).catch(() => null),
    wslconfig: await sha256Of(wslconfigOf(dir)).catch(() => null),
  };
}

describe('store WSL under power loss', () => {
  for (const op of OPS) {
    it(`${op.id}: cut at every file-system call, lost or torn`, async () => {
      const template = join(work.dir, `template-${op.id.replace(/\W+/g, '-')}`);
      await initSandbox(template, op.preset);
      await writeFile(wslconfigOf(template), USER_TEXT);
      await op.setup(new Engine(await openSandbox(template)));
      // The machine as every command finds it: one status first.
      await new Engine(await openSandbox(template)).status();
      // The uninterrupted run, counted through the model.
      const clean = join(work.dir, `clean-${op.id.replace(/\W+/g, '-')}`);
      await cp(template, clean, { recursive: true });
      const counter = await new PowerLossFs(fast, clean).init();
      const done = await op.run(new Engine(await openSandbox(clean, counter)));
      expect(done.ok, done.message).toBe(true);
      const expected = await outcome(clean);
      const kinds = [...counter.calls];
      const points = kinds.map((_, i) => i + 1).filter((n) => n === 1 || PowerLossFs.isMutating(kinds[n - 2]!));
      expect(points.length).toBeGreaterThan(10);
      const violations: string[] = [];
      const cases = points.flatMap((n) => MODES.map((mode) => ({ n, mode })));
      await pool(cases, 4, async ({ n, mode }, i) => {
        const where = `power lost at call ${n}/${kinds.length} (${kinds[n - 1]}), ${mode}`;
        const root = join(work.dir, `case-${op.id.replace(/\W+/g, '-')}-${i}`);
        await cp(template, root, { recursive: true });
        const pl = await new PowerLossFs(fast, root).init();
        pl.crashAt = n;
        try {
          await op.run(new Engine(await openSandbox(root, pl)));
        } catch {
          /* opening the machine itself may be what lost power */
        }
        await pl.materialize(mode);
        for (const v of await wslconfigProblems(root, { ownLines: ['# mine', 'memory=8GB'] })) violations.push(`${where} (before recovery): ${v}`);
        const st = await new Engine(await openSandbox(root)).status();
        if (!st.ok) violations.push(`${where}: recovery failed: ${st.code} ${st.message}`);
        for (const v of await bootProblems(root, st.status)) violations.push(`${where} (after status): ${v}`);
        const again = await op.run(new Engine(await openSandbox(root)));
        if (!again.ok && !['already-rolled-back'].includes(again.code ?? '')) violations.push(`${where}: rerun failed: ${again.code} ${again.message}`);
        const got = await outcome(root);
        if (JSON.stringify(got) !== JSON.stringify(expected)) violations.push(`${where}: after rerun ${JSON.stringify(got)} != clean ${JSON.stringify(expected)}`);
        await rm(root, { recursive: true, force: true });
      });
      expect(violations).toEqual([]);
    }, 600_000);
  }
});
