/**
 * Crash matrix for the store-WSL operations (docs/design.md §11): for every failpoint an
 * operation reaches (enumerated from a traced clean run), SIGKILL the real CLI there, then check
 * before any recovery that the user's `.wslconfig`, as WSL reads it, names an existing kernel
 * (or none); then run `status` (recovery) and the operation again, and compare with a clean run.
 */
import { cp, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPath } from '../../src/main/engine/wsl/host-path';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import { decodeWslConfig, parseWslConfig } from '../../src/main/engine/wslconfig';
import { readKernelHeader } from '../../src/main/engine/kernel/kernel-image';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { buildCli, occurrences, pool, runCli } from '../helpers/cli';
import { kernel, tempDir } from '../helpers/sandbox';
import { initSandbox } from '../../src/main/engine/sandbox/presets';

let work: { dir: string; cleanup(): Promise<void> };
let A: string, B: string;
beforeAll(async () => {
  buildCli();
  work = await tempDir('wslk-store-crash-');
  A = await kernel(work.dir, '6.6.40.1');
  B = await kernel(work.dir, '6.6.50.1');
}, 300_000);
afterAll(() => work.cleanup());

const args = (dir: string, ...a: string[]) => [...a, '--machine', dir, '--json'];

/** What WSL reads for alice's kernel=, and whether that file exists and is a kernel. */
async function wslconfigInvariant(dir: string): Promise<string | null> {
  const machine = await openSandbox(dir);
  const bytes = await readFile(join(dir, 'Users', 'alice', '.wslconfig')).catch(() => null);
  if (!bytes) return null;
  const kernelPath = parseWslConfig(decodeWslConfig(bytes).text).effective.get('wsl2.kernel')?.value;
  if (!kernelPath) return null;
  const host = hostPath(machine, kernelPath);
  if (!host || !(await stat(host).catch(() => null))) return `.wslconfig names ${kernelPath}, which does not exist`;
  try {
    await readKernelHeader(nodeFs, host);
  } catch (err) {
    return `.wslconfig names ${kernelPath}, which is not a complete kernel: ${(err as Error).message}`;
  }
  return null;
}

async function outcome(dir: string) {
  const s = (await runCli(args(dir, 'status'))).json?.status;
  const cfg = await readFile(join(dir, 'Users', 'alice', '.wslconfig')).catch(() => null);
  return {
    slots: [s?.storeSlots?.kernel, s?.storeSlots?.rollbackKernel].map((k) => (k?.present ? k.version : null)),
    rollbackActive: s?.storeSlots?.rollbackActive,
    boots: s?.boot?.kernel.present ? s.boot.kernel.version : null,
    source: s?.boot?.source,
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
];
const sub = (a: string[]) => a.map((x) => (x === '@A' ? A : x === '@B' ? B : x));

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
        const v = await wslconfigInvariant(dir);
        if (v) violations.push(`${fp} (before recovery): ${v}`);
        // Recovery (status): afterwards WSL boots the slot the store flag selects.
        const st = (await runCli(args(dir, 'status'))).json?.status;
        if (st?.boot?.toolOwned) {
          const want = st.storeSlots?.rollbackActive ? st.storeSlots.rollbackKernel : st?.storeSlots?.kernel;
          const boots = st.boot.kernel.present ? st.boot.kernel.version : null;
          if (!want?.present || want.version !== boots) violations.push(`${fp} (after status): boots ${boots}, the store flag selects ${want?.present ? want.version : 'nothing'}`);
        }
        const again = await runCli(args(dir, ...sub(op.argv)));
        const okAgain = again.json?.ok || ['not-rolled-back', 'already-rolled-back', ...(op.id === 'fix-line' ? ['fix-not-applicable'] : [])].includes(again.json?.code ?? '');
        if (!okAgain) violations.push(`${fp}: rerun failed: ${again.json?.code} ${again.json?.message}`);
        const v2 = await wslconfigInvariant(dir);
        if (v2) violations.push(`${fp} (after rerun): ${v2}`);
        const got = await outcome(dir);
        if (JSON.stringify(got) !== JSON.stringify(expected)) violations.push(`${fp}: after rerun ${JSON.stringify(got)} != clean ${JSON.stringify(expected)}`);
        await rm(dir, { recursive: true, force: true });
      });
      expect(violations).toEqual([]);
    }, 600_000);
  }
});
