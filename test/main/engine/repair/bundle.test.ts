/**
 * diagnose --bundle: one JSON file with what support needs (status, findings, pre-checks, history,
 * last logs, machine summary, tool version), written atomically, with nothing secret in it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine/engine';
import { makeRedactor, redactDeep } from '../../../../src/main/engine/repair/redact';
import { initSandbox } from '../../../../src/main/engine/sandbox/presets';
import { openSandbox } from '../../../../src/main/engine/sandbox/sandbox-machine';
import { cli } from '../../../helpers/sandbox';
import { box, stateDir, tools } from '../../../helpers/repair-fixtures';
import type { Box } from '../../../helpers/repair-fixtures';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function open(preset: string): Promise<Box> {
  const b = await box(preset);
  cleanups.push(b.cleanup);
  return b;
}

type Bundle = Record<string, unknown> & {
  tool: { version: string };
  machine: { build: number; arch: string; features: { wsl: boolean; virtualMachinePlatform: boolean } };
  findings: { id: string }[];
  checks: { id: string }[];
  history: { op: string }[];
  logs: { file: string; tail: string }[];
  journal: unknown;
  status: { kernel: { present: boolean } };
};

describe('the diagnostics bundle', () => {
  it('holds status, findings, checks, history, logs, machine summary and tool version', async () => {
    const b = await open('kernel-missing');
    await fsp.mkdir(stateDir(b.root, 'logs'), { recursive: true });
    await fsp.writeFile(stateDir(b.root, 'logs/app.log'), 'old line\n'.repeat(20_000) + 'last line: kernel missing\n');
    const file = join(b.work, 'support.json');
    const r = await (await b.fresh()).diagnose({ bundle: file });
    expect(r.ok, r.message).toBe(true);
    expect(r.bundle).toBe(file);
    expect(r.message).toContain(file);
    const bundle = JSON.parse(await fsp.readFile(file, 'utf8')) as Bundle;
    expect(bundle.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(bundle.machine).toMatchObject({ build: 19045, arch: 'x64', features: { wsl: true, virtualMachinePlatform: true } });
    expect(bundle.status.kernel.present).toBe(false);
    expect(bundle.findings.map((f) => f.id)).toEqual(['kernel-missing']);
    expect(bundle.checks.map((c) => c.id)).toContain('windows-build');
    expect(bundle.history.map((h) => h.op)).toEqual(['install', 'install']);
    const log = bundle.logs.find((l) => l.file === 'app.log')!;
    expect(log.tail.endsWith('last line: kernel missing\n')).toBe(true);
    expect(log.tail.length).toBeLessThanOrEqual(64 * 1024);
  });

  it('reports an interrupted operation with its journal, without recovering it', async () => {
    const b = await open('interrupted');
    const file = join(b.work, 'b.json');
    await (await b.fresh()).diagnose({ bundle: file });
    const bundle = JSON.parse(await fsp.readFile(file, 'utf8')) as Bundle;
    expect(bundle.journal).toMatchObject({ op: 'install', phase: 'commit' });
    await expect(fsp.stat(stateDir(b.root, 'journal.json'))).resolves.toBeTruthy();
  });

  it('has no environment variable, no home folder and no user name in it', async () => {
    // A sandbox inside the home folder, so its paths would name it.
    const dir = await fsp.mkdtemp(join(homedir(), '.wslk-bundle-test-'));
    cleanups.push(() => fsp.rm(dir, { recursive: true, force: true }));
    const root = join(dir, 'machine');
    await initSandbox(root, 'fresh');
    process.env.WSLK_TEST_SECRET = 'hunter2-do-not-ship';
    try {
      const engine = new Engine(await openSandbox(root));
      await engine.install({ payload: join(dir, 'missing-payload') });
      const file = join(dir, 'bundle.json');
      const r = await engine.diagnose({ bundle: file });
      expect(r.ok, r.message).toBe(true);
      const text = await fsp.readFile(file, 'utf8');
      expect(text).not.toContain('hunter2-do-not-ship');
      expect(text).not.toContain(homedir());
      expect(text).not.toContain(process.env.PATH ?? 'PATH-not-set');
      expect(text).toContain('~/.wslk-bundle-test-');
      const user = userInfo().username;
      expect(text).not.toMatch(new RegExp(`[\\\\/]${user}[\\\\/]`));
    } finally {
      delete process.env.WSLK_TEST_SECRET;
    }
  });

  it('is written atomically: a folder that does not exist is an error and leaves nothing', async () => {
    const b = await open('installed');
    const r = await (await b.fresh()).diagnose({ bundle: join(b.work, 'no', 'such', 'folder', 'b.json') });
    expect(r.ok).toBe(false);
    expect(r.code).toBe('io-error');
    await expect(fsp.stat(join(b.work, 'no'))).rejects.toThrow();
  });

  it('replaces an older bundle completely, with no temp file left beside it', async () => {
    const b = await open('installed');
    const file = join(b.work, 'b.json');
    await fsp.writeFile(file, 'x'.repeat(1 << 20));
    await (await b.fresh()).diagnose({ bundle: file, force: true });
    expect(() => JSON.parse(readFileSync(file, 'utf8'))).not.toThrow();
    expect((await fsp.readdir(b.work)).filter((n) => n.startsWith('b.json'))).toEqual(['b.json']);
  });

  it('from the CLI: diagnose --bundle FILE --json', async () => {
    const b = await open('orphan-flag');
    const file = join(b.work, 'cli-bundle.json');
    const run = await cli(['diagnose', '--bundle', file, '--machine', b.root, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.bundle).toBe(file);
    expect((JSON.parse(await fsp.readFile(file, 'utf8')) as Bundle).findings.map((f) => f.id)).toEqual(['rollback-flag-orphaned']);
  });
});

describe('where a bundle may be written', () => {
  it('never over the kernel, kernel.rollback, machine.reg, machine.json or state.json, even with --force', async () => {
    const b = await open('installed');
    const engine = await b.fresh();
    await engine.rollback();
    await engine.undoRollback();
    const owned = [tools(b.root, 'kernel'), tools(b.root, 'kernel.rollback'), join(b.root, 'machine.reg'), join(b.root, 'machine.json'), stateDir(b.root, 'state.json')];
    if (!(await fsp.stat(owned[3]!).catch(() => null))) await fsp.writeFile(owned[3]!, '{}\n');
    const digest = async (f: string) => createHash('sha256').update(await fsp.readFile(f)).digest('hex');
    const before = await Promise.all(owned.map(digest));
    for (const force of [false, true]) {
      for (const f of owned) {
        const r = await engine.diagnose({ bundle: f, force });
        expect(r, f).toMatchObject({ ok: false, code: 'target-refused', exitCode: 1603 });
        expect(r.bundle).toBeUndefined();
      }
    }
    expect(await Promise.all(owned.map(digest))).toEqual(before);
    expect((await engine.status()).status?.kernel).toMatchObject({ present: true, valid: true });
  });

  it('never a new file inside the tools or state folder, not even through a link to it', async () => {
    const b = await open('installed');
    const engine = await b.fresh();
    const link = join(b.work, 'tools-link');
    await fsp.symlink(tools(b.root), link);
    for (const f of [tools(b.root, 'new.json'), stateDir(b.root, 'new.json'), join(link, 'new.json')]) {
      const r = await engine.diagnose({ bundle: f, force: true });
      expect(r.code, f).toBe('target-refused');
    }
    expect((await fsp.readdir(tools(b.root))).sort()).toEqual(['kernel', 'kernel.rollback']);
  });

  it('refuses to replace an existing file unless --force, and never a link or a non-regular file', async () => {
    const b = await open('installed');
    const engine = await b.fresh();
    const mine = join(b.work, 'notes.txt');
    await fsp.writeFile(mine, 'my notes');
    let r = await engine.diagnose({ bundle: mine });
    expect(r).toMatchObject({ ok: false, code: 'target-refused' });
    expect(r.message).toMatch(/--force/);
    expect(await fsp.readFile(mine, 'utf8')).toBe('my notes');
    r = await engine.diagnose({ bundle: mine, force: true });
    expect(r.ok).toBe(true);
    const toKernel = join(b.work, 'kernel-link.json');
    await fsp.symlink(tools(b.root, 'kernel'), toKernel);
    const hard = join(b.work, 'kernel-hard.json');
    await fsp.link(tools(b.root, 'kernel'), hard);
    for (const f of [toKernel, hard, b.work]) {
      r = await engine.diagnose({ bundle: f, force: true });
      expect(r.code, f).toBe('target-refused');
    }
    expect((await engine.status()).status?.kernel).toMatchObject({ present: true, valid: true });
  });

  it('from the CLI: an existing file is refused (1603) and --force replaces it', async () => {
    const b = await open('installed');
    const file = join(b.work, 'b.json');
    await fsp.writeFile(file, 'old');
    let run = await cli(['diagnose', '--bundle', file, '--machine', b.root, '--json']);
    expect(run.json).toMatchObject({ ok: false, code: 'target-refused', exitCode: 1603 });
    run = await cli(['diagnose', '--bundle', file, '--force', '--machine', b.root, '--json']);
    expect(run.json.ok).toBe(true);
    expect(await fsp.readFile(file, 'utf8')).toMatch(/wsl-kernel-setup-diagnostics/);
  });
});

describe('redaction', () => {
  const win = makeRedactor({ home: 'C:\\Users\\ann', user: 'ann' });

  it('Windows paths: the home folder becomes ~, other profiles and the user name <user>', () => {
    expect(win('C:\\Users\\ann\\Downloads\\wsl_update_x64.msi')).toBe('~\\Downloads\\wsl_update_x64.msi');
    expect(win('c:/users/ann/kernel')).toBe('~/kernel');
    expect(win('C:\\Users\\bob\\kernel')).toBe('C:\\Users\\<user>\\kernel');
    expect(win('D:\\work\\ann\\kernel and CORP\\ann')).toBe('D:\\work\\<user>\\kernel and CORP\\<user>');
    expect(win('C:\\Users\\Public\\kernel')).toBe('C:\\Users\\Public\\kernel');
  });

  it('leaves ordinary words alone, even one equal to the user name', () => {
    const r = makeRedactor({ home: '/home/kernel', user: 'kernel' });
    expect(r('the kernel file /home/kernel/x and /home/joe/y')).toBe('the kernel file ~/x and /home/<user>/y');
  });

  it('applies to every string of a value, keys included', () => {
    expect(redactDeep({ 'C:\\Users\\ann\\a': ['C:\\Users\\ann\\b', 3, null] }, win)).toEqual({ '~\\a': ['~\\b', 3, null] });
  });
});
