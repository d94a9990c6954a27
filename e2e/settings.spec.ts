/** Settings on real sandboxes: the slots picture, rollback with confirmation, undo under Advanced. */
import { expect, screenHeading, test } from './fixtures';

test('rollback, then undo the rollback', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed', entry: 'settings' });
  const { page } = app;
  await expect(screenHeading(page)).toHaveText('Kernel settings');
  const kernel = page.locator('[data-slot="kernel"]');
  const rollback = page.locator('section[data-slot="kernel.rollback"]');
  await expect(kernel.locator('.slot-version')).toHaveText('5.15.153.1');
  await expect(kernel).toContainText('WSL boots this');
  await expect(rollback.locator('.slot-version')).toHaveText('5.10.102.1');
  await page.getByText('Advanced').click();
  await expect(page.getByRole('button', { name: 'Undo rollback…' })).toBeDisabled();
  await expect(page.locator('#undo-why')).toContainText('RollbackKernel is not set');
  await page.getByText('Advanced').click();
  await expect(page.locator('.timeline li')).toHaveCount(2);
  await app.shot('settings-01-installed');

  await page.getByRole('button', { name: 'Roll back…' }).click();
  const confirm = page.getByRole('group', { name: 'Roll back from kernel 5.15.153.1 to 5.10.102.1?' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('heading')).toBeFocused();
  await expect(confirm).toContainText('Version 5.15.153.1 is marked bad');
  await app.shot('settings-02-confirm-rollback');
  await confirm.getByRole('button', { name: 'Roll back to 5.10.102.1' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'Rolled back to kernel 5.10.102.1' })).toBeVisible();
  await expect(rollback).toContainText('WSL boots this');
  await expect(kernel).toContainText('Marked bad');
  await expect(page.getByRole('button', { name: 'Roll back…' })).toBeDisabled();
  await expect(page.locator('#rollback-why')).toContainText('WSL already boots kernel.rollback');
  const restart = page.getByRole('region', { name: 'Restart WSL to use it' });
  await expect(restart.getByRole('listitem')).toHaveText(['Ubuntu', 'Debian']);
  await app.shot('settings-03-rolled-back');
  let status = await app.status();
  expect(status).toMatchObject({ rollbackActive: true, effective: 'kernel.rollback', badVersions: ['5.15.153.1'] });

  await restart.getByRole('button', { name: 'Restart WSL now' }).click();
  await expect(page.getByRole('heading', { name: 'WSL was restarted' })).toBeVisible();
  expect((await app.machineJson()).wsl).toMatchObject({ running: [], shutdowns: 1 });

  await page.getByText('Advanced').click();
  await expect(page.locator('#undo-warning')).toContainText('Only undo a rollback when the problem with kernel 5.15.153.1 is fixed.');
  await page.getByRole('button', { name: 'Undo rollback…' }).click();
  const undo = page.getByRole('group', { name: 'Boot kernel 5.15.153.1 again instead of 5.10.102.1?' });
  await expect(undo).toBeVisible();
  await app.shot('settings-04-confirm-undo');
  await undo.getByRole('button', { name: 'Undo the rollback' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Undid the rollback' })).toBeVisible();
  await expect(kernel).toContainText('WSL boots this');
  await expect(kernel).not.toContainText('Marked bad');
  await expect(page.locator('.timeline li').first()).toContainText('Undo rollback');
  await app.shot('settings-05-undone');
  status = await app.status();
  expect(status).toMatchObject({ rollbackActive: false, effective: 'kernel', badVersions: [] });
});

test('fresh machine: rollback is disabled with the reason', async ({ openApp }) => {
  const app = await openApp({ preset: 'fresh', entry: 'settings' });
  const { page } = app;
  await expect(page.locator('figcaption')).toContainText('WSL has no kernel to boot.');
  await expect(page.getByRole('button', { name: 'Roll back…' })).toBeDisabled();
  await expect(page.locator('#rollback-why')).toHaveText('There is no kernel.rollback to roll back to.');
  await expect(page.getByRole('button', { name: 'Roll back…' })).toHaveAccessibleDescription('There is no kernel.rollback to roll back to.');
  await expect(page.getByText('No operation has run on this machine yet.')).toBeVisible();
  await app.shot('settings-06-fresh-no-rollback');
});
