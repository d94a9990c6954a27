/**
 * Crash matrix for the store-WSL operations (docs/design.md §11): for every failpoint an
 * operation reaches (enumerated from a traced clean run), SIGKILL the real CLI there, then check
 * before any recovery that the user's `.wslconfig`, as WSL reads it, names an existing kernel
 * (or none) and an existing modules disk (or none); then run `status` (recovery: the boot paths
 * are the slot that boots and its kernel's disk) and the operation again, and compare with a clean run.
 */
import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, occurrences, pool, runCli } from '../helpers/cli';
import { kernel, tempDir } from '../helpers/sandbox';
import { initSandbox } from '../../src/main/engine/sandbox/presets';
import { fixedVhd } from '../helpers/wsl-packages';
import { bootModulesOf, bootProblems, sha256Of, wslconfigProblems } from '../helpers/store-checks';

let work: { dir: string; cleanup(): Promise<void> };
let A: string, B: string, MA: string, MB: string;
/** A payload folder: the kernel and its modules disk. */
async function withDisk(kernelPath: string, name: string, size: number): Promise<string> {
  const dir = join(work.dir, name);
  await mkdir(dir);
  await copyFile(kernelPath, join(dir, 'kernel'));
  await writeFile(join(dir, 'modules.vhd'), fixedVhd(size));
  return dir;
}
beforeAll(async () => {
  buildCli();
  work = await tempDir('wslk-store-crash-');
  A = await kernel(work.dir, '6.6.40.1');
  B = await kernel(work.dir, '6.6.50.1');
  MA = await withDisk(A, 'A-with-modules', 256 * 1024);
  MB = await withDisk(B, 'B-with-modules', 320 * 1024);
}, 300_000);
afterAll(() => work.cleanup());

const args = (dir: string, ...a: string[]) => [...a, '--machine', dir, '--json'];


async function outcome(dir: string) {
  const s = (await runCli(args(dir, 'status'))).json?.status;
  const cfg = await readFile(join(dir, 'Users', 'alice', '.wslconfig')).catch(() => null);
  return {
    slots: [s?.storeSlots?.kernel, s?.storeSlots?.rollbackKernel].map((k) => (k?.present ? k.version : null)),
    rollbackActive: s?.storeSlots?.rollbackActive,
    boots: s?.boot?.kernel.present ? s.boot.kernel.version : null,
    source: s?.boot?.source,
    modules: s?.storeSlots?.modules ?? null,
    bootModules: await sha256Of(bootModulesOf(dir)).catch(() => null),
    wslconfig: cfg?.toString('base64') ?? null,
  };
}

interface Op {
  id: string;
  preset: string;
  setup: string[][];
  argv: string[];
}
const OPS: Op[] = [
  { id: 'first-install', preset: 'store-fresh', setup: [], argv: ['install', '--payload', '@A'] },
  { id: 'take-over', preset: 'store-custom', setup: [], argv: ['install', '--payload', '@A', '--take-over'] },
  { id: 'update', preset: 'store-fresh', setup: [['install', '--payload', '@A']], argv: ['install', '--payload', '@B'] },
  { id: 'rollback', preset: 'store-fresh', setup: [['install', '--payload', '@A'], ['install', '--payload', '@B']], argv: ['rollback'] },
  { id: 'undo', preset: 'store-fresh', setup: [['install', '--payload', '@A'], ['install', '--payload', '@B'], ['rollback']], argv: ['undo-rollback'] },
  { id: 'use-default', preset: 'store-custom', setup: [['install', '--payload', '@A', '--take-over']], argv: ['use-default'] },
  // The repair fix that rewrites the user's own kernel= line (single backslashes): done once, it no longer applies.
  { id: 'fix-line', preset: 'store-bad-escape', setup: [], argv: ['repair', '--fix', 'wslconfig-fix-line'] },
  // Kernels with their modules disks: the disk is kept, both boot paths switch, .wslconfig gains kernelModules=.
  { id: 'modules-first-install', preset: 'store-fresh', setup: [], argv: ['install', '--payload', '@MA'] },
  { id: 'modules-added', preset: 'store-fresh', setup: [['install', '--payload', '@A']], argv: ['install', '--payload', '@MB'] },
  { id: 'modules-update', preset: 'store-fresh', setup: [['install', '--payload', '@MA']], argv: ['install', '--payload', '@MB'] },
  { id: 'modules-rollback', preset: 'store-fresh', setup: [['install', '--payload', '@MA'], ['install', '--payload', '@MB']], argv: ['rollback'] },
  { id: 'modules-undo', preset: 'store-fresh', setup: [['install', '--payload', '@MA'], ['install', '--payload', '@MB'], ['rollback']], argv: ['undo-rollback'] },
];
const PAYLOADS: Record<string, () => string> = { '@A': () => A, '@B': () => B, '@MA': () => MA, '@MB': () => MB };
const sub = (a: string[]) => a.map((x) => PAYLOADS[x]?.() ?? x);

describe('store WSL crash matrix', () => {
  for (const op of OPS) {
    it(`${op.id}: killed at every failpoint, .wslconfig never names a missing kernel; recovery + rerun = clean run`, async () => {
      const template = join(work.dir, `${op.id}-template`);
      await initSandbox(template, op.preset);
      for (const s of op.setup) expect((await runCli(args(template, ...sub(s)))).json?.ok).toBe(true);
      const clean = join(work.dir, `${op.id}-clean`);
      await cp(template, clean, { recursive: true });
      const traced = await runCli(args(clean, ...sub(op.argv)));
      expect(traced.json?.ok, traced.json?.message).toBe(true);
      const expected = await outcome(clean);
      const points = occurrences(traced.trace).filter((p) => !p.startsWith('lock.'));
      expect(points.length).toBeGreaterThanOrEqual(2);
      const violations: string[] = [];
      await pool(points, 2, async (fp, i) => {
        const dir = join(work.dir, `${op.id}-${i}`);
        await cp(template, dir, { recursive: true });
        const run = await runCli(args(dir, ...sub(op.argv)), { failpoint: fp });
        if (run.signal !== 'SIGKILL') violations.push(`${fp}: not killed (exit ${run.code})`);
        for (const v of await wslconfigProblems(dir)) violations.push(`${fp} (before recovery): ${v}`);
        // Recovery (status): afterwards WSL boots the slot the store flag selects, with its kernel's disk.
        const st = (await runCli(args(dir, 'status'))).json?.status;
        for (const v of await bootProblems(dir, st)) violations.push(`${fp} (after status): ${v}`);
        const again = await runCli(args(dir, ...sub(op.argv)));
        const okAgain = again.json?.ok || ['not-rolled-back', 'already-rolled-back', ...(op.id === 'fix-line' ? ['fix-not-applicable'] : [])].includes(again.json?.code ?? '');
        if (!okAgain) violations.push(`${fp}: rerun failed: ${again.json?.code} ${again.json?.message}`);
        for (const v of await wslconfigProblems(dir)) violations.push(`${fp} (after rerun): ${v}`);
        const got = await outcome(dir);
        if (JSON.stringify(got) !== JSON.stringify(expected)) violations.push(`${fp}: after rerun ${JSON.stringify(got)} != clean ${JSON.stringify(expected)}`);
        await rm(dir, { recursive: true, force: true });
      });
      expect(violations).toEqual([]);
    }, 600_000);
  }
});
