/** Settings on real sandboxes: the slots picture, rollback with confirmation, undo under Advanced, the keyboard. */
import { expect, screenHeading, test } from './fixtures';

test('rollback, then undo the rollback', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed', entry: 'settings' });
  const { page } = app;
  await expect(screenHeading(page)).toHaveText('Kernels on this computer');
  const kernel = page.locator('[data-slot="kernel"]');
  const rollback = page.locator('section[data-slot="kernel.rollback"]');
  await expect(kernel.locator('.slot-version')).toHaveText('Version 5.15.153.1');
  await expect(kernel).toContainText('In use');
  await expect(rollback.locator('.slot-version')).toHaveText('Version 5.10.102.1');
  await page.getByText('Advanced').click();
  await expect(page.getByRole('button', { name: 'Undo rollback…' })).toBeDisabled();
  await expect(page.locator('#undo-why')).toContainText('No rollback is active');
  await page.getByText('Advanced').click();
  await app.shot('settings-01-installed');

  await page.getByRole('button', { name: 'Roll back…' }).click();
  const confirm = page.getByRole('group', { name: 'Roll back from kernel 5.15.153.1 to 5.10.102.1?' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('heading')).toBeFocused();
  // Escape closes the confirmation and gives the focus back to the button that opened it.
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Roll back…' })).toBeFocused();
  await page.getByRole('button', { name: 'Roll back…' }).click();
  await expect(confirm).toContainText('Updates will not install 5.15.153.1 again.');
  await app.shot('settings-02-confirm-rollback');
  await confirm.getByRole('button', { name: 'Roll back to 5.10.102.1' }).click();

  // The focus lands on the result, not on <body>.
  await expect(page.getByTestId('settings-result')).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'Rolled back to kernel 5.10.102.1' })).toBeVisible();
  await expect(rollback).toContainText('In use');
  // "Rolled back from" appears once, on the slot it belongs to.
  await expect(page.getByText('Rolled back from', { exact: true })).toHaveCount(1);
  await expect(kernel).toContainText('Rolled back from');
  await expect(page.getByRole('button', { name: 'Roll back…' })).toBeDisabled();
  await expect(page.locator('#rollback-why')).toContainText('see Undo rollback under Advanced');
  // Advanced opens by itself while a rollback is active: Undo is not hidden.
  await expect(page.getByRole('button', { name: 'Undo rollback…' })).toBeVisible();
  const restart = page.getByRole('region', { name: 'Restart WSL to use it' });
  await expect(restart.getByRole('listitem')).toHaveText(['Ubuntu', 'Debian']);
  await app.shot('settings-03-rolled-back');
  let status = await app.status();
  expect(status).toMatchObject({ rollbackActive: true, effective: 'kernel.rollback', badVersions: ['5.15.153.1'] });

  await restart.getByRole('button', { name: 'Restart WSL now' }).click();
  await expect(page.getByRole('heading', { name: 'WSL was restarted' })).toBeVisible();
  // The boot check after the restart started WSL again in the default distribution.
  await expect(page.locator('[data-boot="booted"]')).toBeVisible();
  expect((await app.machineJson()).wsl).toMatchObject({ running: ['Ubuntu'], shutdowns: 1 });

  await expect(page.locator('#undo-warning')).toContainText('Only undo a rollback when the problem with kernel 5.15.153.1 is fixed.');
  await page.getByRole('button', { name: 'Undo rollback…' }).click();
  const undo = page.getByRole('group', { name: 'Use kernel 5.15.153.1 again instead of 5.10.102.1?' });
  await expect(undo).toBeVisible();
  await app.shot('settings-04-confirm-undo');
  await undo.getByRole('button', { name: 'Undo the rollback' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Undid the rollback' })).toBeVisible();
  await expect(kernel).toContainText('In use');
  await expect(kernel).not.toContainText('Rolled back from');
  await page.locator('details.history > summary').click();
  await expect(page.locator('.timeline li').first()).toContainText('Undo rollback');
  await app.shot('settings-05-undone');
  status = await app.status();
  expect(status).toMatchObject({ rollbackActive: false, effective: 'kernel', badVersions: [] });
});

test('fresh machine: rollback is disabled with the reason', async ({ openApp }) => {
  const app = await openApp({ preset: 'fresh', entry: 'settings' });
  const { page } = app;
  await expect(page.locator('figcaption')).toContainText('WSL has no kernel it can start.');
  await expect(page.getByRole('button', { name: 'Roll back…' })).toBeDisabled();
  await expect(page.locator('#rollback-why')).toHaveText('WSL cannot start Linux yet: no kernel is installed. Install a kernel first.');
  await expect(page.getByTestId('health-banner').getByRole('button', { name: 'Install a kernel' })).toBeVisible();
  await app.shot('settings-06-fresh-no-rollback');
});

for (const preset of ['orphan-flag', 'kernel-missing'] as const) {
  test(`${preset}: Settings offers no rollback or undo, the banner leads to Repair`, async ({ openApp }) => {
    const app = await openApp({ preset, entry: 'settings' });
    const { page } = app;
    await expect(page.getByTestId('health-banner')).toContainText('WSL cannot start');
    await expect(page.getByRole('button', { name: 'Roll back…' })).toBeDisabled();
    await expect(page.locator('#rollback-why')).toContainText('Repair it first.');
    await expect(page.locator('.advanced button', { hasText: 'Undo rollback…' })).toBeDisabled();
    await expect(page.getByText(/unknown/)).toHaveCount(0);
    await app.shot(`settings-07-${preset}`);
    await page.getByTestId('health-banner').getByRole('button', { name: 'Repair' }).click();
    await expect(screenHeading(page)).toHaveText("Repair WSL's kernel");
  });
}
