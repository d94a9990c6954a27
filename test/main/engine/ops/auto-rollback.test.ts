/**
 * install --verify [--auto-rollback] (docs/design.md §10) on real sandboxes where the new kernel does
 * not boot: the fallback leaves WSL running the previous kernel, the failed one in Bad, exit 1627;
 * and the story through the real CLI process.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HCS_TIMEOUT_TEXT } from '../../../../src/main/engine/sandbox/sandbox-wsl';
import { cli, kernel, sandbox, tempDir } from '../../../helpers/sandbox';
import { sha256File } from '../../../helpers/kernels';
import { buildCli } from '../../../helpers/cli';
import { openMachine } from '../../../../src/main/engine/open-machine';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A sandbox whose engine has the bundled payload: on a sandbox, the generated demo kernel. */
async function machine(preset: string) {
  const s = await sandbox(preset);
  cleanups.push(s.cleanup);
  return { ...s, engine: await openMachine({ dir: s.root, payloadDirs: [] }) };
}

const readJson = async (root: string) => JSON.parse(await readFile(join(root, 'machine.json'), 'utf8'));
const tools = (root: string, name: string) => join(root, 'Windows', 'System32', 'lxss', 'tools', name);

async function failing(root: string, shas: string[], text = HCS_TIMEOUT_TEXT): Promise<void> {
  const json = await readJson(root);
  json.wsl.failingKernels = Object.fromEntries(shas.map((s) => [s, text]));
  await writeFile(join(root, 'machine.json'), JSON.stringify(json));
}

describe('install --verify', () => {
  it('a kernel that boots: exit 0, the boot check in the result, the kernel known good', async () => {
    const s = await machine('installed');
    const r = await s.engine.install({ payload: await kernel(s.work, '6.1.21.1'), verify: true });
    expect(r).toMatchObject({ ok: true, exitCode: 0, boot: { outcome: 'booted', running: '6.1.21.1-microsoft-standard-WSL2' }, shutdown: { stopped: ['Ubuntu', 'Debian'] } });
    expect(r.status!.kernel).toMatchObject({ version: '6.1.21.1', bootFact: { result: 'booted' } });
    expect(r.fallback ?? null).toBeNull();
  });

  it('without --auto-rollback: reports the failure (1627) and leaves the new kernel installed', async () => {
    const s = await machine('fails-to-boot');
    const r = await s.engine.install({ verify: true });
    expect(r).toMatchObject({ ok: false, code: 'kernel-failed-to-boot', exitCode: 1627, boot: { outcome: 'boot-failed' }, status: { kernel: { version: '6.6.36.6' }, rollbackActive: false } });
    expect(r.message).toMatch(/^Installed kernel 6\.6\.36\.6-wslk-demo, but WSL did not start with it \(Wsl\/Service\/CreateInstance\/CreateVm\/HCS_E_CONNECTION_TIMEOUT: The operation timed out.*It was not rolled back\.$/);
    expect(r.remedy).toMatch(/rollback --shutdown-wsl/);
    expect(r.status!.kernel).toMatchObject({ bootFact: { result: 'failed' } });
    expect((await readJson(s.root)).wsl).toMatchObject({ running: [], shutdowns: 1 });
    expect(r.status!.badVersions).toEqual([]);
  });

  it('--auto-rollback: rolls back, restarts, checks the previous kernel boots; the failed kernel is bad (the seed story)', async () => {
    const s = await machine('fails-to-boot');
    const r = await s.engine.install({ verify: true, autoRollback: true });
    expect(r).toMatchObject({
      ok: false,
      code: 'kernel-failed-to-boot',
      exitCode: 1627,
      boot: { outcome: 'boot-failed', expected: { release: '6.6.36.6-wslk-demo' } },
      fallback: { rolledBack: true, to: '5.15.153.1-wslk-demo', boot: { outcome: 'booted', running: '5.15.153.1-wslk-demo' } },
      status: { rollbackActive: true, effective: 'kernel.rollback', badVersions: ['6.6.36.6'], badReleases: ['6.6.36.6-wslk-demo'] },
    });
    expect(r.message).toMatch(/Kernel 6\.6\.36\.6-wslk-demo did not boot .*rolled back to 5\.15\.153\.1-wslk-demo, which boots\. 6\.6\.36\.6-wslk-demo is marked bad/);
    // WSL is left running the previous kernel.
    expect((await readJson(s.root)).wsl).toMatchObject({ running: ['Ubuntu'], runningRelease: '5.15.153.1-wslk-demo', shutdowns: 2 });
    expect(r.status!.kernel).toMatchObject({ bootFact: { result: 'failed' } });
    expect(r.status!.rollbackKernel).toMatchObject({ bootFact: { result: 'booted' } });
    expect((await s.engine.history()).slice(-4).map((e) => [e.op, e.ok, e.boot ?? null])).toEqual([
      ['install', true, null],
      ['verify', false, 'boot-failed'],
      ['rollback', true, null],
      ['verify', true, 'booted'],
    ]);
    // The failed version is not installed again unless forced.
    expect(await s.engine.install({})).toMatchObject({ ok: false, code: 'version-marked-bad' });
    expect(await s.engine.verify()).toMatchObject({ ok: true, boot: { outcome: 'booted' } });
  });

  it('both kernels fail: says so plainly and points to repair', async () => {
    const s = await machine('fails-to-boot');
    const json = await readJson(s.root);
    await failing(s.root, [...Object.keys(json.wsl.failingKernels), await sha256File(tools(s.root, 'kernel'))], 'Error code: Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT');
    const r = await s.engine.install({ verify: true, autoRollback: true });
    expect(r).toMatchObject({ ok: false, code: 'kernel-failed-to-boot', exitCode: 1627, fallback: { rolledBack: true, boot: { outcome: 'boot-failed' } }, status: { rollbackActive: true } });
    expect(r.message).toMatch(/^Neither kernel boots: 6\.6\.36\.6-wslk-demo did not boot .*after rolling back to 5\.15\.153\.1-wslk-demo WSL did not start either/);
    expect(r.remedy).toMatch(/repair/);
    expect(r.status!.rollbackKernel).toMatchObject({ bootFact: { result: 'failed' } });
  });

  it('no previous kernel to fall back to: the rollback is refused, said plainly, repair is the way', async () => {
    const s = await machine('fresh');
    const k = await kernel(s.work, '6.1.21.1');
    const json = await readJson(s.root);
    json.wsl = { running: [], distributions: ['Ubuntu'], shutdowns: 0 };
    await writeFile(join(s.root, 'machine.json'), JSON.stringify(json));
    await failing(s.root, [await sha256File(k)]);
    const r = await s.engine.install({ payload: k, verify: true, autoRollback: true });
    expect(r).toMatchObject({ ok: false, code: 'kernel-failed-to-boot', exitCode: 1627, fallback: { rolledBack: false, boot: null }, status: { kernel: { version: '6.1.21.1' }, rollbackActive: false } });
    expect(r.message).toMatch(/could not be rolled back: There is no previous kernel/);
    expect(r.remedy).toMatch(/repair/);
  });

  it('no distribution: the install stands with a warning (exit 0), nothing is rolled back', async () => {
    const s = await machine('no-distribution');
    const r = await s.engine.install({ payload: await kernel(s.work, '6.1.21.1'), verify: true, autoRollback: true });
    expect(r).toMatchObject({ ok: true, exitCode: 0, boot: { outcome: 'no-distribution' }, status: { kernel: { version: '6.1.21.1' }, rollbackActive: false } });
    expect(r.warnings?.map((w) => w.id)).toContain('boot-no-distribution');
  });
});

describe('the real CLI', () => {
  beforeAll(() => buildCli(), 180_000);

  it('Done when: install --verify --auto-rollback on a sandbox whose new kernel does not boot', async () => {
    const t = await tempDir();
    cleanups.push(t.cleanup);
    const m = join(t.dir, 'm');
    expect((await cli(['sandbox', 'init', m, '--preset', 'fails-to-boot'])).code).toBe(0);
    const r = await cli(['install', '--verify', '--auto-rollback', '--machine', m, '--json']);
    expect(r.code).toBe(1627 & 0xff);
    expect(r.json).toMatchObject({ ok: false, code: 'kernel-failed-to-boot', exitCode: 1627, status: { rollbackActive: true, effective: 'kernel.rollback', badVersions: ['6.6.36.6'] } });
    // Every key of the §7 contract is still there, and `boot` is added.
    expect(Object.keys(r.json)).toEqual(expect.arrayContaining(['ok', 'code', 'message', 'exitCode', 'status', 'boot', 'fallback']));
    expect(Object.keys(r.json.status!)).toEqual(expect.arrayContaining(['kernel', 'rollbackKernel', 'rollbackActive', 'effective', 'badVersions', 'wsl']));
    expect((await readJson(m)).wsl).toMatchObject({ running: ['Ubuntu'], runningRelease: '5.15.153.1-wslk-demo' });
    const v = await cli(['verify', '--machine', m, '--json']);
    expect(v).toMatchObject({ code: 0, json: { ok: true, boot: { outcome: 'booted', running: '5.15.153.1-wslk-demo' } } });
    const human = await cli(['status', '--machine', m]);
    expect(human.stdout).toMatch(/kernel: failed to boot on \d{4}-\d\d-\d\d \(Wsl\/Service\/CreateInstance\/CreateVm\/HCS_E_CONNECTION_TIMEOUT\)/);
    expect(human.stdout).toMatch(/kernel\.rollback: booted on \d{4}-\d\d-\d\d \(known good\)/);
    const bad = await cli(['install', '--auto-rollback', '--machine', m, '--json']);
    expect(bad).toMatchObject({ code: 1639 & 0xff, json: { code: 'usage' } });
    expect(bad.json.message).toMatch(/--auto-rollback needs --verify/);
  }, 120_000);
});
