/**
 * The main process wiring (src/main/electron/index.ts) over a recording fake of Electron, since Electron
 * itself cannot start here: the start-up order, the machine it picks, the IPC it registers and the
 * window it opens — then a real request through the registered wrapper to the real engine.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, IPC_INVOKE_PREFIX, IPC_READY_CHANNEL } from '../../../src/shared/ipc';
import type { AppInfo, IpcResult } from '../../../src/shared/ipc';
import { tempDir } from '../../helpers/sandbox';

type Fn = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const log: string[] = [];
  const state = {
    log,
    userData: '',
    handlers: new Map<string, Fn>(),
    listeners: new Map<string, Fn>(),
    appEvents: new Map<string, Fn>(),
    session: new Map<string, Fn>(),
    nextFolder: '',
    windows: [] as { options: Record<string, unknown>; loaded: string[]; sent: unknown[][]; contents: Map<string, Fn>; reloads: number }[],
  };
  return state;
});

vi.mock('electron', () => {
  const mainFrame = { url: '', processId: 3, routingId: 1, parent: null };
  class BrowserWindow {
    record = { options: {} as Record<string, unknown>, loaded: [] as string[], sent: [] as unknown[][], contents: new Map<string, Fn>(), reloads: 0 };
    webContents = {
      mainFrame,
      on: (name: string, fn: Fn) => this.record.contents.set(name, fn),
      setWindowOpenHandler: (fn: Fn) => this.record.contents.set('window-open', fn),
      send: (...args: unknown[]) => this.record.sent.push(args),
      isDestroyed: () => false,
      reload: () => {
        this.record.reloads++;
      },
    };
    constructor(options: Record<string, unknown>) {
      this.record.options = options;
      fake.windows.push(this.record);
      fake.log.push('window');
    }
    once() {}
    on() {}
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    isVisible() {
      return true;
    }
    focus() {
      fake.log.push('focus');
    }
    loadFile(file: string) {
      mainFrame.url = `file://${file}`;
      this.record.loaded.push(file);
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
  }
  const app = {
    isPackaged: false,
    getPath: () => '/fake/userData',
    setPath: (_name: string, path: string) => {
      fake.userData = path;
    },
    enableSandbox: () => fake.log.push('enableSandbox'),
    requestSingleInstanceLock: () => {
      fake.log.push('lock');
      return true;
    },
    releaseSingleInstanceLock: () => undefined,
    on: (name: string, fn: Fn) => fake.appEvents.set(name, fn),
    whenReady: () => Promise.resolve(),
    quit: () => fake.log.push('quit'),
    exit: (code: number) => fake.log.push(`exit ${code}`),
    getAppPath: () => '/fake/app',
    getVersion: () => '9.9.9',
  };
  const hook = (name: string) => (fn: Fn) => fake.session.set(name, fn);
  return {
    app,
    BrowserWindow,
    Menu: { setApplicationMenu: () => fake.log.push('menu') },
    dialog: {
      showErrorBox: (title: string, text: string) => fake.log.push(`error ${title}: ${text}`),
      showOpenDialog: async () => ({ canceled: false, filePaths: [fake.nextFolder] }),
    },
    ipcMain: {
      handle: (channel: string, fn: Fn) => fake.handlers.set(channel, fn),
      removeHandler: () => undefined,
      on: (channel: string, fn: Fn) => fake.listeners.set(channel, fn),
      removeListener: () => undefined,
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: hook('headers'), onBeforeRequest: hook('request') },
        setPermissionRequestHandler: hook('permissionRequest'),
        setPermissionCheckHandler: hook('permissionCheck'),
        setDevicePermissionHandler: hook('device'),
      },
    },
  };
});

let t: { dir: string; cleanup(): Promise<void> };
let sandboxDir: string;
const savedArgv = process.argv;
const savedDevUrl = process.env.ELECTRON_RENDERER_URL;

beforeAll(async () => {
  t = await tempDir('wslk-main-');
  sandboxDir = join(t.dir, 'sandbox');
  delete process.env.ELECTRON_RENDERER_URL;
  process.argv = ['/fake/electron', '/fake/app', '--settings', '--machine', sandboxDir];
  await import('../../../src/main/electron/index');
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
});
afterAll(async () => {
  process.argv = savedArgv;
  if (savedDevUrl !== undefined) process.env.ELECTRON_RENDERER_URL = savedDevUrl;
  await t.cleanup();
});

const trusted = () => ({ senderFrame: { url: `file://${fake.windows[0]!.loaded[0]}`, processId: 3, routingId: 1, parent: null } });

describe('the main process', () => {
  it('sandboxes every renderer and takes the single-instance lock before anything else', () => {
    expect(fake.log.slice(0, 2)).toEqual(['enableSandbox', 'lock']);
    expect(fake.log).not.toContain('quit');
    expect(fake.log.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('works on the --machine sandbox (created fresh), with a profile of its own', () => {
    expect(existsSync(join(sandboxDir, 'machine.reg'))).toBe(true);
    expect(fake.userData).toMatch(/^\/fake\/userData\/sandboxes\/[0-9a-f]{16}$/);
  });

  it('locks down the session and registers every channel through the wrapper', () => {
    expect([...fake.session.keys()].sort()).toEqual(['device', 'headers', 'permissionCheck', 'permissionRequest', 'request']);
    expect([...fake.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map((c) => IPC_INVOKE_PREFIX + c).sort());
    expect([...fake.listeners.keys()]).toEqual([IPC_READY_CHANNEL]);
    expect(fake.log.indexOf('window')).toBeGreaterThan(-1);
  });

  it('opens one sandboxed window on the built renderer, with the preload (dev tools in development only)', () => {
    const win = fake.windows[0]!;
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: true });
    expect(fake.log).not.toContain('menu');
    expect(String((win.options.webPreferences as { preload: string }).preload)).toMatch(/preload[\\/]index\.js$/);
    expect(win.loaded[0]).toMatch(/renderer[\\/]index\.html$/);
    expect(win.options.title).toBe('WSL Kernel Setup (sandbox)');
    expect([...win.contents.keys()]).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview', 'window-open', 'did-start-navigation']));
  });

  it('answers our page from the real engine, with the entry screen from the command line', async () => {
    const info = (await fake.handlers.get(`${IPC_INVOKE_PREFIX}info`)!(trusted(), {})) as IpcResult<AppInfo>;
    expect(info.ok).toBe(true);
    if (!info.ok) return;
    expect(info.value).toMatchObject({ entry: 'settings', version: '9.9.9', needsElevation: false, machine: { kind: 'sandbox', root: sandboxDir } });
    await expect(fake.handlers.get(`${IPC_INVOKE_PREFIX}info`)!({ senderFrame: { ...trusted().senderFrame, url: 'https://example.com/' } }, {})).rejects.toThrow(/Refused/);
  });

  it('holds events until the page is ready, then sends them (here: switching sandboxes)', async () => {
    const win = fake.windows[0]!;
    if (process.platform !== 'win32') {
      // (On Windows this would show a real UAC prompt.)
      const relaunch = await fake.handlers.get(`${IPC_INVOKE_PREFIX}relaunchElevated`)!(trusted(), {});
      expect(relaunch).toEqual({ ok: true, value: { outcome: 'unsupported' } });
    }
    fake.nextFolder = join(t.dir, 'second');
    const picked = (await fake.handlers.get(`${IPC_INVOKE_PREFIX}pickSandbox`)!(trusted(), {})) as IpcResult<{ root: string }>;
    expect(picked).toMatchObject({ ok: true, value: { root: fake.nextFolder } });
    expect(win.sent).toEqual([]);
    fake.listeners.get(IPC_READY_CHANNEL)!(trusted());
    expect(win.sent).toEqual([['wslk:event', { type: 'machine-changed', machine: expect.objectContaining({ root: fake.nextFolder }) }]]);
    const info = (await fake.handlers.get(`${IPC_INVOKE_PREFIX}info`)!(trusted(), {})) as IpcResult<AppInfo>;
    expect(info.ok && info.value.machine.root).toBe(fake.nextFolder);
  });

  it('a second launch focuses the window and opens the screen it asks for', () => {
    const win = fake.windows[0]!;
    fake.appEvents.get('second-instance')!({}, ['/fake/electron', '--repair'], '/', { entry: 'repair' });
    expect(fake.log.at(-1)).toBe('focus');
    expect(win.reloads).toBe(1);
    fake.appEvents.get('second-instance')!({}, ['/fake/electron', '--repair'], '/', { entry: 'repair' });
    expect(win.reloads).toBe(1);
  });
});
