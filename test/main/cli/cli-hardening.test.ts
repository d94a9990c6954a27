/**
 * Command-line details: paths relative to the caller's folder (also under `npm run`), one JSON
 * object for every --json run, repeated options refused, no stack traces, atomic `sandbox init`,
 * and permission errors named for what they are.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../src/shared/types';
import { ROOT, cli, kernel, tempDir } from '../../helpers/sandbox';

let work: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  work = await tempDir('wslk-cli-hard-');
});
afterAll(() => work.cleanup());

function npmCli(args: string[], cwd: string): Promise<{ code: number; json: CommandResult | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['--prefix', ROOT, 'run', '--silent', 'cli', '--', ...args], { cwd, maxBuffer: 1 << 24 }, (err, stdout) => {
      let json: CommandResult | null = null;
      try {
        json = JSON.parse(stdout) as CommandResult;
      } catch {
        /* not JSON */
      }
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, json, stdout });
    });
  });
}

describe('the command line', () => {
  it('resolves relative paths against the folder npm was started in (INIT_CWD)', async () => {
    const caller = join(work.dir, 'caller');
    await mkdir(caller);
    await kernel(caller, '6.6.40.1');
    let r = await npmCli(['sandbox', 'init', 'm', '--preset', 'fresh', '--json'], caller);
    expect(r.json?.ok, r.stdout).toBe(true);
    expect(await readdir(caller)).toContain('m');
    const payload = (await readdir(caller)).find((n) => n.startsWith('x64-6.6.40.1'))!;
    r = await npmCli(['install', '--machine', 'm', '--payload', payload, '--json'], caller);
    expect(r.json).toMatchObject({ ok: true, status: { kernel: { version: '6.6.40.1' } } });
    expect(await readdir(ROOT)).not.toContain('m');
  }, 120_000);

  it('--json with no command is one JSON usage error (1639)', async () => {
    const r = await cli(['--json']);
    expect(r.json).toMatchObject({ ok: false, code: 'usage', exitCode: 1639 });
  });

  it('a repeated --machine or --payload is a usage error', async () => {
    for (const args of [['status', '--machine', 'a', '--machine', 'b', '--json'], ['install', '--payload', 'a', '--payload', 'b', '--json']]) {
      const r = await cli(args);
      expect(r.json, args.join(' ')).toMatchObject({ code: 'usage', exitCode: 1639 });
    }
  });

  it('a usage error on a sandbox still reports its status; --machine naming a file says so', async () => {
    const m = join(work.dir, 'usage-m');
    await cli(['sandbox', 'init', m, '--preset', 'installed']);
    let r = await cli(['install', '--machine', m, '--bogus', '--json']);
    expect(r.json).toMatchObject({ code: 'usage' });
    expect(r.json.status?.kernel).toMatchObject({ present: true });
    const file = join(work.dir, 'a-file');
    await writeFile(file, 'x');
    r = await cli(['status', '--machine', file, '--json']);
    expect(r.json).toMatchObject({ code: 'invalid-machine' });
    expect(r.json.message).toContain('it is a file');
    expect(r.json.message).not.toContain('does not exist');
  });

  it('sandbox init leaves nothing behind when it fails, and a second init then works', async () => {
    const long = join(work.dir, 'x'.repeat(300));
    let r = await cli(['sandbox', 'init', long, '--json']);
    expect(r.json.ok).toBe(false);
    expect(r.json.message).not.toMatch(/\n\s+at /);
    expect((await readdir(work.dir)).filter((n) => n.includes('wslk-init'))).toEqual([]);
    const parent = join(work.dir, 'init-parent');
    await mkdir(parent);
    await writeFile(join(parent, 'keep'), '');
    // A read-only parent (not for root, who may write anyway): nothing half-built is left.
    if (process.getuid?.() !== 0) {
      await chmod(parent, 0o555);
      r = await cli(['sandbox', 'init', join(parent, 'm'), '--json']);
      await chmod(parent, 0o755);
      expect(r.json).toMatchObject({ ok: false, code: 'access-denied' });
      expect(await readdir(parent)).toEqual(['keep']);
    }
    r = await cli(['sandbox', 'init', join(parent, 'm'), '--json']);
    expect(r.json.ok, r.json.message).toBe(true);
    expect((await readdir(parent)).sort()).toEqual(['keep', 'm']);
  });

  it('an unreadable payload is access-denied naming the file, not not-elevated', async () => {
    if (process.getuid?.() === 0) return;
    const m = join(work.dir, 'perm-m');
    await cli(['sandbox', 'init', m, '--preset', 'fresh']);
    const k = await kernel(work.dir, '6.6.41.1');
    await chmod(k, 0o000);
    const r = await cli(['install', '--machine', m, '--payload', k, '--json']);
    await chmod(k, 0o644);
    expect(r.json).toMatchObject({ ok: false, code: 'access-denied', exitCode: 1603 });
    expect(r.json.message).toContain(k);
  });
});
