/** The install wizard on real sandboxes: fresh install, update, cancel, and the refusals explained. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_VERSION, editMachineJson, expect, screenHeading, test } from './fixtures';

test('fresh machine: install, done, restart WSL', async ({ openApp }) => {
  const app = await openApp({
    preset: 'fresh',
    prepare: (dir) => editMachineJson(dir, (j) => (j.wsl = { running: ['Ubuntu', 'Debian'], shutdowns: 0 })),
  });
  const { page } = app;

  await expect(screenHeading(page)).toHaveText('Install the WSL 2 Linux kernel');
  await expect(page.getByTestId('payload')).toContainText(DEMO_VERSION);
  await expect(page.getByTestId('payload')).toContainText('Demo kernel');
  await expect(page.locator('dd[data-slot="kernel"]')).toHaveText('none');
  await app.shot('install-01-welcome');

  await page.getByRole('button', { name: 'Next: check this computer' }).click();
  await expect(screenHeading(page)).toHaveText('Pre-checks');
  await expect(page.getByText('All checks passed.')).toBeVisible();
  await expect(page.locator('li[data-check]')).toHaveCount(8);
  await app.shot('install-02-prechecks-passed');

  await page.getByRole('button', { name: 'Next: review the plan' }).click();
  await expect(screenHeading(page)).toHaveText('Review the plan');
  await expect(page.locator('[data-plan-step="replace"]')).toHaveText(`Install ${DEMO_VERSION} as kernel`);
  await expect(page.locator('[data-plan-step="record"]')).toContainText('KernelVersion');
  await app.shot('install-03-plan-fresh');

  await page.getByRole('button', { name: 'Install now' }).click();
  await expect(screenHeading(page)).toHaveText(`Kernel ${DEMO_VERSION} is installed`);
  const restart = page.getByRole('region', { name: 'Restart WSL to use it' });
  await expect(restart.getByRole('listitem')).toHaveText(['Ubuntu', 'Debian']);
  await expect(restart).toContainText('stops every WSL 1 and WSL 2 instance');
  await app.shot('install-05-done');

  const status = await app.status();
  expect(status.kernel).toMatchObject({ present: true, valid: true, version: DEMO_VERSION });
  expect(existsSync(join(app.dir, 'Windows/System32/lxss/tools/kernel'))).toBe(true);
  expect((await app.machineJson()).wsl?.shutdowns).toBe(0);

  await restart.getByRole('button', { name: 'Restart WSL now' }).click();
  await expect(page.getByRole('heading', { name: 'WSL was restarted' })).toBeVisible();
  await expect(page.getByText('Stopped Ubuntu and Debian.')).toBeVisible();
  await app.shot('install-06-done-wsl-restarted');
  const json = await app.machineJson();
  expect(json.wsl).toMatchObject({ running: [], shutdowns: 1 });
});

test('update: the installed kernel becomes kernel.rollback', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed' });
  const { page } = app;
  await expect(page.locator('dd[data-slot="kernel"]')).toHaveText('5.15.153.1');
  await page.getByRole('button', { name: 'Next: check this computer' }).click();
  await page.getByRole('button', { name: 'Next: review the plan' }).click();
  await expect(page.locator('[data-plan-step="keep-previous"]')).toHaveText('Keep kernel 5.15.153.1 as kernel.rollback (replacing 5.10.102.1)');
  await app.shot('install-03-plan-update');
  await page.getByRole('button', { name: 'Install now' }).click();
  await expect(screenHeading(page)).toHaveText(`Kernel ${DEMO_VERSION} is installed`);
  await expect(page.locator('dd[data-slot="kernel.rollback"]')).toHaveText('5.15.153.1');
  const status = await app.status();
  expect(status.kernel).toMatchObject({ present: true, version: DEMO_VERSION });
  expect(status.rollbackKernel).toMatchObject({ present: true, version: '5.15.153.1' });
  expect(status.effective).toBe('kernel');

  // Installing the same kernel again: nothing to do, explained.
  await page.getByRole('button', { name: 'Start over' }).click();
  await page.getByRole('button', { name: 'Next: check this computer' }).click();
  await page.getByRole('button', { name: 'Next: review the plan' }).click();
  await expect(screenHeading(page)).toHaveText('Nothing to do');
  await expect(page.getByText(`Kernel ${DEMO_VERSION} is already installed.`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Install now' })).toHaveCount(0);
  await app.shot('install-07-refused-nothing-to-do');
});

test('progress, and cancel during the copy: nothing changes', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed', gated: true });
  const { page } = app;
  const big = await app.kernelFile('6.8.0.1', 16);
  await app.answerDialog('payload', big);
  await page.getByRole('button', { name: 'Choose another kernel file…' }).click();
  await expect(page.getByTestId('payload')).toContainText('6.8.0.1');
  await expect(page.getByTestId('payload')).toContainText('The file you chose: kernel-6.8.0.1');
  await page.getByRole('button', { name: 'Next: check this computer' }).click();
  await page.getByRole('button', { name: 'Next: review the plan' }).click();
  await expect(page.locator('[data-plan-step="keep-previous"]')).toBeVisible();
  // Verify reads the whole file, then the copy gets half of it before the gate holds it.
  app.gate.holdAfter(16 * 1024 * 1024 + 8 * 1024 * 1024);
  await page.getByRole('button', { name: 'Install now' }).click();
  await expect(screenHeading(page)).toHaveText('Installing kernel 6.8.0.1');
  await app.gate.held();
  await expect(page.locator('[data-step="verify"]')).toContainText('16.0 MiB of 16.0 MiB');
  await expect(page.locator('[data-step="stage"]')).toContainText('8.0 MiB of 16.0 MiB');
  await expect(page.locator('[data-step="stage"] progress')).toHaveAttribute('value', String(8 * 1024 * 1024));
  await app.shot('install-04-progress');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Cancelling…' })).toBeDisabled();
  app.gate.release();
  await expect(screenHeading(page)).toHaveText('Installation cancelled');
  await expect(page.getByText('Nothing was changed')).toBeVisible();
  await app.shot('install-08-cancelled');
  const status = await app.status();
  expect(status.kernel).toMatchObject({ present: true, version: '5.15.153.1' });
  expect(status.rollbackKernel).toMatchObject({ present: true, version: '5.10.102.1' });
});

test('a version marked bad is refused, explained, and can be forced', async ({ openApp }) => {
  const app = await openApp({ preset: 'rolled-back' });
  const { page } = app;
  await app.answerDialog('payload', await app.kernelFile('5.15.153.1'));
  await page.getByRole('button', { name: 'Choose another kernel file…' }).click();
  await expect(page.getByTestId('payload')).toContainText('5.15.153.1');
  await page.getByRole('button', { name: 'Next: check this computer' }).click();
  await page.getByRole('button', { name: 'Next: review the plan' }).click();
  await expect(screenHeading(page)).toHaveText('This kernel is not installed by default');
  const refusal = page.locator('[data-code="version-marked-bad"]');
  await expect(refusal).toContainText('This kernel version was rolled back before');
  await expect(refusal).toContainText('marked bad');
  await expect(page.getByRole('button', { name: 'Install now' })).toBeDisabled();
  await app.shot('install-07-refused-version-marked-bad');
  await refusal.getByRole('button', { name: 'Install this version anyway' }).click();
  await expect(screenHeading(page)).toHaveText('Review the plan');
  await expect(page.getByText('You chose to install a version you rolled back from before.')).toBeVisible();
});

test('an older kernel is refused as a downgrade, explained', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed' });
  const { page } = app;
  await app.answerDialog('payload', await app.kernelFile('5.10.16.3'));
  await page.getByRole('button', { name: 'Choose another kernel file…' }).click();
  await page.getByRole('button', { name: 'Next: check this computer' }).click();
  await page.getByRole('button', { name: 'Next: review the plan' }).click();
  const refusal = page.locator('[data-code="downgrade-refused"]');
  await expect(refusal).toContainText('This kernel is older than the installed one');
  await expect(refusal).toContainText('Kernel 5.10.16.3 is older than the installed 5.15.153.1.');
  await app.shot('install-07-refused-downgrade');
  await refusal.getByRole('button', { name: 'Allow the downgrade' }).click();
  await page.getByRole('button', { name: 'Install now' }).click();
  await expect(screenHeading(page)).toHaveText('Kernel 5.10.16.3 is installed');
  expect((await app.status()).kernel).toMatchObject({ present: true, version: '5.10.16.3' });
});
