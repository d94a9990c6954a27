/** The install wizard on real sandboxes: fresh install, update, cancel, and the refusals explained. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_VERSION, editMachineJson, expect, screenHeading, test } from './fixtures';

/** The footer's button with this name (Next, Install now, Finish …). */
const footer = (page: Page, name: string | RegExp) => page.getByTestId('footer-bar').getByRole('button', { name, exact: typeof name === 'string' });

test('fresh machine: install, done, restart WSL', async ({ openApp }) => {
  const app = await openApp({
    preset: 'fresh',
    prepare: (dir) => editMachineJson(dir, (j) => (j.wsl = { running: ['Ubuntu', 'Debian'], shutdowns: 0 })),
  });
  const { page } = app;

  await expect(screenHeading(page)).toHaveText(`Install kernel ${DEMO_VERSION}`);
  // A fresh machine has no current kernel: the first screen does not promise to keep one.
  await expect(page.getByTestId('welcome-lead')).not.toContainText('fallback');
  await expect(page.getByTestId('payload')).toContainText(DEMO_VERSION);
  await expect(page.getByTestId('payload')).toContainText('Demo kernel');
  await expect(page.locator('dd[data-slot="in-use"]')).toHaveText('none: WSL cannot start Linux');
  await app.shot('install-01-welcome');

  await footer(page, 'Next').click();
  await expect(screenHeading(page)).toHaveText('This computer is ready');
  await expect(page.getByText('All checks passed.')).toBeVisible();
  await expect(page.locator('li[data-check]')).toHaveCount(8);
  await app.shot('install-02-prechecks-passed');

  await footer(page, 'Next').click();
  await expect(screenHeading(page)).toHaveText(`Install kernel ${DEMO_VERSION}: review the changes`);
  await expect(page.locator('[data-plan-step="replace"]')).toContainText(`Make kernel ${DEMO_VERSION} the kernel WSL uses`);
  await expect(page.locator('[data-plan-step="stage"]')).not.toContainText('next to the current one');
  await expect(page.locator('[data-plan-step]')).toHaveCount(3);
  await expect(page.locator('.plan-steps')).not.toContainText('KernelVersion');
  await page.locator('.panel .details > summary').click();
  await expect(page.locator('.panel .details-text')).toContainText('KernelVersion');
  await app.shot('install-03-plan-fresh');

  await footer(page, 'Install now').click();
  await expect(screenHeading(page)).toHaveText(`Kernel ${DEMO_VERSION} is installed`);
  await expect(page.locator('li[data-step="progress"]')).toHaveClass(/step-done/);
  const restart = page.getByRole('region', { name: 'Restart WSL to use it' });
  await expect(restart.getByRole('listitem')).toHaveText(['Ubuntu', 'Debian']);
  await expect(restart).toContainText('and every other WSL 1 and WSL 2 instance');
  // One primary action on the end screen: Finish.
  await expect(page.locator('button.primary')).toHaveCount(1);
  await expect(footer(page, 'Finish')).toBeVisible();
  await app.shot('install-05-done');

  const status = await app.status();
  expect(status.kernel).toMatchObject({ present: true, valid: true, version: DEMO_VERSION });
  expect(existsSync(join(app.dir, 'Windows/System32/lxss/tools/kernel'))).toBe(true);
  expect((await app.machineJson()).wsl?.shutdowns).toBe(0);

  await restart.getByRole('button', { name: 'Restart WSL now' }).click();
  await expect(page.getByRole('heading', { name: 'WSL was restarted' })).toBeVisible();
  await expect(page.getByText('Stopped Ubuntu and Debian.')).toBeVisible();
  // The boot check follows the restart: WSL started the new kernel in the default distribution.
  await expect(page.locator('[data-boot="booted"]')).toContainText(`WSL runs kernel ${DEMO_VERSION}-wslk-demo`);
  await app.shot('install-06-done-wsl-restarted');
  const json = await app.machineJson();
  expect(json.wsl).toMatchObject({ running: ['Ubuntu'], shutdowns: 1 });
  await expect(footer(page, 'Finish')).toBeEnabled();
});

test('no distribution running: no WSL restart is offered', async ({ openApp }) => {
  const app = await openApp({ preset: 'fresh' });
  const { page } = app;
  await footer(page, 'Next').click();
  await footer(page, 'Next').click();
  await footer(page, 'Install now').click();
  await expect(screenHeading(page)).toHaveText(`Kernel ${DEMO_VERSION} is installed`);
  await expect(page.getByTestId('no-restart-needed')).toContainText('the next one you start uses the new kernel');
  await expect(page.getByRole('button', { name: 'Restart WSL now' })).toHaveCount(0);
});

test('update: the first screen says update, the plan names what is kept and removed', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed' });
  const { page } = app;
  await expect(screenHeading(page)).toHaveText(`Update 5.15.153.1 → ${DEMO_VERSION}`);
  await expect(page.locator('dd[data-slot="in-use"]')).toHaveText('kernel 5.15.153.1');
  await footer(page, 'Next').click();
  await footer(page, 'Next').click();
  await expect(page.locator('[data-plan-step="keep-previous"]')).toHaveText(/Keep kernel 5.15.153.1 as the fallback/);
  await expect(page.locator('[data-plan-step="drop-rollback"]')).toHaveText(/Remove the older fallback kernel 5.10.102.1/);
  await expect(page.locator('[data-plan-step="drop-rollback"]')).toHaveAttribute('data-effect', 'remove');
  await app.shot('install-03-plan-update');
  await footer(page, 'Update now').click();
  await expect(screenHeading(page)).toHaveText(`Kernel ${DEMO_VERSION} is installed`);
  await expect(page.locator('dd[data-slot="fallback"]')).toHaveText('kernel 5.15.153.1');
  const status = await app.status();
  expect(status.kernel).toMatchObject({ present: true, version: DEMO_VERSION });
  expect(status.rollbackKernel).toMatchObject({ present: true, version: '5.15.153.1' });
  expect(status.effective).toBe('kernel');

  // The same kernel again: the first screen says up to date, and offers Close instead of Next.
  await page.getByRole('button', { name: 'Back to the start' }).click();
  await expect(screenHeading(page)).toHaveText(`Up to date: kernel ${DEMO_VERSION}`);
  await expect(footer(page, 'Next')).toHaveCount(0);
  await expect(footer(page, 'Close')).toBeVisible();
  await app.shot('install-07-up-to-date');
});

test('progress, and cancel during the copy: nothing changes', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed', gated: true });
  const { page } = app;
  const big = await app.kernelFile('6.8.0.1', 16);
  await app.chooseFile('payload', big);
  await expect(page.getByTestId('payload')).toContainText('6.8.0.1');
  await expect(page.getByTestId('payload')).toContainText('The file you chose: kernel-6.8.0.1');
  await footer(page, 'Next').click();
  await footer(page, 'Next').click();
  await expect(page.locator('[data-plan-step="keep-previous"]')).toBeVisible();
  // Verify reads the whole file, then the copy gets half of it before the gate holds it.
  app.gate.holdAfter(16 * 1024 * 1024 + 8 * 1024 * 1024);
  await footer(page, 'Update now').click();
  await expect(screenHeading(page)).toHaveText('Installing kernel 6.8.0.1');
  await app.gate.held();
  // The live step list: checking done, the copy current (animated), the rest waiting; an overall bar.
  await expect(page.locator('[data-live-step="verify"]')).toHaveAttribute('data-state', 'done');
  await expect(page.locator('[data-live-step="stage"]')).toHaveAttribute('data-state', 'current');
  await expect(page.locator('[data-live-step="stage"] .spinner')).toHaveCount(1);
  await expect(page.locator('[data-live-step="replace"]')).toHaveAttribute('data-state', 'waiting');
  await expect(page.locator('.overall')).toContainText('8.0 MiB of 16.0 MiB');
  const overall = Number(await page.locator('progress#overall').getAttribute('value'));
  expect(overall).toBeGreaterThan(0);
  expect(overall).toBeLessThan(100);
  await app.shot('install-04-progress');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Cancelling…' })).toBeDisabled();
  app.gate.release();
  await expect(screenHeading(page)).toHaveText('Installation cancelled');
  await expect(page.getByText('Nothing was changed')).toBeVisible();
  // A cancelled install is not shown as a done step.
  await expect(page.locator('li[data-step="progress"]')).toHaveClass(/step-failed/);
  await expect(page.locator('li[data-step="progress"]')).toContainText('cancelled');
  await app.shot('install-08-cancelled');
  const status = await app.status();
  expect(status.kernel).toMatchObject({ present: true, version: '5.15.153.1' });
  expect(status.rollbackKernel).toMatchObject({ present: true, version: '5.10.102.1' });
});

test('a version marked bad is refused, explained, and can be forced', async ({ openApp }) => {
  const app = await openApp({ preset: 'rolled-back' });
  const { page } = app;
  await app.chooseFile('payload', await app.kernelFile('5.15.153.1'));
  await expect(page.getByTestId('payload')).toContainText('5.15.153.1');
  await footer(page, 'Next').click();
  await footer(page, 'Next').click();
  await expect(screenHeading(page)).toHaveText('This kernel is not installed by default');
  const refusal = page.locator('[data-code="version-marked-bad"]');
  await expect(refusal).toContainText('This kernel version was rolled back before');
  await expect(refusal).toContainText('marked bad');
  await expect(refusal).not.toContainText('--force');
  await expect(footer(page, /now$/)).toBeDisabled();
  await app.shot('install-07-refused-version-marked-bad');
  await refusal.getByRole('button', { name: 'Install this version anyway' }).click();
  await expect(screenHeading(page)).toHaveText(/review the changes$/);
  await expect(page.getByText('You chose to install a version you rolled back from before.')).toBeVisible();
});

test('an older kernel is refused as a downgrade, explained', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed' });
  const { page } = app;
  await app.chooseFile('payload', await app.kernelFile('5.10.16.3'));
  await expect(screenHeading(page)).toHaveText('Downgrade 5.15.153.1 → 5.10.16.3 (not recommended)');
  await footer(page, 'Next').click();
  await footer(page, 'Next').click();
  const refusal = page.locator('[data-code="downgrade-refused"]');
  await expect(refusal).toContainText('This kernel is older than the installed one');
  await expect(refusal).toContainText('Kernel 5.10.16.3-wslk-demo is older than the installed 5.15.153.1-wslk-demo.');
  await app.shot('install-07-refused-downgrade');
  await refusal.getByRole('button', { name: 'Allow the downgrade' }).click();
  await footer(page, 'Downgrade now').click();
  await expect(screenHeading(page)).toHaveText('Kernel 5.10.16.3 is installed');
  expect((await app.status()).kernel).toMatchObject({ present: true, version: '5.10.16.3' });
});
