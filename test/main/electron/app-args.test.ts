/** The app's command line, and when the app works on this computer. */
import { describe, expect, it } from 'vitest';
import { entryArgs, parseAppArgs, usesRealMachine } from '../../../src/main/electron/app-args';

describe('parseAppArgs', () => {
  it('reads the entry screen and the sandbox among Electron’s own arguments', () => {
    expect(parseAppArgs(['/opt/app/wsl-kernel-setup'])).toEqual({ entry: null, machineDir: null });
    expect(parseAppArgs(['electron', '.', '--settings'])).toEqual({ entry: 'settings', machineDir: null });
    expect(parseAppArgs(['app.exe', '--repair', '--machine', 'C:\\sb'])).toEqual({ entry: 'repair', machineDir: 'C:\\sb' });
    expect(parseAppArgs(['app', '--machine=/tmp/sb', '--no-sandbox', '--enable-logging'])).toEqual({ entry: null, machineDir: '/tmp/sb' });
    expect(parseAppArgs(['app', '--machine', '--settings'])).toEqual({ entry: 'settings', machineDir: null });
  });

  it('round-trips the entry screen through its flag', () => {
    for (const entry of ['install', 'settings', 'repair'] as const) {
      expect(parseAppArgs(['app', ...entryArgs(entry)]).entry ?? 'install').toBe(entry);
    }
  });
});

describe('machine choice', () => {
  it('uses this computer only in the packaged app on Windows without --machine', () => {
    expect(usesRealMachine({ packaged: true, platform: 'win32', machineDir: null })).toBe(true);
    expect(usesRealMachine({ packaged: false, platform: 'win32', machineDir: null })).toBe(false);
    expect(usesRealMachine({ packaged: true, platform: 'linux', machineDir: null })).toBe(false);
    expect(usesRealMachine({ packaged: true, platform: 'win32', machineDir: 'C:\\sb' })).toBe(false);
  });
});
