/** The seed's rules (docs/design.md §5) on real sandboxes with the real engine. */
import { readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashFile } from '../../../../src/main/engine/kernel/kernel-image';
import { nodeFs } from '../../../../src/main/engine/machine/fs-port';
import { kernel, sandbox } from '../../../helpers/sandbox';

const TOOLS = ['Windows', 'System32', 'lxss', 'tools'];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fresh(preset = 'fresh') {
  const s = await sandbox(preset);
  cleanups.push(s.cleanup);
  return { ...s, tools: join(s.root, ...TOOLS) };
}

describe('install and update', () => {
  it('runs the seed story A → B → rollback → C and refuses B afterwards', async () => {
    const s = await fresh();
    const A = await kernel(s.work, '4.19.104');
    const B = await kernel(s.work, '4.19.121');
    const C = await kernel(s.work, '5.4.72');

    let r = await s.engine.install({ payload: A });
    expect(r.ok).toBe(true);
    expect(r.status?.kernel).toMatchObject({ present: true, version: '4.19.104' });
    expect(r.status?.rollbackKernel).toEqual({ present: false });

    r = await s.engine.install({ payload: B });
    expect(r.status?.kernel).toMatchObject({ version: '4.19.121' });
    expect(r.status?.rollbackKernel).toMatchObject({ version: '4.19.104' });
    expect(r.plan?.map((p) => p.id)).toEqual(['stage', 'keep-previous', 'replace', 'record']);

    r = await s.engine.rollback();
    expect(r.ok).toBe(true);
    expect(r.status).toMatchObject({ rollbackActive: true, effective: 'kernel.rollback', badVersions: ['4.19.121'] });
    expect(await readFile(join(s.root, 'machine.reg'), 'utf8')).toMatch(/"RollbackKernel"=dword:00000001/);

    r = await s.engine.install({ payload: C });
    expect(r.ok).toBe(true);
    expect(r.status?.kernel).toMatchObject({ version: '5.4.72' });
    expect(r.status?.rollbackKernel).toMatchObject({ version: '4.19.104' });
    expect(r.status).toMatchObject({ rollbackActive: false, effective: 'kernel', badVersions: ['4.19.121'] });
    expect(await readFile(join(s.root, 'machine.reg'), 'utf8')).not.toMatch(/RollbackKernel/);

    r = await s.engine.install({ payload: B, allowDowngrade: true });
    expect(r).toMatchObject({ ok: false, code: 'version-marked-bad', exitCode: 1603 });
    // Nothing changed.
    expect(r.status?.kernel).toMatchObject({ version: '5.4.72' });
    expect(r.status?.rollbackKernel).toMatchObject({ version: '4.19.104' });
  });

  it('refuses a downgrade unless allowed, and then keeps the newer one as kernel.rollback', async () => {
    const s = await fresh();
    const old = await kernel(s.work, '5.10.16.3');
    const cur = await kernel(s.work, '5.10.102.1');
    await s.engine.install({ payload: cur });
    let r = await s.engine.install({ payload: old });
    expect(r).toMatchObject({ ok: false, code: 'downgrade-refused', exitCode: 1638 });
    r = await s.engine.install({ payload: old, allowDowngrade: true });
    expect(r.ok).toBe(true);
    expect(r.status?.kernel).toMatchObject({ version: '5.10.16.3' });
    expect(r.status?.rollbackKernel).toMatchObject({ version: '5.10.102.1' });
  });

  it('does nothing, successfully, when the same kernel is installed again', async () => {
    const s = await fresh();
    const A = await kernel(s.work, '5.15.90.1');
    await s.engine.install({ payload: A });
    const before = await readdir(s.tools);
    const r = await s.engine.install({ payload: A });
    expect(r).toMatchObject({ ok: true, code: null, exitCode: 0 });
    expect(r.message).toMatch(/nothing to do/);
    expect(await readdir(s.tools)).toEqual(before);
  });

  it('forces a bad version back in with --force, without putting a bad version into kernel.rollback', async () => {
    const s = await fresh();
    const A = await kernel(s.work, '5.10.102.1');
    const B = await kernel(s.work, '5.15.90.1');
    await s.engine.install({ payload: A });
    await s.engine.install({ payload: B });
    await s.engine.rollback();
    const r = await s.engine.install({ payload: B, force: true });
    expect(r.ok).toBe(true);
    expect(r.status?.kernel).toMatchObject({ version: '5.15.90.1' });
    expect(r.status?.rollbackKernel).toMatchObject({ version: '5.10.102.1' });
    expect(r.status?.rollbackActive).toBe(false);
  });

  it('installs into a machine whose kernel is missing without touching kernel.rollback, and clears the flag', async () => {
    const s = await fresh('rolled-back');
    await unlink(join(s.tools, 'kernel'));
    const rBefore = await hashFile(nodeFs, join(s.tools, 'kernel.rollback'));
    const P = await kernel(s.work, '6.1.21.2');
    const r = await s.engine.install({ payload: P });
    expect(r.ok).toBe(true);
    expect(r.status).toMatchObject({ rollbackActive: false, effective: 'kernel' });
    expect(await hashFile(nodeFs, join(s.tools, 'kernel.rollback'))).toBe(rBefore);
  });

  it('never moves a corrupt kernel into kernel.rollback', async () => {
    const s = await fresh('installed');
    await writeFile(join(s.tools, 'kernel'), Buffer.alloc(4096, 7));
    const rBefore = await hashFile(nodeFs, join(s.tools, 'kernel.rollback'));
    const r = await s.engine.install({ payload: await kernel(s.work, '6.1.21.2') });
    expect(r.ok).toBe(true);
    expect(await hashFile(nodeFs, join(s.tools, 'kernel.rollback'))).toBe(rBefore);
  });

  it('leaves no temporary files and records the detection value', async () => {
    const s = await fresh();
    await s.engine.install({ payload: await kernel(s.work, '5.15.153.1') });
    expect((await readdir(s.tools)).sort()).toEqual(['kernel']);
    const reg = await readFile(join(s.root, 'machine.reg'), 'utf8');
    expect(reg).toMatch(/\[HKEY_LOCAL_MACHINE\\SOFTWARE\\WslKernelSetup\]\r\n"KernelVersion"="5\.15\.153\.1"/);
  });

  it('accepts a payload folder with a matching manifest and refuses a mismatching one', async () => {
    const s = await fresh();
    const folder = join(s.work, 'payload');
    await nodeFs.mkdir(folder);
    const k = await kernel(s.work, '5.15.153.1');
    await writeFile(join(folder, 'kernel'), await readFile(k));
    const sha = await hashFile(nodeFs, k);
    await writeFile(join(folder, 'manifest.json'), JSON.stringify({ version: '5.15.153.1', arch: 'x64', sha256: sha.replace(/^./, sha[0] === 'a' ? 'b' : 'a') }));
    let r = await s.engine.install({ payload: folder });
    expect(r).toMatchObject({ ok: false, code: 'checksum-mismatch' });
    expect(await readdir(s.tools)).toEqual([]);
    await writeFile(join(folder, 'manifest.json'), JSON.stringify({ version: '5.15.153.1', arch: 'x64', sha256: sha }));
    r = await s.engine.install({ payload: folder });
    expect(r.ok).toBe(true);
  });

  it.each([
    ['not a kernel', async (dir: string) => { const p = join(dir, 'junk'); await writeFile(p, 'hello'); return p; }, 'not-a-kernel', 1603],
    ['an arm64 kernel on x64', (dir: string) => kernel(dir, '5.15.153.1', 1 << 20, 'arm64'), 'wrong-architecture', 1633],
    ['a missing file', async (dir: string) => join(dir, 'nope'), 'not-a-kernel', 1603],
  ])('refuses %s before writing anything', async (_label, make, code, exit) => {
    const s = await fresh();
    const r = await s.engine.install({ payload: await make(s.work) });
    expect(r).toMatchObject({ ok: false, code, exitCode: exit });
    expect(r.checks?.some((c) => c.status === 'fail')).toBe(true);
    expect(await readdir(s.tools)).toEqual([]);
  });
});

describe('pre-checks', () => {
  it.each([
    ['old-build', 'windows-build', 'wsl-unsupported-build'],
    ['no-wsl', 'wsl-feature', 'wsl-not-enabled'],
    ['reboot-pending', 'reboot', 'reboot-required'],
    ['no-vm-platform', 'vm-platform', 'vm-platform-missing'],
    ['not-elevated', 'elevated', 'not-elevated'],
    ['low-disk', 'disk-space', 'insufficient-disk-space'],
  ])('%s: %s fails with %s, and install is refused', async (preset, checkId, code) => {
    const s = await fresh(preset);
    const pre = await s.engine.precheck(await kernel(s.work, '5.15.153.1'));
    const check = pre.checks?.find((c) => c.id === checkId);
    expect(check).toMatchObject({ status: 'fail', code });
    expect(check?.remedy).not.toBe('');
    const r = await s.engine.install({ payload: await kernel(s.work, '5.15.153.1') });
    expect(r).toMatchObject({ ok: false, code });
    expect(await readdir(s.tools)).toEqual([]);
  });

  it('tells the three causes of "only applies to machines with WSL" apart', async () => {
    const messages = new Set<string>();
    for (const preset of ['old-build', 'no-wsl', 'reboot-pending']) {
      const s = await fresh(preset);
      const pre = await s.engine.precheck();
      messages.add(pre.checks!.filter((c) => c.status === 'fail').map((c) => c.code).join(','));
    }
    expect(messages.size).toBe(3);
  });

  it('passes everything on a fresh machine and on arm64 with an arm64 kernel', async () => {
    let s = await fresh();
    expect((await s.engine.precheck(await kernel(s.work, '5.15.153.1'))).checks?.every((c) => c.status === 'pass')).toBe(true);
    // Without any payload, the payload check warns (and nothing fails).
    expect((await s.engine.precheck()).checks?.find((c) => c.id === 'payload')?.status).toBe('warn');
    s = await fresh('arm64');
    const pre = await s.engine.precheck(await kernel(s.work, '5.15.153.1', 1 << 20, 'arm64'));
    expect(pre.checks?.every((c) => c.status === 'pass')).toBe(true);
    const x64 = await s.engine.precheck(await kernel(s.work, '5.15.153.1'));
    expect(x64).toMatchObject({ code: 'wrong-architecture', exitCode: 1633 });
  });
});

describe('rollback and undo', () => {
  it('refuses rollback without kernel.rollback, and twice in a row', async () => {
    let s = await fresh();
    await s.engine.install({ payload: await kernel(s.work, '5.15.153.1') });
    expect(await s.engine.rollback()).toMatchObject({ ok: false, code: 'no-rollback-kernel', exitCode: 1603 });
    s = await fresh('rolled-back');
    expect(await s.engine.rollback()).toMatchObject({ ok: false, code: 'already-rolled-back' });
  });

  it('undoes a rollback: clears the flag and forgets the bad version', async () => {
    const s = await fresh('rolled-back');
    expect((await s.engine.status()).status?.badVersions).toEqual(['5.15.153.1']);
    const r = await s.engine.undoRollback();
    expect(r.ok).toBe(true);
    expect(r.status).toMatchObject({ rollbackActive: false, effective: 'kernel', badVersions: [] });
    expect(await s.engine.undoRollback()).toMatchObject({ ok: false, code: 'not-rolled-back' });
  });

  it('refuses to undo a rollback when the kernel is missing (WSL would have nothing to boot)', async () => {
    const s = await fresh('rolled-back');
    await unlink(join(s.tools, 'kernel'));
    expect(await s.engine.undoRollback()).toMatchObject({ ok: false, code: 'kernel-missing' });
    expect((await s.engine.status()).status?.rollbackActive).toBe(true);
  });

  it('needs administrator rights', async () => {
    const s = await fresh('rolled-back');
    const json = JSON.parse(await readFile(join(s.root, 'machine.json'), 'utf8'));
    await writeFile(join(s.root, 'machine.json'), JSON.stringify({ ...json, elevated: false }));
    expect(await s.engine.undoRollback()).toMatchObject({ ok: false, code: 'not-elevated', exitCode: 5 });
  });

  it('offers the WSL restart and shuts WSL down when asked, listing who was running', async () => {
    const s = await fresh('installed');
    let r = await s.engine.rollback();
    expect(r.running).toEqual(['Ubuntu', 'Debian']);
    expect(r.hint).toMatch(/stops every WSL 1 and WSL 2 instance/);
    r = await s.engine.undoRollback({ shutdownWsl: true });
    expect(r.shutdown).toEqual({ stopped: ['Ubuntu', 'Debian'] });
    const json = JSON.parse(await readFile(join(s.root, 'machine.json'), 'utf8'));
    // The boot check after the restart started the default distribution again, on the undone kernel.
    expect(json.wsl).toMatchObject({ running: ['Ubuntu'], shutdowns: 1, runningRelease: '5.15.153.1-wslk-demo' });
    expect(r.boot).toMatchObject({ outcome: 'booted', running: '5.15.153.1-wslk-demo', distribution: 'Ubuntu' });
  });
});

describe('history and one operation at a time', () => {
  it('records every operation', async () => {
    const s = await fresh('installed');
    await s.engine.rollback();
    await s.engine.rollback();
    const h = await s.engine.history();
    expect(h.map((e) => [e.op, e.ok, e.code])).toEqual([
      ['install', true, null],
      ['install', true, null],
      ['rollback', true, null],
      ['rollback', false, 'already-rolled-back'],
    ]);
  });

  it('answers operation-in-progress while another process holds the lock', async () => {
    const s = await fresh('installed');
    const lockPath = join(s.root, 'ProgramData', 'WslKernelSetup', 'operation.lock');
    // A live process (this one's parent) owns the lock.
    const { hostname } = await import('node:os');
    await writeFile(lockPath, JSON.stringify({ pid: process.ppid, host: hostname(), op: 'install', since: new Date().toISOString() }));
    expect(await s.engine.rollback()).toMatchObject({ ok: false, code: 'operation-in-progress', exitCode: 1618 });
    // A dead owner's lock is taken over.
    await writeFile(lockPath, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), op: 'install', since: new Date().toISOString() }));
    expect((await s.engine.rollback()).ok).toBe(true);
  });
});
