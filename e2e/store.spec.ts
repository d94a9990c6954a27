/**
 * Store WSL (WSL 2.x from the Microsoft Store): the screens say which WSL this is and which kernel it
 * boots, install points the user's .wslconfig at the tool's kernel, settings show the tool's slots,
 * and "Use WSL's own kernel again" puts .wslconfig back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_VERSION, expect, screenHeading, test } from './fixtures';

const footer = (page: Page, name: string) => page.getByTestId('footer-bar').getByRole('button', { name, exact: true });
const section = (page: Page, name: 'Install' | 'Settings' | 'Repair') => page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click();

test('store WSL: install through .wslconfig, the slots in settings, and back to WSL’s own kernel', async ({ openApp }) => {
  const app = await openApp({ preset: 'store-fresh' });
  const { page } = app;
  const wslconfig = join(app.dir, 'Users', 'alice', '.wslconfig');

  // WSL boots its own kernel: a working machine, no banner, and one sentence on which WSL this is.
  await expect(page.getByTestId('welcome-flavour')).toContainText('from the Microsoft Store');
  await expect(page.getByTestId('welcome-flavour')).toContainText('boots its own kernel');
  await expect(page.locator('dd[data-slot="in-use"]')).toHaveText("WSL's own kernel 6.6.36.3");
  await expect(page.getByTestId('health-banner')).toHaveCount(0);
  await app.shot('store-01-welcome');

  await footer(page, 'Next').click();
  await expect(page.getByText('All checks passed.')).toBeVisible();
  await footer(page, 'Next').click();
  // The plan shows the exact .wslconfig the install writes (there is none yet).
  const diff = page.locator('[data-plan-step="wslconfig-alice"]').getByTestId('file-diff');
  await expect(diff).toContainText('New file C:\\Users\\alice\\.wslconfig');
  await expect(diff.locator('[data-diff="added"]')).toHaveText(['Line added: +[wsl2]', 'Line added: +kernel=C:\\\\ProgramData\\\\WslKernelSetup\\\\boot\\\\kernel']);
  await expect(diff.locator('[data-diff="removed"]')).toHaveCount(0);
  await expect(page.locator('[data-plan-step="boot-path"]')).toBeVisible();
  await app.shot('store-01b-plan-wslconfig');
  await footer(page, 'Install now').click();
  await expect(screenHeading(page)).toHaveText(`Kernel ${DEMO_VERSION} is installed`);
  expect(readFileSync(wslconfig, 'utf8')).toContain('kernel=C:\\\\ProgramData\\\\WslKernelSetup\\\\boot\\\\kernel');

  await section(page, 'Settings');
  const store = page.getByTestId('store-panel');
  await expect(store.getByTestId('store-boot')).toContainText('names this kernel');
  await expect(page.locator('[data-slot="kernel"]')).toContainText(`Version ${DEMO_VERSION}`);
  await expect(page.locator('[data-slot="kernel"] .badge-in-use')).toBeVisible();
  await expect(page.getByTestId('health-banner')).toHaveCount(0);
  await app.shot('store-02-settings-tool-kernel');

  await store.getByRole('button', { name: /Use WSL's own kernel again/ }).click();
  const confirm = store.getByRole('group', { name: /Use WSL's own kernel 6\.6\.36\.3 again\?/ });
  await expect(confirm).toBeVisible();
  await app.shot('store-03-use-default-confirm');
  await confirm.getByRole('button', { name: "Use WSL's own kernel 6.6.36.3" }).click();
  await expect(page.getByTestId('settings-result')).toBeVisible();
  await expect(store.getByTestId('store-boot')).toContainText('boots its own kernel');
  await expect(store.getByRole('button', { name: /Use WSL's own kernel again/ })).toBeDisabled();
  // The tool's kernel stays kept; .wslconfig is as before the install (there was none).
  await expect(page.locator('[data-slot="kernel"]')).toContainText(`Version ${DEMO_VERSION}`);
  expect(existsSync(wslconfig) ? readFileSync(wslconfig, 'utf8') : '').not.toContain('kernel=');
  await app.shot('store-04-settings-own-kernel');
});

test('store WSL whose .wslconfig names a missing kernel: the banner says WSL cannot start, on every tab', async ({ openApp }) => {
  const app = await openApp({ preset: 'store-missing-custom' });
  const { page } = app;
  for (const name of ['Install', 'Settings', 'Repair'] as const) {
    await section(page, name);
    await expect(page.getByTestId('health-banner')).toContainText('WSL cannot start: the custom kernel specified in');
  }
  await app.shot('store-05-missing-custom-banner');
});

test('store WSL whose .wslconfig names another kernel: the plan says so, and taking over shows the one line that changes', async ({ openApp }) => {
  const app = await openApp({ preset: 'store-custom' });
  const { page } = app;
  const wslconfig = join(app.dir, 'Users', 'alice', '.wslconfig');
  const before = readFileSync(wslconfig, 'utf8');
  await footer(page, 'Next').click();
  await expect(page.getByText('All checks passed.')).toBeVisible();
  await footer(page, 'Next').click();
  await expect(page.locator('[data-code="wslconfig-foreign-kernel"]')).toContainText('WSL is set to boot another kernel');
  await expect(screenHeading(page)).toHaveText('Your WSL settings already name another kernel');
  // The app's own words, not the CLI option.
  await expect(page.locator('.remedy')).not.toContainText('--take-over');
  await expect(footer(page, 'Install now')).toBeDisabled();
  expect(readFileSync(wslconfig, 'utf8')).toBe(before);
  await app.shot('store-05-plan-foreign-kernel');

  await page.getByRole('button', { name: 'Use this kernel instead' }).click();
  const diff = page.locator('[data-plan-step="wslconfig-alice"]').getByTestId('file-diff');
  await expect(diff).toContainText('Changed lines of C:\\Users\\alice\\.wslconfig');
  await expect(diff.locator('[data-diff="removed"]')).toHaveText(['Line removed: −kernel=C:\\\\kernels\\\\custom\\\\bzImage']);
  await expect(diff.locator('[data-diff="added"]')).toHaveText(['Line added: +kernel=C:\\\\ProgramData\\\\WslKernelSetup\\\\boot\\\\kernel']);
  await expect(diff.locator('[data-diff="context"]')).toHaveText(['Unchanged line: memory=8GB']);
  await app.shot('store-06-plan-take-over');
  await footer(page, 'Install now').click();
  await expect(screenHeading(page)).toHaveText(`Kernel ${DEMO_VERSION} is installed`);
  expect(readFileSync(wslconfig, 'utf8')).toBe(before.replace('kernel=C:\\\\kernels\\\\custom\\\\bzImage', 'kernel=C:\\\\ProgramData\\\\WslKernelSetup\\\\boot\\\\kernel'));
});

test('store WSL with single backslashes in .wslconfig: the repair wizard explains it and writes the line as meant', async ({ openApp }) => {
  const app = await openApp({ preset: 'store-bad-escape', entry: 'repair' });
  const { page } = app;
  const wslconfig = join(app.dir, 'Users', 'alice', '.wslconfig');
  const before = readFileSync(wslconfig, 'utf8');
  await page.getByRole('button', { name: 'Find problems' }).click();
  const finding = page.locator('[data-finding="wslconfig-bad-escape"]');
  await expect(finding.locator('.finding-title')).toContainText('WSL ignores the kernel line of .wslconfig');
  await expect(finding.locator('.finding-plain')).toContainText('single backslash');
  const fix = finding.getByRole('radio', { name: /Write the line as kernel=C:\\\\tools\\\\kernel/ });
  await expect(fix).toBeChecked();
  await expect(finding.locator('[data-fix="wslconfig-fix-line"]')).toContainText('Recommended');
  await expect(finding.locator('[data-fix="wslconfig-use-default"]')).toBeVisible();
  await app.shot('store-07-repair-bad-escape');

  await page.getByRole('button', { name: 'Apply the fix' }).click();
  await expect(page.getByRole('region', { name: 'What was done' })).toContainText('Write the line as kernel=C:\\\\tools\\\\kernel');
  expect(readFileSync(wslconfig, 'utf8')).toBe(before.replace('kernel=C:\\tools\\kernel', 'kernel=C:\\\\tools\\\\kernel'));
  await expect(page.locator('dd[data-slot="in-use"]')).toHaveText('the kernel named in .wslconfig 6.1.21.2');
  await app.shot('store-08-repair-bad-escape-fixed');
});

test('store WSL with the tool’s kernels: rollback and undo in settings switch the boot path and never rewrite .wslconfig', async ({ openApp }) => {
  const app = await openApp({ preset: 'store-managed', entry: 'settings' });
  const { page } = app;
  const wslconfig = join(app.dir, 'Users', 'alice', '.wslconfig');
  const before = readFileSync(wslconfig);
  const kernel = page.locator('[data-slot="kernel"]');
  const fallback = page.locator('section[data-slot="kernel.rollback"]');
  await expect(kernel.locator('.slot-version')).toHaveText('Version 6.6.36.5');
  await expect(fallback.locator('.slot-version')).toHaveText('Version 6.6.36.4');
  await expect(kernel).toContainText('In use');

  await page.getByRole('button', { name: 'Roll back…' }).click();
  const confirm = page.getByRole('group', { name: 'Roll back from kernel 6.6.36.5 to 6.6.36.4?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Roll back to 6.6.36.4' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Rolled back to kernel 6.6.36.4' })).toBeVisible();
  await expect(fallback).toContainText('In use');
  await expect(kernel).toContainText('Rolled back from');
  await app.shot('store-07-settings-rolled-back');
  let status = await app.status();
  expect(status).toMatchObject({ flavour: 'store', boot: { toolOwned: true, kernel: { version: '6.6.36.4' } }, storeSlots: { rollbackActive: true } });
  expect(readFileSync(wslconfig)).toEqual(before);

  await page.getByRole('button', { name: 'Undo rollback…' }).click();
  const undo = page.getByRole('group', { name: 'Use kernel 6.6.36.5 again instead of 6.6.36.4?' });
  await expect(undo).toBeVisible();
  await undo.getByRole('button', { name: 'Undo the rollback' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Undid the rollback' })).toBeVisible();
  await expect(kernel).toContainText('In use');
  await app.shot('store-08-settings-undone');
  status = await app.status();
  expect(status).toMatchObject({ boot: { toolOwned: true, kernel: { version: '6.6.36.5' } }, storeSlots: { rollbackActive: false, badReleases: [] } });
  expect(readFileSync(wslconfig)).toEqual(before);
});
