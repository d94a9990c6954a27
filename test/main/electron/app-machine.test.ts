/** The app's command line and which machine it works on. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryArgs, parseAppArgs } from '../../../src/main/electron/app-args';
import { AppMachine, chooseMachine, openOrCreateSandbox, payloadDirs, usesRealMachine } from '../../../src/main/electron/app-machine';
import { REG } from '../../../src/main/engine/machine/machine';
import { tempDir } from '../../helpers/sandbox';

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

  it('finds the payload in resources when packaged, in assets in a checkout', () => {
    expect(payloadDirs({ packaged: true, resourcesPath: '/r', appPath: '/a' })).toEqual([join('/r', 'payload')]);
    expect(payloadDirs({ packaged: false, resourcesPath: '/r', appPath: '/a' })).toEqual([join('/a', 'assets', 'payload')]);
  });
});

describe('sandbox folders', () => {
  let t: { dir: string; cleanup(): Promise<void> };
  beforeEach(async () => {
    t = await tempDir('wslk-app-machine-');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates a fresh sandbox in a missing or empty folder', async () => {
    const missing = join(t.dir, 'new');
    const m = await openOrCreateSandbox(missing);
    expect(m.kind).toBe('sandbox');
    expect(existsSync(join(missing, 'machine.reg'))).toBe(true);
    expect(await m.registry.keyExists(REG.lxssManager)).toBe(true);
    const empty = join(t.dir, 'empty');
    await mkdir(empty);
    expect((await openOrCreateSandbox(empty)).root).toBe(empty);
  });

  it('opens an existing sandbox as it is and leaves a folder of other files alone', async () => {
    const dir = join(t.dir, 'sb');
    await openOrCreateSandbox(dir);
    await writeFile(join(dir, 'machine.json'), JSON.stringify({ elevated: false }));
    expect(await (await openOrCreateSandbox(dir)).facts.isElevated()).toBe(false);
    const docs = join(t.dir, 'documents');
    await mkdir(docs);
    await writeFile(join(docs, 'thesis.txt'), 'mine');
    await expect(openOrCreateSandbox(docs)).rejects.toMatchObject({ code: 'invalid-machine' });
    expect(existsSync(join(docs, 'machine.reg'))).toBe(false);
  });

  it('uses WSLK_SANDBOX in development when no --machine is given', async () => {
    const saved = process.env.WSLK_SANDBOX;
    process.env.WSLK_SANDBOX = join(t.dir, 'from-env');
    try {
      const machine = await chooseMachine({ packaged: false, platform: 'linux', machineDir: null });
      expect(machine.root).toBe(join(t.dir, 'from-env'));
      expect(existsSync(join(t.dir, 'from-env', 'machine.reg'))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.WSLK_SANDBOX;
      else process.env.WSLK_SANDBOX = saved;
    }
  });

  it('chooses --machine when given, and switches sandboxes with recovery', async () => {
    const first = join(t.dir, 'one');
    const machine = await chooseMachine({ packaged: false, platform: 'linux', machineDir: first });
    expect(machine.root).toBe(first);
    const app = new AppMachine(machine, []);
    expect(app.info()).toEqual({ kind: 'sandbox', label: `sandbox ${first}`, root: first });
    const second = join(t.dir, 'two');
    expect((await app.switchTo(second)).root).toBe(second);
    expect(app.engine.machine.root).toBe(second);
    // A refused folder leaves the current machine in place.
    await mkdir(join(t.dir, 'docs'));
    await writeFile(join(t.dir, 'docs', 'a'), 'x');
    await expect(app.switchTo(join(t.dir, 'docs'))).rejects.toMatchObject({ code: 'invalid-machine' });
    expect(app.engine.machine.root).toBe(second);
  });
});
