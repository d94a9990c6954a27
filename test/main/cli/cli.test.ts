/** The CLI contract (docs/design.md §7) through real processes. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, kernel, tempDir } from '../../helpers/sandbox';

let work: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  work = await tempDir('wslk-cli-');
});
afterAll(() => work.cleanup());

const STATUS_KEYS = ['badReleases', 'badVersions', 'boot', 'defaultKernel', 'effective', 'flavour', 'kernel', 'rollbackActive', 'rollbackKernel', 'storeSlots', 'wsl', 'wslInstallLocation', 'wslVersion'];
const SLOT_KEYS = ['arch', 'present', 'release', 'sha256', 'size', 'valid', 'version'];

describe('cli', () => {
  it('walks the seed story with --json output matching docs/design.md §7 field for field', async () => {
    const m = join(work.dir, 'story');
    let r = await cli(['sandbox', 'init', m, '--preset', 'fresh', '--json']);
    expect(r.code).toBe(0);
    const A = await kernel(work.dir, '4.19.104');
    const B = await kernel(work.dir, '4.19.121');
    const C = await kernel(work.dir, '5.4.72');
    r = await cli(['install', '--payload', A, '--machine', m, '--json']);
    expect(r.code).toBe(0);
    expect(Object.keys(r.json)).toEqual(expect.arrayContaining(['ok', 'code', 'message', 'exitCode', 'status']));
    expect(Object.keys(r.json.status!).sort()).toEqual(STATUS_KEYS);
    expect(Object.keys(r.json.status!.kernel).sort()).toEqual(SLOT_KEYS);
    expect(r.json.status!.rollbackKernel).toEqual({ present: false });
    r = await cli(['install', '--payload', B, '--machine', m, '--json']);
    r = await cli(['rollback', '--machine', m, '--json']);
    expect(r.json).toMatchObject({ ok: true, code: null, exitCode: 0, status: { rollbackActive: true, effective: 'kernel.rollback', badVersions: ['4.19.121'] } });
    r = await cli(['install', '--payload', C, '--machine', m, '--json']);
    expect(r.json.status).toMatchObject({ kernel: { version: '5.4.72' }, rollbackKernel: { version: '4.19.104' }, rollbackActive: false });
    r = await cli(['install', '--payload', B, '--machine', m, '--json']);
    expect(r.code).toBe(1603 & 0xff);
    expect(r.json).toMatchObject({ ok: false, code: 'version-marked-bad', exitCode: 1603 });
    r = await cli(['undo-rollback', '--machine', m, '--json']);
    expect(r.json).toMatchObject({ code: 'not-rolled-back', exitCode: 1603 });
    r = await cli(['history', '--machine', m, '--json']);
    expect(r.json.history?.length).toBeGreaterThanOrEqual(6);
  });

  it('prints short human output, with the remedy on failure (on stderr)', async () => {
    const m = join(work.dir, 'human');
    await cli(['sandbox', 'init', m, '--preset', 'old-build']);
    let r = await cli(['status', '--machine', m]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kernel\s+missing/);
    r = await cli(['install', '--payload', await kernel(work.dir, '5.15.153.1'), '--machine', m]);
    expect(r.code).toBe(67);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Error: This version of Windows does not support WSL 2 \[wsl-unsupported-build\]/);
    expect(r.stderr).toMatch(/Remedy: /);
    expect(r.stderr).toMatch(/\[FAIL\] windows-build/);
  });

  it.each([
    [['frobnicate'], 'usage'],
    [['install', '--nope'], 'usage'],
    [['rollback', '--payload', 'x'], 'usage'],
    [['status', 'extra'], 'usage'],
    [['sandbox', 'init'], 'usage'],
    [['install', '--payload'], 'usage'],
  ])('%j is a bad command line (1639)', async (args, code) => {
    const r = await cli([...args, '--json']);
    expect(r.code).toBe(1639 & 0xff);
    expect(r.json).toMatchObject({ ok: false, code, exitCode: 1639 });
  });

  it('reports a malformed machine.reg with its line number, and leaves it untouched', async () => {
    const m = join(work.dir, 'badreg');
    await cli(['sandbox', 'init', m]);
    const bad = 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n"A"=dword:zz\r\n';
    await writeFile(join(m, 'machine.reg'), bad);
    const r = await cli(['install', '--payload', await kernel(work.dir, '5.15.153.1'), '--machine', m, '--json']);
    expect(r.json).toMatchObject({ ok: false, code: 'invalid-machine', exitCode: 1603 });
    expect(r.json.message).toMatch(/line 4/);
    expect(await readFile(join(m, 'machine.reg'), 'utf8')).toBe(bad);
  });

  it('reports a missing sandbox folder as invalid-machine with a remedy', async () => {
    const r = await cli(['status', '--machine', join(work.dir, 'nowhere'), '--json']);
    expect(r.json).toMatchObject({ ok: false, code: 'invalid-machine' });
    expect(r.json.message).toMatch(/sandbox init/);
  });

  it('reads a UTF-16LE machine.reg and keeps its encoding when it writes', async () => {
    const m = join(work.dir, 'utf16');
    await cli(['sandbox', 'init', m]);
    const text = await readFile(join(m, 'machine.reg'), 'utf8');
    await writeFile(join(m, 'machine.reg'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const r = await cli(['install', '--payload', await kernel(work.dir, '5.15.153.1'), '--machine', m, '--json']);
    expect(r.json.ok).toBe(true);
    const raw = await readFile(join(m, 'machine.reg'));
    expect([raw[0], raw[1]]).toEqual([0xff, 0xfe]);
    expect(raw.subarray(2).toString('utf16le')).toMatch(/"KernelVersion"="5\.15\.153\.1"/);
  });

  it('installs the bundled demo kernel on a sandbox when no payload is given', async () => {
    const m = join(work.dir, 'bundled');
    await cli(['sandbox', 'init', m, '--preset', 'installed']);
    const r = await cli(['install', '--machine', m, '--json', '--shutdown-wsl']);
    expect(r.json).toMatchObject({ ok: true, status: { kernel: { version: '6.6.36.6' }, rollbackKernel: { version: '5.15.153.1' } } });
    expect(r.json.status?.kernel.present && r.json.status.kernel.release).toMatch(/-demo$/);
    expect(r.json.shutdown).toEqual({ stopped: ['Ubuntu', 'Debian'] });
  });

  it('creates every preset', async () => {
    for (const preset of ['fresh', 'installed', 'rolled-back', 'no-wsl', 'reboot-pending', 'old-build', 'arm64']) {
      const r = await cli(['sandbox', 'init', join(work.dir, `p-${preset}`), '--preset', preset, '--json']);
      expect(r.json, preset).toMatchObject({ ok: true });
    }
    const r = await cli(['sandbox', 'init', join(work.dir, 'p-x'), '--preset', 'nonsense', '--json']);
    expect(r.json).toMatchObject({ code: 'usage', exitCode: 1639 });
  });
});
