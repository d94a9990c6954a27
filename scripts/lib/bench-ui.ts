/**
 * UI figures for `npm run bench`: gzip sizes of the minified production bundles (electron-vite
 * build), and the first usable screen in Chromium on the browser host: the time from navigation
 * start until the first screen's primary button can be pressed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import type { Browser } from '@playwright/test';
import { startHost } from '../../src/main/browser-host/host';
import { initSandbox } from '../../src/main/engine/sandbox/presets';

const gzipKiB = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length / 1024;

/** Build with electron-vite (production, minified) and measure the renderer (JS + CSS) and the preload. */
export function bundleSizes(root: string): { renderer: number; preload: number } {
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'ignore' });
  const assets = join(root, 'out', 'renderer', 'assets');
  const renderer = readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .reduce((n, f) => n + gzipKiB(join(assets, f)), 0);
  return { renderer, preload: gzipKiB(join(root, 'out', 'preload', 'index.js')) };
}

const PRIMARY = '.footer-primary button.primary:not(:disabled)';

/** One cold load of `url` (a new browser context), from navigation start until the primary button is enabled. */
async function usableOnce(browser: Browser, url: string): Promise<number> {
  // A new context per load: a cold page, as when the app opens.
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
  try {
    // Record when the first screen's primary button is enabled, measured from navigation start.
    // Given as text: a function here would be compiled by tsx with name helpers the page lacks.
    await context.addInitScript(`(() => {
      const check = () => {
        if (window.__usable === undefined && document.querySelector('${PRIMARY}')) window.__usable = performance.now();
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
    })();`);
    const page = await context.newPage();
    await page.goto(url);
    // A locator wait, not waitForFunction: the app's CSP (no 'unsafe-eval') blocks the latter's polling.
    await page.locator(PRIMARY).first().waitFor({ timeout: 30_000 });
    return await page.evaluate(() => (window as unknown as { __usable: number }).__usable);
  } finally {
    await context.close();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Medians of `runs` cold loads of each page, taken in turns (bare, app, bare, app, …) so that a
 * burst of load on the machine falls on both and the ratio holds.
 */
async function medianUsable(browser: Browser, urls: { bare: string; app: string }, runs: number): Promise<{ bare: number; app: number }> {
  const bare: number[] = [];
  const app: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await usableOnce(browser, urls.bare));
    app.push(await usableOnce(browser, urls.app));
  }
  return { bare: median(bare), app: median(app) };
}

const vite = (root: string, args: string[]) =>
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', ...args, '--logLevel', 'warn'], { cwd: root, stdio: 'ignore' });

/** Serves a built folder on 127.0.0.1. */
async function serveFolder(dir: string): Promise<{ url: string; close(): void }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    try {
      const body = readFileSync(join(dir, path || 'index.html'));
      res.setHeader('content-type', types[extname(path || 'index.html')] ?? 'application/octet-stream');
      res.end(body);
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

/**
 * The install wizard's first usable screen on a fresh browser-host page, and the same measure of
 * a bare React page with one button (scripts/lib/bare-react), loaded in the same browser in the
 * same run: the floor React itself sets on this machine. Medians of `runs` cold loads, in ms.
 */
export async function firstUsableMs(root: string, runs: number): Promise<{ app: number; bareReact: number }> {
  const work = mkdtempSync(join(tmpdir(), 'wslk-bench-ui-'));
  // Its own build folders: a browser host serving out/renderer-web (e2e) is not disturbed.
  const rendererDir = join(work, 'renderer');
  vite(root, ['-c', 'vite.renderer.config.ts', '--outDir', rendererDir]);
  const bareDir = join(work, 'bare');
  vite(root, ['-c', join('scripts', 'lib', 'bare-react', 'vite.config.ts'), '--outDir', bareDir, '--emptyOutDir']);
  const dir = join(work, 'machine');
  await initSandbox(dir, 'installed');
  const host = await startHost({ machineDir: dir, payloadDirs: [], version: 'bench', rendererDir });
  const bare = await serveFolder(bareDir);
  const browser = await chromium.launch({ executablePath: process.env.WSLK_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    // One unmeasured load of each first: the browser's own first-page costs fall on neither.
    await usableOnce(browser, bare.url);
    await usableOnce(browser, host.url);
    const m = await medianUsable(browser, { bare: bare.url, app: host.url }, runs);
    return { app: m.app, bareReact: m.bare };
  } finally {
    await browser.close();
    await host.close();
    bare.close();
    rmSync(work, { recursive: true, force: true });
  }
}
