/**
 * The app's one window and the session around it, locked down: no navigation, no new windows,
 * no webviews, no permissions, no remote content, and the CSP sent as a response header too.
 */
import { BrowserWindow, dialog } from 'electron';
import type { Session, WebContents } from 'electron';
import type { Dialogs } from '../app/handlers';
import { contentSecurityPolicy, isAllowedRequest, withCsp } from '../app/security';
import type { RendererLocation } from '../app/security';

/**
 * Deny everything a page could use to leave the app: navigating, opening windows, attaching
 * webviews. Applied to every web contents the app creates, not only the main window's.
 */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Session rules: CSP header on every response, every permission denied, only app files load. */
export function hardenSession(session: Session, location: RendererLocation, rendererDir: string | null): void {
  const csp = contentSecurityPolicy(location);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders, csp) });
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, location, rendererDir) });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export interface WindowOptions {
  preload: string;
  location: RendererLocation;
  devTools: boolean;
  title: string;
}

/** Create the main window and load the renderer; it is shown once the first paint is ready. */
export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 960,
    height: 720,
    minWidth: 720,
    minHeight: 560,
    show: false,
    title: opts.title,
    autoHideMenuBar: true,
    // Spelled out so scanners (electronegativity) can read them; a test checks every value.
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: opts.devTools,
      preload: opts.preload,
    },
  });
  hardenContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  if (opts.location.kind === 'dev') void win.loadURL(opts.location.url);
  else void win.loadFile(opts.location.indexHtml);
  return win;
}

/** Bring the window to the front (a second launch of the app does this). */
export function focusWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}

/** The host dialogs of the handlers, shown by main and attached to the window. */
export function electronDialogs(getWindow: () => BrowserWindow | null): Dialogs {
  const parent = () => {
    const win = getWindow();
    return win && !win.isDestroyed() ? win : null;
  };
  return {
    async openFile(kind) {
      const options: Electron.OpenDialogOptions = {
        title: kind === 'msi' ? 'Choose the WSL update package (wsl_update_x64.msi)' : 'Choose a kernel file',
        properties: ['openFile', 'dontAddToRecent'],
        filters: kind === 'msi' ? [{ name: 'Windows Installer package', extensions: ['msi'] }] : [{ name: 'All files', extensions: ['*'] }],
      };
      const win = parent();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async saveFile(defaultName) {
      const options: Electron.SaveDialogOptions = {
        title: 'Save the diagnostics bundle',
        defaultPath: defaultName,
        filters: [{ name: 'JSON', extensions: ['json'] }],
        properties: ['showOverwriteConfirmation', 'dontAddToRecent'],
      };
      const win = parent();
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled ? null : (result.filePath ?? null);
    },
    async pickFolder() {
      const options: Electron.OpenDialogOptions = {
        title: 'Choose a sandbox folder (an existing sandbox, or an empty folder)',
        properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'],
      };
      const win = parent();
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
