/**
 * Static checks of the window: its web preferences, the Content Security Policy, and what the
 * window and session handlers do with navigation, new windows, permissions and foreign requests.
 *
 * `electron` is replaced by recording fakes, so the options window.ts really passes to
 * BrowserWindow and the handlers it really installs are the ones checked.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const recorded = vi.hoisted(() => ({ windows: [] as { options: Record<string, unknown>; loaded: string[] }[] }));

vi.mock('electron', () => {
  class FakeContents {
    handlers = new Map<string, (...args: unknown[]) => void>();
    openHandler: (() => unknown) | null = null;
    on(name: string, fn: (...args: unknown[]) => void) {
      this.handlers.set(name, fn);
      return this;
    }
    setWindowOpenHandler(fn: () => unknown) {
      this.openHandler = fn;
    }
  }
  class BrowserWindow {
    webContents = new FakeContents();
    record: { options: Record<string, unknown>; loaded: string[] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [] };
      recorded.windows.push(this.record);
    }
    once() {
      return this;
    }
    loadURL(url: string) {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
    loadFile(file: string) {
      this.record.loaded.push(file);
      return Promise.resolve();
    }
  }
  return { BrowserWindow, dialog: {} };
});

import { createMainWindow, hardenContents, hardenSession } from '../../../src/main/electron/window';
import { CSP_BROWSER_HOST, CSP_PRODUCTION, contentSecurityPolicy, devContentSecurityPolicy, isAllowedRequest, isAppUrl } from '../../../src/main/app/security';
import type { RendererLocation } from '../../../src/main/app/security';

const require = createRequire(import.meta.url);
const RENDERER = '/opt/wslk/resources/app.asar/out/renderer';
const FILE: RendererLocation = { kind: 'file', indexHtml: join(RENDERER, 'index.html') };
const DEV: RendererLocation = { kind: 'dev', url: 'http://localhost:5173/' };

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

/** What the window must be created with: the page isolated and sandboxed, no Node.js, webviews or insecure content. */
const SECURE_PREFERENCES = {
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
};

describe('web preferences', () => {
  it('isolate and sandbox the page, with no Node.js, webviews or insecure content; devTools only in development', () => {
    recorded.windows.length = 0;
    createMainWindow({ preload: '/app/out/preload/index.js', location: FILE, devTools: false, title: 't' });
    createMainWindow({ preload: '/app/out/preload/index.js', location: DEV, devTools: true, title: 't' });
    expect(recorded.windows.map((w) => w.options.webPreferences)).toEqual([
      { ...SECURE_PREFERENCES, devTools: false, preload: '/app/out/preload/index.js' },
      { ...SECURE_PREFERENCES, devTools: true, preload: '/app/out/preload/index.js' },
    ]);
    expect(recorded.windows[0]!.options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(recorded.windows.map((w) => w.loaded)).toEqual([[FILE.indexHtml], [DEV.url]]);
  });
});

describe('Content Security Policy', () => {
  it('of the browser host differs from the app’s only in letting the page talk to its own host', () => {
    const host = directives(CSP_BROWSER_HOST);
    const app = directives(CSP_PRODUCTION);
    expect(host.get('connect-src')).toEqual(["'self'"]);
    host.delete('connect-src');
    app.delete('connect-src');
    expect(host).toEqual(app);
  });

  it('allows only the app’s own scripts, styles and images, and nothing to connect to', () => {
    const d = directives(CSP_PRODUCTION);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'none'"]);
    for (const name of ['object-src', 'base-uri', 'form-action', 'frame-ancestors', 'frame-src', 'worker-src']) expect(d.get(name), name).toEqual(["'none'"]);
    for (const values of d.values()) {
      for (const v of values) expect(["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'blob:', 'file:'], v).not.toContain(v);
    }
  });

  it("passes Google's CSP evaluator with nothing above its 'self' note", () => {
    const csp = require('@doyensec/csp-evaluator') as {
      CspParser: new (p: string) => { csp: unknown };
      CspEvaluator: new (c: unknown, v: unknown) => { evaluate(): { severity: number; directive: string; value?: string }[] };
      Version: { CSP3: unknown };
      severities: Record<string, number>;
    };
    const findings = new csp.CspEvaluator(new csp.CspParser(CSP_PRODUCTION).csp, csp.Version.CSP3).evaluate();
    const serious = findings.filter((f) => f.severity < csp.severities.MEDIUM_MAYBE!);
    expect(serious).toEqual([]);
    // The same evaluator does flag a weak policy: the check can fail.
    const weak = new csp.CspEvaluator(new csp.CspParser("script-src 'self' 'unsafe-inline' https:").csp, csp.Version.CSP3).evaluate();
    expect(weak.filter((f) => f.severity < csp.severities.MEDIUM_MAYBE!).length).toBeGreaterThan(0);
  });

  it('is relaxed only for the dev server, and only for what it needs', () => {
    expect(contentSecurityPolicy(FILE)).toBe(CSP_PRODUCTION);
    const d = directives(devContentSecurityPolicy('http://localhost:5173/'));
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(d.get('script-src')).not.toContain("'unsafe-eval'");
    expect(d.get('default-src')).toEqual(["'none'"]);
  });
});

describe('which URLs are the app', () => {
  it('is the built index.html only (any query or hash), or the dev server origin', () => {
    const url = pathToFileURL(FILE.indexHtml).href;
    expect(isAppUrl(url, FILE)).toBe(true);
    expect(isAppUrl(`${url}#/settings`, FILE)).toBe(true);
    expect(isAppUrl(pathToFileURL(join(RENDERER, 'other.html')).href, FILE)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', FILE)).toBe(false);
    expect(isAppUrl('file://evil-host/opt/wslk/resources/app.asar/out/renderer/index.html', FILE)).toBe(false);
    expect(isAppUrl('https://example.com/', FILE)).toBe(false);
    expect(isAppUrl('not a url', FILE)).toBe(false);
    expect(isAppUrl('http://localhost:5173/index.html', DEV)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', DEV)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', DEV)).toBe(false);
  });

  it('loads only files of the renderer folder (or the dev server) and the dev tools', () => {
    expect(isAllowedRequest(pathToFileURL(join(RENDERER, 'assets', 'index.js')).href, FILE, RENDERER)).toBe(true);
    expect(isAllowedRequest(pathToFileURL(join(RENDERER, '..', 'main', 'index.js')).href, FILE, RENDERER)).toBe(false);
    expect(isAllowedRequest(pathToFileURL(`${RENDERER}-evil/x.js`).href, FILE, RENDERER)).toBe(false);
    expect(isAllowedRequest('https://example.com/x.js', FILE, RENDERER)).toBe(false);
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', FILE, RENDERER)).toBe(false);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', FILE, RENDERER)).toBe(true);
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', DEV, null)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/', DEV, null)).toBe(true);
    expect(isAllowedRequest('https://example.com/', DEV, null)).toBe(false);
  });
});

describe('window and session handlers', () => {
  type Handler = (...args: unknown[]) => unknown;
  let contents: { handlers: Map<string, Handler>; openHandler: Handler | null; on(n: string, f: Handler): unknown; setWindowOpenHandler(f: Handler): void };
  beforeEach(() => {
    contents = {
      handlers: new Map(),
      openHandler: null,
      on(n, f) {
        this.handlers.set(n, f);
        return this;
      },
      setWindowOpenHandler(f) {
        this.openHandler = f;
      },
    };
  });

  it('deny every navigation, redirect, webview and new window', () => {
    hardenContents(contents as never);
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn(), isMainFrame: true };
      contents.handlers.get(name)!(event, 'https://example.com/');
      expect(event.preventDefault, name).toHaveBeenCalled();
    }
    expect(contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('deny every permission, add the CSP header and cancel foreign requests', () => {
    const session = {
      hooks: new Map<string, Handler>(),
      webRequest: {
        onHeadersReceived: (f: Handler) => session.hooks.set('headers', f),
        onBeforeRequest: (f: Handler) => session.hooks.set('request', f),
      },
      setPermissionRequestHandler: (f: Handler) => session.hooks.set('permissionRequest', f),
      setPermissionCheckHandler: (f: Handler) => session.hooks.set('permissionCheck', f),
      setDevicePermissionHandler: (f: Handler) => session.hooks.set('device', f),
    };
    hardenSession(session as never, FILE, RENDERER);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      session.hooks.get('permissionRequest')!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.hooks.get('permissionCheck')!({}, permission)).toBe(false);
    }
    expect(session.hooks.get('device')!({})).toBe(false);
    const headers = vi.fn();
    session.hooks.get('headers')!({ responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } }, headers);
    expect(headers).toHaveBeenCalledWith({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CSP_PRODUCTION] } });
    const request = vi.fn();
    session.hooks.get('request')!({ url: 'https://example.com/' }, request);
    session.hooks.get('request')!({ url: pathToFileURL(join(RENDERER, 'index.html')).href }, request);
    expect(request.mock.calls).toEqual([[{ cancel: true }], [{ cancel: false }]]);
  });
});
