/**
 * UI figures for `npm run bench`: gzip sizes of the minified production bundles (electron-vite
 * build), and the first usable screen in Chromium on the browser host: the time from navigation
 * start until the first screen's primary button can be pressed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
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

/** Median of `runs` cold page loads of the install wizard on a fresh sandbox, in ms. */
export async function firstUsableMs(root: string, runs: number): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'wslk-bench-ui-'));
  // Its own build folder: a browser host serving out/renderer-web (e2e) is not disturbed.
  const rendererDir = join(work, 'renderer');
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'vite.renderer.config.ts', '--outDir', rendererDir, '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'ignore',
  });
  const dir = join(work, 'machine');
  await initSandbox(dir, 'installed');
  const host = await startHost({ machineDir: dir, payloadDirs: [], version: 'bench', rendererDir });
  const browser = await chromium.launch({ executablePath: process.env.WSLK_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      // A new context per load: a cold page, as when the app opens.
      const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
      // Record when the first screen's primary button is enabled, measured from navigation start.
      // Given as text: a function here would be compiled by tsx with name helpers the page lacks.
      await context.addInitScript(`(() => {
        const check = () => {
          if (window.__usable === undefined && document.querySelector('.footer-primary button.primary:not(:disabled)')) window.__usable = performance.now();
        };
        new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
      })();`);
      const page = await context.newPage();
      await page.goto(host.url);
      // A locator wait, not waitForFunction: the page's CSP (no 'unsafe-eval') blocks the latter's polling.
      await page.locator('.footer-primary button.primary:not(:disabled)').first().waitFor({ timeout: 30_000 });
      times.push(await page.evaluate(() => (window as unknown as { __usable: number }).__usable));
      await context.close();
    }
    return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  } finally {
    await browser.close();
    await host.close();
    rmSync(work, { recursive: true, force: true });
  }
}
