/**
 * The seed's whole story on "this Windows machine": the CLI bundle under Node for Windows, the real
 * Windows adapter (reg.exe, System32\lxss\tools, ProgramData), checked on the prefix's C: drive and
 * with reg.exe. Each step depends on the one before, as on a user's machine.
 */
import * as fsp from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEYS, STATE, TOOLS, installStandIns, regQuery, resetMachine } from './support/machine';
import { fileSha, seedKernels, type WinKernel } from './support/kernels';
import { drive, wslk, wslkHuman } from './support/wine';

let K: Record<'A' | 'B' | 'C', WinKernel>;
const kernelSha = () => fileSha(drive(TOOLS, 'kernel'));
const rollbackSha = () => fileSha(drive(TOOLS, 'kernel.rollback'));

beforeAll(async () => {
  await installStandIns();
  await resetMachine({ preset: 'fresh' });
  K = await seedKernels();
});

describe('the seed story on a Windows machine', () => {
  it('fresh: no kernel, every pre-check passes, the process is win32', async () => {
    const r = await wslk(['status']);
    expect(r.json).toMatchObject({ ok: true, exitCode: 0, status: { kernel: { present: false }, rollbackKernel: { present: false }, effective: null, wsl: { running: [] } } });
    const p = await wslk(['precheck']);
    expect(p.json.ok).toBe(true);
    expect(p.json.checks?.filter((c) => c.status === 'fail')).toEqual([]);
    const human = await wslkHuman(['status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/kernel\s+missing/);
  });

  it('install A: System32\\lxss\\tools\\kernel holds A, KernelVersion says A', async () => {
    const r = await wslk(['install', '--payload', K.A.winPath]);
    expect(r.json).toMatchObject({ ok: true, exitCode: 0, status: { kernel: { version: K.A.version, sha256: K.A.sha256 }, rollbackKernel: { present: false } } });
    expect(await kernelSha()).toBe(K.A.sha256);
    expect(await rollbackSha()).toBeNull();
    expect(await regQuery(KEYS.detection, 'KernelVersion')).toMatchObject({ type: 'REG_SZ', data: K.A.version });
  });

  it('update to B: A moves to kernel.rollback', async () => {
    const r = await wslk(['install', '--payload', K.B.winPath]);
    expect(r.json).toMatchObject({ ok: true, exitCode: 0, status: { kernel: { version: K.B.version }, rollbackKernel: { version: K.A.version } } });
    expect(await kernelSha()).toBe(K.B.sha256);
    expect(await rollbackSha()).toBe(K.A.sha256);
    expect((await regQuery(KEYS.detection, 'KernelVersion'))?.data).toBe(K.B.version);
  });

  it('rollback: RollbackKernel = 1 (REG_DWORD), B marked bad, no file copied', async () => {
    const r = await wslk(['rollback']);
    expect(r.json).toMatchObject({ ok: true, exitCode: 0, status: { rollbackActive: true, effective: 'kernel.rollback', badVersions: [K.B.version] } });
    expect(await regQuery(KEYS.lxss, 'RollbackKernel')).toMatchObject({ type: 'REG_DWORD', data: '0x1' });
    expect(await kernelSha()).toBe(K.B.sha256);
    expect(await rollbackSha()).toBe(K.A.sha256);
    const again = await wslk(['rollback']);
    expect(again.json).toMatchObject({ ok: false, code: 'already-rolled-back', exitCode: 1603 });
  });

  it('update to C: C replaces B, A stays the known-good rollback, RollbackKernel deleted', async () => {
    const r = await wslk(['install', '--payload', K.C.winPath]);
    expect(r.json).toMatchObject({ ok: true, exitCode: 0, status: { kernel: { version: K.C.version }, rollbackKernel: { version: K.A.version }, rollbackActive: false } });
    expect(await kernelSha()).toBe(K.C.sha256);
    expect(await rollbackSha()).toBe(K.A.sha256);
    expect(await regQuery(KEYS.lxss, 'RollbackKernel')).toBeNull();
  });

  it('undo-rollback: refused when not rolled back; after a rollback it deletes RollbackKernel', async () => {
    let r = await wslk(['undo-rollback']);
    expect(r.json).toMatchObject({ ok: false, code: 'not-rolled-back', exitCode: 1603 });
    r = await wslk(['rollback']);
    expect(r.json.status).toMatchObject({ rollbackActive: true, badVersions: expect.arrayContaining([K.B.version, K.C.version]) });
    expect((await regQuery(KEYS.lxss, 'RollbackKernel'))?.data).toBe('0x1');
    r = await wslk(['undo-rollback']);
    expect(r.json).toMatchObject({ ok: true, exitCode: 0, status: { rollbackActive: false, effective: 'kernel', badVersions: [K.B.version] } });
    expect(await regQuery(KEYS.lxss, 'RollbackKernel')).toBeNull();
  });

  it('B is refused (version-marked-bad) and nothing changes', async () => {
    const r = await wslk(['install', '--payload', K.B.winPath]);
    expect(r.json).toMatchObject({ ok: false, code: 'version-marked-bad', exitCode: 1603 });
    expect(await kernelSha()).toBe(K.C.sha256);
    expect(await rollbackSha()).toBe(K.A.sha256);
    expect((await regQuery(KEYS.detection, 'KernelVersion'))?.data).toBe(K.C.version);
  });

  it('diagnose: healthy; then a deleted kernel is found and repaired from kernel.rollback', async () => {
    let r = await wslk(['diagnose']);
    expect(r.json.findings?.filter((f) => f.severity === 'error')).toEqual([]);
    await fsp.rm(drive(TOOLS, 'kernel'));
    r = await wslk(['diagnose']);
    const errors = r.json.findings?.filter((f) => f.severity === 'error') ?? [];
    expect(errors.length).toBeGreaterThan(0);
    r = await wslk(['repair']);
    expect(r.json).toMatchObject({ ok: true, exitCode: 0 });
    expect(r.json.applied?.length).toBeGreaterThan(0);
    expect(await kernelSha()).toBe(K.A.sha256);
    expect(r.json.findings?.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('history and the state folder live in C:\\ProgramData\\WslKernelSetup', async () => {
    const r = await wslk(['history']);
    const ops = (r.json.history ?? []).map((h) => h.op);
    expect(ops).toEqual(expect.arrayContaining(['install', 'rollback', 'undo-rollback', 'repair']));
    expect((await fsp.readdir(drive(STATE))).length).toBeGreaterThan(0);
  });
});
