/**
 * WSL control through System32\wsl.exe (a stand-in printing UTF-16LE like the real one): running
 * distributions are listed before a restart, `--shutdown-wsl` shuts WSL down after the change, and
 * a shutdown that fails does not turn a finished install or rollback into a failure.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { KEYS, TOOLS, installStandIns, regQuery, resetMachine, standInCalls } from './support/machine';
import { fileSha, winKernel, type WinKernel } from './support/kernels';
import { drive, wslk, wslkHuman } from './support/wine';

let A: WinKernel;
let B: WinKernel;

beforeAll(async () => {
  await installStandIns();
  A = await winKernel('5.10.102.1', (1 << 20) + 2048);
  B = await winKernel('5.15.153.1', (1 << 20) + 3072);
});

describe('wsl.exe on a Windows machine', () => {
  it('lists running distributions from UTF-16LE output, non-ASCII names included', async () => {
    await resetMachine({ running: ['Ubuntu-22.04', 'Débian', 'アーチ'] });
    const r = await wslk(['status']);
    expect(r.json.status?.wsl.running).toEqual(['Ubuntu-22.04', 'Débian', 'アーチ']);
    expect(await standInCalls('wsl')).toContain('--list --running --quiet');
  });

  it('install --shutdown-wsl: installs, then shuts WSL down and names what it stopped', async () => {
    await resetMachine({ running: ['Ubuntu', 'Debian'] });
    const r = await wslk(['install', '--payload', A.winPath, '--shutdown-wsl']);
    expect(r.json).toMatchObject({ ok: true, exitCode: 0, shutdown: { stopped: ['Ubuntu', 'Debian'] }, status: { wsl: { running: [] } } });
    expect(await standInCalls('wsl')).toContain('--shutdown');
    expect(await fileSha(drive(TOOLS, 'kernel'))).toBe(A.sha256);
  });

  it('without --shutdown-wsl WSL is left running, and the restart is offered', async () => {
    await resetMachine({ running: ['Ubuntu'] });
    const r = await wslk(['install', '--payload', A.winPath]);
    expect(r.json).toMatchObject({ ok: true, restartNeeded: true, status: { wsl: { running: ['Ubuntu'] } } });
    expect(await standInCalls('wsl')).not.toContain('--shutdown');
  });

  it('a failing wsl --shutdown after an install: success (exit 0), the failed restart reported', async () => {
    await resetMachine({ running: ['Ubuntu'], shutdownExit: 1 });
    const r = await wslk(['install', '--payload', A.winPath, '--shutdown-wsl']);
    expect(r.json).toMatchObject({ ok: true, code: null, exitCode: 0, restart: { ok: false } });
    expect(r.json.restart?.message).toMatch(/shutdown/i);
    expect(await fileSha(drive(TOOLS, 'kernel'))).toBe(A.sha256);
    expect((await regQuery(KEYS.detection, 'KernelVersion'))?.data).toBe(A.version);
    const h = await wslk(['history']);
    expect(h.json.history?.at(-1)).toMatchObject({ op: 'install', ok: true });
  });

  it('a failing wsl --shutdown after a rollback: rolled back, a warning in human output', async () => {
    await resetMachine({ running: ['Ubuntu'], shutdownExit: 1 });
    await wslk(['install', '--payload', A.winPath]);
    await wslk(['install', '--payload', B.winPath]);
    const r = await wslkHuman(['rollback', '--shutdown-wsl']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Warning: .*restart/i);
    expect((await regQuery(KEYS.lxss, 'RollbackKernel'))?.data).toBe('0x1');
  });
});
