/**
 * "Turn on WSL" (ops/windows-features.ts): the missing features are turned on under the lock, the
 * pre-checks after it ask only for the restart, and dism.exe's exit codes are read as Windows means them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine/engine';
import { openSandbox } from '../../../../src/main/engine/sandbox/sandbox-machine';
import { createWindowsFeatures } from '../../../../src/main/engine/windows/features';
import type { RunResult } from '../../../../src/main/engine/windows/exec';
import { sandbox } from '../../../helpers/sandbox';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function engineOn(preset: string): Promise<{ engine: Engine; root: string }> {
  const s = await sandbox(preset);
  cleanups.push(s.cleanup);
  return { engine: new Engine(await openSandbox(s.root)), root: s.root };
}

const failed = (r: Awaited<ReturnType<Engine['precheck']>>) => r.checks?.filter((c) => c.status === 'fail').map((c) => c.id);

describe('enable-features on a sandbox', () => {
  it('turns WSL on where it is off; then only the restart is missing, and a second run has nothing to do', async () => {
    const { engine, root } = await engineOn('no-wsl');
    expect(failed(await engine.precheck())).toEqual(['wsl-feature']);
    const r = await engine.enableFeatures();
    expect(r).toMatchObject({ ok: true, code: null, exitCode: 0 });
    expect(r.message).toBe('Turned on Windows Subsystem for Linux. Restart Windows to finish; then install the kernel.');
    expect(failed(r)).toEqual(['reboot']);
    expect(readFileSync(join(root, 'machine.reg'), 'utf8')).toContain('[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\LxssManager]');
    expect(failed(await engine.precheck())).toEqual(['reboot']);
    const again = await engine.enableFeatures();
    expect(again.ok).toBe(true);
    expect(again.message).toMatch(/already turned on/);
    const history = await engine.history();
    expect(history.filter((h) => h.op === 'enable-features').map((h) => h.ok)).toEqual([true, true]);
  });

  it('turns Virtual Machine Platform on (both of its services)', async () => {
    const { engine, root } = await engineOn('no-vm-platform');
    const r = await engine.enableFeatures();
    expect(r.message).toBe('Turned on Virtual Machine Platform. Restart Windows to finish; then install the kernel.');
    const reg = readFileSync(join(root, 'machine.reg'), 'utf8');
    expect(reg).toContain('Services\\vmcompute]');
    expect(reg).toContain('Services\\HNS]');
    expect(failed(r)).toEqual(['reboot']);
  });

  it('refuses without administrator rights and changes nothing', async () => {
    const { engine, root } = await engineOn('no-wsl');
    writeFileSync(join(root, 'machine.json'), JSON.stringify({ elevated: false }));
    const before = readFileSync(join(root, 'machine.reg'));
    const r = await engine.enableFeatures();
    expect(r).toMatchObject({ ok: false, code: 'not-elevated', exitCode: 5 });
    expect(readFileSync(join(root, 'machine.reg'))).toEqual(before);
  });
});

describe('dism.exe (windows/features.ts)', () => {
  const result = (code: number | null, stdout = '', extra: Partial<RunResult> = {}): RunResult => ({ code, stdout: Buffer.from(stdout), stderr: Buffer.alloc(0), notFound: false, timedOut: false, ...extra });

  it('runs dism with the feature name, no restart, and reads 0 and 3010 as success', async () => {
    const calls: string[][] = [];
    for (const code of [0, 3010]) {
      const features = createWindowsFeatures('C:\\Windows\\System32\\dism.exe', async (file, args) => {
        calls.push([file, ...args]);
        return result(code);
      });
      await features.enable('vm-platform');
    }
    expect(calls[0]).toEqual(['C:\\Windows\\System32\\dism.exe', '/online', '/enable-feature', '/featurename:VirtualMachinePlatform', '/all', '/norestart']);
    expect(calls).toHaveLength(2);
  });

  it('maps elevation, a missing dism and other failures to coded errors with dism’s own last line', async () => {
    const run = (r: RunResult) => createWindowsFeatures('dism.exe', async () => r).enable('wsl');
    await expect(run(result(740))).rejects.toMatchObject({ code: 'not-elevated' });
    await expect(run(result(null, '', { notFound: true }))).rejects.toMatchObject({ code: 'io-error', message: expect.stringContaining('dism.exe was not found') });
    await expect(run(result(87, 'Deployment Image Servicing and Management tool\r\nError: 87\r\n\r\nThe enable-feature option is unknown.\r\n'))).rejects.toMatchObject({
      code: 'io-error',
      message: 'Windows could not turn on Microsoft-Windows-Subsystem-Linux (dism.exe exited with 87: The enable-feature option is unknown.).',
    });
  });
});
