/**
 * The same flows through the built Electron app (out/main/index.js) on a sandbox per test. They
 * run where the Electron binary is installed and skip, saying why, where it is not.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';
import { Engine } from '../../src/main/engine/engine';
import { initSandbox } from '../../src/main/engine/sandbox/presets';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import type { EntryScreen } from '../../src/shared/ipc';
import { checkAccessibility, editMachineJson, screenshot } from '../fixtures';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'out', 'main', 'index.js');

/**
 * The Electron binary's path, or why it cannot be used. `require('electron')` downloads a missing
 * binary, so it is only called once the binary it names is known to be on disk.
 */
function electronBinary(): { path: string } | { reason: string } {
  const require = createRequire(join(ROOT, 'package.json'));
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathTxt = join(pkgDir, 'path.txt');
  if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    if (!existsSync(pathTxt)) return { reason: `the Electron binary is not installed (${pathTxt} is missing)` };
    const binary = join(pkgDir, 'dist', readFileSync(pathTxt, 'utf8'));
    if (!existsSync(binary)) return { reason: `the Electron binary is not installed (${binary} does not exist)` };
  }
  try {
    const path = require('electron') as unknown;
    if (typeof path !== 'string' || !existsSync(path)) return { reason: `the Electron binary is not installed (${String(path)} does not exist)` };
    return { path };
  } catch (err) {
    return { reason: `the Electron binary cannot be loaded (${(err as Error).message.split('\n')[0]})` };
  }
}

const binary = electronBinary();
const skipReason = 'reason' in binary ? `Electron e2e skipped: ${binary.reason}. The same flows run in Chromium (e2e/*.spec.ts).` : null;
if (skipReason) console.log(skipReason);
test.skip(skipReason !== null, skipReason ?? '');

test.beforeAll(() => {
  if (skipReason || existsSync(MAIN)) return;
  execSync('npx electron-vite build', { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
});

interface Launched {
  app: ElectronApplication;
  page: Page;
  dir: string;
  status(): ReturnType<Engine['readStatus']>;
}

const opened: { app: ElectronApplication; work: string }[] = [];
test.afterEach(async () => {
  for (const { app, work } of opened.splice(0)) {
    await app.close().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
});

async function launch(preset: string, entry: EntryScreen = 'install', prepare?: (dir: string) => Promise<void>): Promise<Launched> {
  const work = await mkdtemp(join(tmpdir(), 'wslk-electron-'));
  const dir = join(work, 'machine');
  await initSandbox(dir, preset);
  await prepare?.(dir);
  const path = (binary as { path: string }).path;
  const app = await electron.launch({
    executablePath: path,
    args: [MAIN, '--machine', dir, ...(entry === 'install' ? [] : [`--${entry}`])],
    env: { ...process.env, WSLK_SANDBOX: dir, ELECTRON_DISABLE_SECURITY_WARNINGS: '1' },
  });
  opened.push({ app, work });
  const page = await app.firstWindow();
  await expect(page.getByRole('heading', { level: 1, name: 'WSL Kernel Setup' })).toBeVisible();
  return { app, page, dir, status: async () => new Engine(await openSandbox(dir)).readStatus() };
}

/** Make the next native open/save dialog return `path`. */
async function answerDialogs(app: ElectronApplication, path: string): Promise<void> {
  await app.evaluate(({ dialog }, chosen) => {
    dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [chosen] })) as typeof dialog.showOpenDialog;
    dialog.showSaveDialog = (async () => ({ canceled: false, filePath: chosen })) as typeof dialog.showSaveDialog;
  }, path);
}

const heading = (page: Page) => page.getByRole('heading', { level: 2 });

test('electron: fresh machine, install, restart WSL', async () => {
  const { page, dir, status } = await launch('fresh', 'install', (d) => editMachineJson(d, (j) => (j.wsl = { running: ['Ubuntu'], shutdowns: 0 })));
  await expect(page.getByTestId('sandbox-badge')).toContainText(dir);
  await page.getByTestId('footer-bar').getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.getByText('All checks passed.')).toBeVisible();
  await page.getByTestId('footer-bar').getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByRole('button', { name: 'Install now' }).click();
  await expect(heading(page)).toHaveText('Kernel 6.6.36.6 is installed');
  await screenshot(page, 'electron-install-done');
  await checkAccessibility(page, 'electron-install-done');
  await page.getByRole('button', { name: 'Restart WSL now' }).click();
  await expect(page.getByRole('heading', { name: 'WSL was restarted' })).toBeVisible();
  expect((await status()).kernel).toMatchObject({ present: true, version: '6.6.36.6' });
});

test('electron: update keeps the older kernel as kernel.rollback', async () => {
  const { page, status } = await launch('installed');
  await page.getByTestId('footer-bar').getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByTestId('footer-bar').getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.locator('[data-plan-step="keep-previous"]')).toContainText('Keep kernel 5.15.153.1 as the fallback');
  await page.getByRole('button', { name: 'Update now' }).click();
  await expect(heading(page)).toHaveText('Kernel 6.6.36.6 is installed');
  expect((await status()).rollbackKernel).toMatchObject({ present: true, version: '5.15.153.1' });
});

test('electron: rollback and undo in settings (--settings)', async () => {
  const { page, status } = await launch('installed', 'settings');
  await expect(heading(page)).toHaveText('Kernels on this computer');
  await page.getByRole('button', { name: 'Roll back…' }).click();
  await page.getByRole('button', { name: 'Roll back to 5.10.102.1' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rolled back' })).toBeVisible();
  expect((await status()).rollbackActive).toBe(true);
  await page.getByText('Advanced').click();
  await page.getByRole('button', { name: 'Undo rollback…' }).click();
  await page.getByRole('button', { name: 'Undo the rollback' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Undid the rollback' })).toBeVisible();
  expect((await status()).rollbackActive).toBe(false);
});

test('electron: repair a missing kernel (--repair)', async () => {
  const { page, status } = await launch('installed', 'repair', (d) => rm(join(d, 'Windows/System32/lxss/tools/kernel')));
  await page.getByRole('button', { name: 'Find problems' }).click();
  await expect(heading(page)).toHaveText('1 problem found');
  await page.getByRole('button', { name: 'Apply the fix' }).click();
  await expect(heading(page)).toHaveText('Repaired');
  expect((await status()).kernel).toMatchObject({ present: true, version: '5.10.102.1' });
});

test('electron: a pre-check failure shows its remedy', async () => {
  const { page } = await launch('no-vm-platform');
  await page.getByTestId('footer-bar').getByRole('button', { name: 'Next', exact: true }).click();
  await expect(page.locator('li[data-check="vm-platform"]')).toContainText('Virtual Machine Platform is not enabled');
  await expect(page.getByTestId('footer-bar').getByRole('button', { name: 'Next', exact: true })).toBeDisabled();
});

test('electron: the bundle is saved where the save dialog says', async () => {
  const { app, page, dir } = await launch('installed', 'repair');
  const target = join(dir, '..', 'bundle.json');
  await answerDialogs(app, target);
  await page.getByRole('button', { name: 'Export diagnostics bundle…' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved to' })).toContainText(target);
  expect(existsSync(target)).toBe(true);
});
