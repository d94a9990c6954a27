/**
 * The Electron main process: one locked-down window over the engine.
 *
 * Start-up order matters: the single-instance lock first (two instances must not drive one
 * machine), then the machine and recovery of any interrupted operation (docs/design.md §6: the first
 * screen must show a consistent machine), then the session rules, the IPC wrapper and the window.
 */
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { Menu, app, dialog, ipcMain, session } from 'electron';
import type { BrowserWindow } from 'electron';
import { ERRORS, KernelSetupError } from '../../shared/errors';
import { IPC_EVENT_CHANNEL } from '../../shared/ipc';
import type { EntryScreen } from '../../shared/ipc';
import { currentMachine } from '../app/current-machine';
import { EventQueue } from '../app/event-queue';
import { createHandlers } from '../app/handlers';
import type { HandlerDeps } from '../app/handlers';
import type { RendererLocation } from '../app/security';
import { defaultSandboxDir, openMachine, payloadDirs } from '../engine';
import type { OpenMachineOptions } from '../engine';
import { entryArgs, parseAppArgs, usesRealMachine } from './app-args';
import { relaunchElevated } from './elevation';
import { systemActions } from './system-actions';
import { registerIpc } from './ipc-main';
import type { IpcRegistration } from './ipc-main';
import { createMainWindow, electronDialogs, focusWindow, hardenContents, hardenSession } from './window';

const TITLE = 'WSL Kernel Setup';
const args = parseAppArgs(process.argv);
const choice = { packaged: app.isPackaged, platform: process.platform, machineDir: args.machineDir };
const sandboxDir = usesRealMachine(choice) ? null : resolve(args.machineDir ?? defaultSandboxDir());

// One instance per machine: on a sandbox the profile (and so the lock) is per sandbox folder, so
// tests can run apps on different sandboxes side by side while two on one sandbox still collide.
if (sandboxDir) {
  const key = createHash('sha256').update(sandboxDir).digest('hex').slice(0, 16);
  app.setPath('userData', join(app.getPath('userData'), 'sandboxes', key));
}

// Every renderer is sandboxed, whatever its web preferences say.
app.enableSandbox();

if (!app.requestSingleInstanceLock({ entry: args.entry })) {
  app.quit();
} else {
  start();
}

/** Where the renderer comes from: the dev server only in development, never in a packaged app. */
function rendererLocation(): RendererLocation {
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devUrl) return { kind: 'dev', url: devUrl };
  return { kind: 'file', indexHtml: join(__dirname, '..', 'renderer', 'index.html') };
}

function describe(err: unknown): string {
  if (err instanceof KernelSetupError) return `${ERRORS[err.code].title}\n\n${err.message}\n\n${ERRORS[err.code].remedy}`;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

function start(): void {
  const state: { entry: EntryScreen } = { entry: args.entry ?? 'install' };
  const location = rendererLocation();
  let win: BrowserWindow | null = null;
  let registration: IpcRegistration | null = null;
  const liveWindow = () => (win && !win.isDestroyed() ? win : null);

  const events = new EventQueue((event) => {
    const target = liveWindow();
    if (!target || target.webContents.isDestroyed()) return false;
    target.webContents.send(IPC_EVENT_CHANNEL, event);
    return true;
  });

  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('second-instance', (_event, argv, _cwd, data) => {
    const target = liveWindow();
    if (!target) return;
    focusWindow(target);
    const asked = (data as { entry?: EntryScreen | null } | undefined)?.entry ?? parseAppArgs(argv).entry;
    if (!asked || asked === state.entry) return;
    state.entry = asked;
    // Reload into the asked screen only when no request is running: an install in progress keeps
    // its progress screen (the new entry applies on the next reload).
    if ((registration?.inFlight() ?? 0) === 0) target.webContents.reload();
  });

  void app.whenReady().then(async () => {
    if (app.isPackaged) Menu.setApplicationMenu(null);
    // A sandbox folder that is missing or empty becomes a `fresh` sandbox; a folder of other files
    // is refused. An interrupted operation is finished or undone before the first screen reads
    // the machine; if that fails, the screens report the machine's problem themselves.
    const open: Omit<OpenMachineOptions, 'dir'> = {
      windows: !sandboxDir,
      unmade: 'create',
      payloadDirs: app.isPackaged ? payloadDirs({ resources: process.resourcesPath }) : payloadDirs({ checkout: app.getAppPath() }),
      recover: true,
      onRecoveryError: (err) => console.error('Recovery failed:', err),
    };
    let machine: ReturnType<typeof currentMachine>;
    try {
      const first = await openMachine({ ...open, dir: sandboxDir });
      machine = currentMachine(first, (dir) => openMachine({ ...open, dir, onRecoveryError: undefined }));
    } catch (err) {
      dialog.showErrorBox(TITLE, describe(err));
      app.exit(1);
      return;
    }

    hardenSession(session.defaultSession, location, location.kind === 'file' ? dirname(location.indexHtml) : null);

    const deps: HandlerDeps = {
      ...machine,
      get entry() {
        return state.entry;
      },
      dialogs: electronDialogs(liveWindow),
      emit: (event) => events.emit(event),
      relaunchElevated: async () => {
        if (process.platform !== 'win32') return 'unsupported';
        // The elevated instance must be able to take the single-instance lock.
        app.releaseSingleInstanceLock();
        let outcome: Awaited<ReturnType<typeof relaunchElevated>> | null = null;
        try {
          outcome = await relaunchElevated({
            exe: process.execPath,
            args: [...(app.isPackaged ? [] : [app.getAppPath()]), ...entryArgs(state.entry), ...(args.machineDir ? ['--machine', args.machineDir] : [])],
            cwd: process.cwd(),
          });
        } finally {
          if (outcome !== 'relaunched') app.requestSingleInstanceLock({ entry: null });
        }
        if (outcome === 'relaunched') setImmediate(() => app.quit());
        return outcome;
      },
      version: app.getVersion(),
      ...(systemActions() ? { system: systemActions()! } : {}),
    };

    registration = registerIpc(ipcMain, {
      handlers: createHandlers(deps),
      mainFrame: () => liveWindow()?.webContents.mainFrame ?? null,
      location,
      events,
      onUnexpected: (err, channel) => console.error(`Unexpected error in ${channel}:`, err),
      onRefused: (channel, url) => console.warn(`Refused ${channel} from ${url ?? 'an unknown frame'}`),
    });

    win = createMainWindow({
      preload: join(__dirname, '..', 'preload', 'index.js'),
      location,
      devTools: !app.isPackaged,
      title: machine.getEngine().machine.kind === 'sandbox' ? `${TITLE} (sandbox)` : TITLE,
    });
    // A reloading or crashed page subscribes again: hold events until it says it is ready.
    win.webContents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) events.reset();
    });
    win.webContents.on('render-process-gone', () => events.reset());
    win.on('closed', () => {
      win = null;
    });
  });
}
