/**
 * The pre-check failures (docs/design.md §3.2, §5) read from the real (Wine) registry and the stand-in
 * fltmc.exe: each is refused with its own code and check, and nothing on C: or in HKLM changes.
 */
import * as fsp from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEYS, TOOLS, installStandIns, regQuery, resetMachine, standInCalls, type MachineOptions } from './support/machine';
import { winKernel, type WinKernel } from './support/kernels';
import { drive, wslk, wslkHuman } from './support/wine';

let payload: WinKernel;

beforeAll(async () => {
  await installStandIns();
  payload = await winKernel('5.15.153.1', (1 << 20) + 1024);
});

async function toolsFiles(): Promise<string[]> {
  return fsp.readdir(drive(TOOLS));
}

const CASES: [string, MachineOptions, string, number, string][] = [
  ['WSL not enabled', { preset: 'no-wsl' }, 'wsl-not-enabled', 1603, 'wsl-feature'],
  ['enabled but a reboot is pending', { preset: 'reboot-pending' }, 'reboot-required', 1603, 'reboot'],
  ['a Windows build too old for WSL 2', { preset: 'old-build' }, 'wsl-unsupported-build', 1603, 'windows-build'],
  ['not elevated (fltmc.exe fails)', { preset: 'fresh', fltmcExit: 1 }, 'not-elevated', 5, 'elevated'],
];

describe('pre-checks on a Windows machine', () => {
  it.each(CASES)('%s: install is refused and nothing changes', async (_title, machine, code, exitCode, check) => {
    await resetMachine(machine);
    const r = await wslk(['install', '--payload', payload.winPath]);
    expect(r.json).toMatchObject({ ok: false, code, exitCode });
    expect(r.json.checks?.find((c) => c.id === check)?.status).toBe('fail');
    expect(await toolsFiles()).toEqual([]);
    expect(await regQuery(KEYS.detection, 'KernelVersion')).toBeNull();
    const p = await wslk(['precheck']);
    expect(p.json).toMatchObject({ ok: false, code, exitCode });
  });

  it('elevation is asked of System32\\fltmc.exe', async () => {
    await resetMachine({ preset: 'fresh', fltmcExit: 1 });
    await wslk(['precheck']);
    expect((await standInCalls('fltmc')).length).toBeGreaterThan(0);
  });

  it('not elevated: rollback is refused with exit code 5, in human output with its remedy', async () => {
    await resetMachine({ preset: 'fresh', fltmcExit: 1 });
    const r = await wslkHuman(['rollback']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/\[not-elevated\]/);
    expect(r.stderr).toMatch(/Remedy: /);
  });

  it('a machine without wsl.exe still answers status (nothing running)', async () => {
    await installStandIns({ wsl: false });
    try {
      await resetMachine({ preset: 'no-wsl' });
      const r = await wslk(['status']);
      expect(r.json).toMatchObject({ ok: true, status: { kernel: { present: false }, wsl: { running: [] } } });
    } finally {
      await installStandIns();
    }
  });
});
