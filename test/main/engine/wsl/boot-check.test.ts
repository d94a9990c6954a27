/**
 * The boot check (docs/design.md §10) on real sandboxes: every outcome, the facts it records per
 * kernel, the sandbox's WSL (which boots what WSL would boot), and the error codes WSL prints.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HCS_TIMEOUT_TEXT } from '../../../../src/main/engine/sandbox/sandbox-wsl';
import { openSandbox } from '../../../../src/main/engine/sandbox/sandbox-machine';
import { readState } from '../../../../src/main/engine/state/state-files';
import { wslErrorCode } from '../../../../src/main/engine/wsl/boot-check';
import { kernel, sandbox } from '../../../helpers/sandbox';
import { sha256File } from '../../../helpers/kernels';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function machine(preset: string) {
  const s = await sandbox(preset);
  cleanups.push(s.cleanup);
  return s;
}

async function editJson(root: string, edit: (json: { wsl: Record<string, unknown> } & Record<string, unknown>) => void): Promise<void> {
  const path = join(root, 'machine.json');
  const json = JSON.parse(await readFile(path, 'utf8'));
  edit(json);
  await writeFile(path, JSON.stringify(json));
}

const readJson = async (root: string) => JSON.parse(await readFile(join(root, 'machine.json'), 'utf8'));
const kernelPath = (root: string) => join(root, 'Windows', 'System32', 'lxss', 'tools', 'kernel');

describe('verify: the outcomes', () => {
  it('booted: WSL runs the kernel it should boot; the kernel is recorded as known good', async () => {
    const s = await machine('installed');
    const r = await s.engine.verify();
    expect(r).toMatchObject({ ok: true, code: null, exitCode: 0, boot: { outcome: 'booted', running: '5.15.153.1-wslk-demo', distribution: 'Ubuntu', error: null } });
    expect(r.boot!.expected).toMatchObject({ release: '5.15.153.1-wslk-demo', slot: 'kernel', sha256: await sha256File(kernelPath(s.root)) });
    expect(r.status!.kernel).toMatchObject({ present: true, bootFact: { result: 'booted', bootedAt: r.boot!.at } });
    expect((await s.engine.history()).at(-1)).toMatchObject({ op: 'verify', ok: true, boot: 'booted' });
  });

  it('not-restarted: after an install without a restart WSL keeps the old kernel; nothing is recorded about the new one', async () => {
    const s = await machine('installed');
    await s.engine.install({ payload: await kernel(s.work, '6.1.21.1') });
    const r = await s.engine.verify();
    expect(r).toMatchObject({ ok: true, exitCode: 0, restartNeeded: true, boot: { outcome: 'not-restarted', running: '5.15.153.1-wslk-demo' } });
    expect(r.boot!.expected?.release).toBe('6.1.21.1-microsoft-standard-WSL2');
    expect(r.boot!.steps?.join(' ')).toMatch(/wsl --shutdown/);
    expect(r.warnings).toEqual([{ id: 'boot-not-restarted', message: r.boot!.message }]);
    expect(r.status!.kernel).not.toHaveProperty('bootFact');
    // After a restart the same check finds the new kernel running.
    const again = await s.engine.shutdownWsl().then(() => s.engine.verify());
    expect(again.boot).toMatchObject({ outcome: 'booted', running: '6.1.21.1-microsoft-standard-WSL2' });
  });

  it('boot-failed: WSL did not start; its text and code are reported, exit 1627, the kernel is recorded as failed', async () => {
    const s = await machine('installed');
    const sha = await sha256File(kernelPath(s.root));
    await editJson(s.root, (j) => {
      j.wsl = { ...j.wsl, running: [], runningRelease: null, failingKernels: { [sha]: HCS_TIMEOUT_TEXT } };
    });
    const r = await s.engine.verify();
    expect(r).toMatchObject({ ok: false, code: 'kernel-failed-to-boot', exitCode: 1627, boot: { outcome: 'boot-failed', running: null } });
    expect(r.boot!.error).toEqual({ code: 'Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT', message: HCS_TIMEOUT_TEXT, exitCode: 4294967295 });
    expect(r.message).toMatch(/did not start with kernel 5\.15\.153\.1-wslk-demo.*HCS_E_CONNECTION_TIMEOUT/);
    expect(r.remedy).toMatch(/Roll back/);
    expect(r.status!.kernel).toMatchObject({ bootFact: { result: 'failed', error: { code: 'Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT' } } });
    expect((await readJson(s.root)).wsl).toMatchObject({ running: [] });
    expect((await s.engine.history()).at(-1)).toMatchObject({ op: 'verify', ok: false, code: 'kernel-failed-to-boot', boot: 'boot-failed' });
  });

  it('boot-failed keeps "booted before" of a kernel that booted once, and booted again keeps the failure date', async () => {
    const s = await machine('installed');
    const first = await s.engine.verify();
    const sha = await sha256File(kernelPath(s.root));
    await editJson(s.root, (j) => {
      j.wsl = { ...j.wsl, running: [], failingKernels: { [sha]: 'Error: 0x80370109' } };
    });
    const failed = await s.engine.verify();
    expect(failed.status!.kernel).toMatchObject({ bootFact: { result: 'failed', bootedAt: first.boot!.at, failedAt: failed.boot!.at, error: { code: '0x80370109' } } });
    await editJson(s.root, (j) => {
      j.wsl = { ...j.wsl, failingKernels: {} };
    });
    const ok = await s.engine.verify();
    expect(ok.status!.kernel).toMatchObject({ bootFact: { result: 'booted', bootedAt: ok.boot!.at, failedAt: failed.boot!.at } });
  });

  it('a missing kernel fails as WSL does (0x800701bc), a file that is not a kernel times out', async () => {
    const s = await machine('installed');
    await editJson(s.root, (j) => {
      j.wsl = { ...j.wsl, running: [] };
    });
    await writeFile(kernelPath(s.root), Buffer.alloc(4096, 7));
    let r = await s.engine.verify();
    expect(r.boot).toMatchObject({ outcome: 'boot-failed', error: { code: 'Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT' } });
    const { rm } = await import('node:fs/promises');
    await rm(kernelPath(s.root));
    r = await s.engine.verify();
    expect(r.boot).toMatchObject({ outcome: 'boot-failed', expected: null, error: { code: '0x800701bc' } });
    expect(r.boot!.error!.message).toMatch(/requires an update to its kernel component/);
  });

  it('other-kernel: WSL started something else (the policy makes store WSL ignore .wslconfig)', async () => {
    const s = await machine('store-policy-blocked');
    const inst = await s.engine.install({ payload: await kernel(s.work, '6.6.40.1'), takeOver: true });
    expect(inst.ok).toBe(true);
    await s.engine.shutdownWsl();
    const r = await s.engine.verify();
    expect(r).toMatchObject({ ok: true, exitCode: 0, boot: { outcome: 'other-kernel', running: '6.6.36.3-wslk-demo', expected: { release: '6.6.40.1-microsoft-standard-WSL2', slot: 'kernel' } } });
    expect(r.boot!.message).toMatch(/AllowKernelUserSetting = 0/);
    expect(r.warnings?.[0]?.id).toBe('boot-other-kernel');
  });

  it('store WSL: install --verify boots the tool\'s kernel through the boot path and records it', async () => {
    const s = await machine('store-fresh');
    const r = await s.engine.install({ payload: await kernel(s.work, '6.6.40.1'), verify: true });
    expect(r).toMatchObject({ ok: true, exitCode: 0, boot: { outcome: 'booted', running: '6.6.40.1-microsoft-standard-WSL2' } });
    expect(r.status!.storeSlots!.kernel).toMatchObject({ bootFact: { result: 'booted' } });
  });

  it('no-distribution: nothing to start; says how to check by hand; changes nothing', async () => {
    const s = await machine('no-distribution');
    const before = await readFile(join(s.root, 'machine.json'), 'utf8');
    const r = await s.engine.verify();
    expect(r).toMatchObject({ ok: true, exitCode: 0, boot: { outcome: 'no-distribution', distribution: null, running: null } });
    expect(r.boot!.steps!.join('\n')).toMatch(/wsl --list --verbose[\s\S]*wsl --install[\s\S]*uname -r/);
    expect(await readFile(join(s.root, 'machine.json'), 'utf8')).toBe(before);
    expect((await readState(s.engine.machine)).boots).toBeUndefined();
  });
});

describe('the sandbox WSL', () => {
  it('runs only uname -r, in an installed distribution, and boots once until a shutdown', async () => {
    const s = await machine('installed');
    const m = await openSandbox(s.root);
    expect(await m.wsl.exec('Ubuntu', ['cat', '/etc/os-release'])).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/only "uname -r"/) });
    expect(await m.wsl.exec('Alpine', ['uname', '-r'])).toMatchObject({ exitCode: 4294967295, stderr: expect.stringMatching(/WSL_E_DISTRO_NOT_FOUND/) });
    await m.wsl.shutdown();
    expect((await readJson(s.root)).wsl).not.toHaveProperty('runningRelease');
    expect(await m.wsl.exec('Debian', ['uname', '-r'])).toEqual({ exitCode: 0, stdout: '5.15.153.1-wslk-demo\n', stderr: '' });
    expect(await m.wsl.exec('Ubuntu', ['uname', '-r'])).toEqual({ exitCode: 0, stdout: '5.15.153.1-wslk-demo\n', stderr: '' });
    expect((await readJson(s.root)).wsl).toMatchObject({ running: ['Debian', 'Ubuntu'], runningRelease: '5.15.153.1-wslk-demo', boots: 1 });
  });

  it('lists the distributions (default: those running) and refuses a malformed failingKernels', async () => {
    const s = await machine('installed');
    await editJson(s.root, (j) => {
      delete j.wsl.distributions;
    });
    expect(await (await openSandbox(s.root)).wsl.listDistributions()).toEqual(['Ubuntu', 'Debian']);
    await editJson(s.root, (j) => {
      j.wsl.failingKernels = { 'not-a-hash': 'x' };
    });
    await expect(openSandbox(s.root)).rejects.toMatchObject({ code: 'invalid-machine' });
  });
});

describe('the state keeps its format', () => {
  it('reads a state written before boot facts existed, and keeps the facts through other operations', async () => {
    const s = await machine('installed');
    const path = join(s.engine.machine.stateDir, 'state.json');
    const old = JSON.parse(await readFile(path, 'utf8'));
    expect(old).not.toHaveProperty('boots');
    await s.engine.verify();
    const withFacts = JSON.parse(await readFile(path, 'utf8'));
    expect(Object.keys(withFacts.boots)).toEqual([await sha256File(kernelPath(s.root))]);
    expect(withFacts.format).toBe(2);
    // A rollback and its undo rewrite the state: the facts stay.
    expect((await s.engine.rollback()).ok).toBe(true);
    expect((await s.engine.undoRollback()).ok).toBe(true);
    expect(JSON.parse(await readFile(path, 'utf8')).boots).toEqual(withFacts.boots);
  });
});

describe('wslErrorCode: the code in what WSL printed, whatever the language around it', () => {
  it.each([
    [HCS_TIMEOUT_TEXT, 'Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT'],
    ["Le délai d'attente de l'opération a expiré.\r\nCode d'erreur : Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT\r\n", 'Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT'],
    ['WSL 2 requires an update to its kernel component. For information please visit https://aka.ms/wsl2kernel\n\nError: 0x800701BC', '0x800701bc'],
    ['Die Hyper-V-Komponente ist nicht installiert. HCS_E_HYPERV_NOT_INSTALLED', 'HCS_E_HYPERV_NOT_INSTALLED'],
    ['Error code: Wsl/Service/CreateInstance/CreateVm/WSL_E_CUSTOM_KERNEL_NOT_FOUND', 'Wsl/Service/CreateInstance/CreateVm/WSL_E_CUSTOM_KERNEL_NOT_FOUND'],
    ['Something went wrong.', null],
  ])('%s', (text, code) => {
    expect(wslErrorCode(text)).toBe(code);
  });
});
