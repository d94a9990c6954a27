/**
 * The commands added after the seed's story, through the real Windows adapter: the boot check
 * (`wsl -d <distro> --exec uname -r` through the stand-in wsl.exe), turning WSL on with dism.exe
 * (a stand-in: Wine has none), and a pasted WSL error explained for this machine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HCS_TIMEOUT_TEXT } from '../../src/main/engine/sandbox/sandbox-wsl';
import { installStandIns, resetMachine, standInCalls } from './support/machine';
import { winKernel, type WinKernel } from './support/kernels';
import { wslk } from './support/wine';

let A: WinKernel;

beforeAll(async () => {
  await installStandIns();
  A = await winKernel('5.15.153.1', (1 << 20) + 2560);
});

describe('verify on a Windows machine', () => {
  it('booted: WSL runs the kernel it should boot; the check is in the history', async () => {
    await resetMachine({ running: ['Ubuntu'], exec: { out: `${A.release}\n` } });
    // --verify restarts WSL (the stand-in's shutdown stops Ubuntu), starts it and asks which kernel runs.
    const r = await wslk(['install', '--payload', A.winPath, '--verify']);
    expect(r.json, r.json.message).toMatchObject({ ok: true, exitCode: 0, boot: { outcome: 'booted', running: A.release, distribution: 'Ubuntu' } });
    expect(await standInCalls('wsl')).toContain('-d Ubuntu --exec uname -r');
    const v = await wslk(['verify']);
    expect(v.json).toMatchObject({ ok: true, exitCode: 0, boot: { outcome: 'booted' } });
    expect((await wslk(['history'])).json.history?.at(-1)).toMatchObject({ op: 'verify', ok: true });
  });

  it('boot-failed: WSL’s error (UTF-16LE, as wsl.exe writes it) is reported with its code, exit 1627', async () => {
    await resetMachine({ running: ['Ubuntu'], exec: { out: Buffer.from(`${HCS_TIMEOUT_TEXT}\r\n`, 'utf16le'), exit: 1 } });
    expect((await wslk(['install', '--payload', A.winPath])).json).toMatchObject({ ok: true });
    const r = await wslk(['verify']);
    expect(r.json).toMatchObject({ ok: false, code: 'kernel-failed-to-boot', exitCode: 1627, boot: { outcome: 'boot-failed', running: null } });
    expect(r.json.boot?.error?.code).toBe('Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT');
  });
});

describe('enable-features on a Windows machine', () => {
  it('runs dism.exe for the feature that is off (WSL; the Virtual Machine Platform is on); 3010 is done with a restart to come', async () => {
    await resetMachine({ preset: 'no-wsl', dismExit: 3010 });
    const r = await wslk(['enable-features']);
    expect(r.json, r.json.message).toMatchObject({ ok: true, exitCode: 0 });
    expect(await standInCalls('dism')).toEqual(['/online /enable-feature /featurename:Microsoft-Windows-Subsystem-Linux /all /norestart']);
    expect(r.json.message).toMatch(/Restart Windows/);
  });

  it('dism.exe exit 740 (needs elevation) is not-elevated, exit 5', async () => {
    await resetMachine({ preset: 'no-wsl', dismExit: 740 });
    expect((await wslk(['enable-features'])).json).toMatchObject({ ok: false, code: 'not-elevated', exitCode: 5 });
  });
});

describe('diagnose --error on a Windows machine', () => {
  it('the message Windows shows when WSL has no kernel, explained for this machine', async () => {
    await resetMachine();
    const text = 'WSL 2 requires an update to its kernel component. For information please visit https://aka.ms/wsl2kernel';
    const r = await wslk(['diagnose', '--error', text]);
    expect(r.json, r.json.message).toMatchObject({ ok: true, pastedError: { recognised: true, aboutKernel: true } });
    expect(r.json.pastedError?.onThisMachine).toMatch(/kernel/i);
    expect(r.json.findings?.map((f) => f.id)).toContain('kernel-missing');
  });
});
