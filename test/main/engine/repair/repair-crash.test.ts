/**
 * Crash tests of every repair fix: the real CLI (`repair --fix X --machine DIR --json`) is killed
 * at each failpoint the fix reaches (found by a traced run), recovery runs at the next command
 * (`status`), and the machine must be exactly before or after the fix with docs/design.md §6's
 * invariants holding; the fix applied again then leaves the machine healthy.
 */
import { execFile } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine/engine';
import { openSandbox } from '../../../../src/main/engine/sandbox/sandbox-machine';
import type { CommandResult } from '../../../../src/shared/types';
import { ROOT } from '../../../helpers/sandbox';
import { HAVE_WIXL, assertInvariants, box, buildMsi, errors, writeKernel } from '../../../helpers/repair-fixtures';
import type { Box } from '../../../helpers/repair-fixtures';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  json: CommandResult | null;
  stderr: string;
}

function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'wslk.cjs'), ...args], { env: { ...process.env, ...env }, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      let json: CommandResult | null = null;
      try {
        json = JSON.parse(stdout) as CommandResult;
      } catch {
        json = null;
      }
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, json, stderr });
    });
  });
}

interface Case {
  fix: string;
  preset: string;
  /** Failpoints the traced run must reach (the named steps of this fix). */
  expect: string[];
  msi?: boolean;
}

const CASES: Case[] = [
  { fix: 'restore-rollback', preset: 'kernel-missing', expect: ['repair.restore.prepared', 'repair.restore.staged', 'repair.restore.committed', 'repair.restore.replaced', 'repair.restore.done'] },
  { fix: 'restore-rollback', preset: 'corrupt-kernel', expect: ['repair.quarantined', 'repair.restore.staged', 'repair.restore.committed'] },
  { fix: 'reinstall', preset: 'corrupt-kernel', expect: ['repair.quarantined', 'repair.reinstall.staged', 'repair.reinstall.committed', 'repair.reinstall.kernel-replaced', 'install.done'] },
  { fix: 'install-bundled', preset: 'fresh', expect: ['install.staged', 'install.committed', 'install.done'] },
  { fix: 'clear-rollback-flag', preset: 'orphan-flag', expect: ['repair.clear-flag.journaled', 'repair.clear-flag.cleared', 'repair.clear-flag.done'] },
  { fix: 'clean-temps', preset: 'leftover-temps', expect: ['repair.clean.journaled', 'repair.clean.removed', 'repair.clean.done'] },
  { fix: 'record-current', preset: 'tampered', expect: ['repair.record.state.after-temp', 'repair.record.done'] },
  { fix: 'recover', preset: 'interrupted', expect: ['recover.start', 'recover.done'] },
  { fix: 'install-from-msi', preset: 'corrupt-kernel', msi: true, expect: ['repair.msi.extracted', 'repair.reinstall.committed', 'install.done'] },
];

let work: string;
let msiPath = '';
const templates = new Map<string, Promise<Box>>();

beforeAll(async () => {
  work = await fsp.mkdtemp(join(tmpdir(), 'wslk-repair-crash-'));
  // Build the CLI bundle once, before the runs below, so no two runs rebuild it at once.
  await run(['--version'], {});
  if (HAVE_WIXL) {
    const kernel = await writeKernel(join(work, 'msi-kernel'), '6.1.21.2', { size: 1 << 20 });
    msiPath = await buildMsi(join(work, 'msi'), [{ id: 'kernel', name: 'kernel', data: await fsp.readFile(kernel) }]);
  }
});
afterAll(async () => {
  for (const b of templates.values()) await (await b).cleanup();
  await fsp.rm(work, { recursive: true, force: true });
});

/** One sandbox per preset, copied for every run (the cases run concurrently: share the promise). */
function template(preset: string): Promise<Box> {
  let b = templates.get(preset);
  if (!b) {
    b = box(preset);
    templates.set(preset, b);
  }
  return b;
}

let seq = 0;
async function copyOf(t: Box): Promise<string> {
  const dir = join(work, `m${++seq}`);
  await fsp.cp(t.root, dir, { recursive: true });
  return dir;
}

async function engine(root: string, payload: string): Promise<Engine> {
  return new Engine(await openSandbox(root), { bundledPayload: async () => payload });
}

async function diagnose(root: string, payload: string): Promise<CommandResult> {
  return (await engine(root, payload)).diagnose();
}

describe('a crash at any step of a repair leaves the machine before or after it', () => {
  for (const c of CASES) {
    const maybe = c.msi && !HAVE_WIXL ? it.skip : it.concurrent;
    maybe(`${c.fix} on ${c.preset}`, async () => {
      const t = await template(c.preset);
      const env = { WSLK_PAYLOAD: t.payload };
      const args = (root: string) => ['repair', '--fix', c.fix, ...(c.msi ? ['--from-msi', msiPath] : []), '--machine', root, '--json'];
      const before = await diagnose(await copyOf(t), t.payload);
      const beforeErrors = errors(before);

      const traced = await copyOf(t);
      const trace = await run(args(traced), { ...env, WSLK_FAILPOINT_TRACE: '1' });
      expect(trace.code, trace.stderr).toBe(0);
      const points = [...new Set(trace.stderr.split('\n').filter((l) => l.startsWith('failpoint:')).map((l) => l.slice('failpoint:'.length)))];
      for (const name of c.expect) expect(points, `the fix reaches ${name}`).toContain(name);
      expect(errors((await diagnose(traced, t.payload)))).toEqual([]);

      for (const point of points) {
        const root = await copyOf(t);
        const crashed = await run(args(root), { ...env, WSLK_FAILPOINT: point });
        expect(crashed.signal ?? crashed.code, `killed at ${point}`).not.toBe(0);
        expect(crashed.json, `no result after a kill at ${point}`).toBeNull();
        const status = await run(['status', '--machine', root, '--json'], env);
        expect(status.code, `status recovers after ${point}: ${status.stderr}`).toBe(0);
        const after = await diagnose(root, t.payload);
        const left = errors(after);
        // Exactly before or after the fix: the same errors as before, or none.
        expect(left.length === 0 || JSON.stringify(left) === JSON.stringify(beforeErrors), `after a crash at ${point}: ${after.message}`).toBe(true);
        // The preset's own leftover temps are still there when the crash came before the cleanup.
        await assertInvariants(root, { bootable: left.length === 0 || beforeErrors.length === 0, temps: c.fix !== 'clean-temps' });
        // Applying the fix again (when it still applies) finishes the job.
        const again = await engine(root, t.payload).then((e) => e.repair({ fix: c.fix, ...(c.msi ? { fromMsi: msiPath } : {}) }));
        expect(again.ok || again.code === 'fix-not-applicable', `again after ${point}: ${again.message}`).toBe(true);
        const final = await diagnose(root, t.payload);
        expect(errors(final), `healthy after the fix was applied again (crash at ${point})`).toEqual([]);
        await assertInvariants(root);
        await fsp.rm(root, { recursive: true, force: true });
      }
    }, 600_000);
  }
});
