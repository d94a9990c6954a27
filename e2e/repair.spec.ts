/** The repair wizard on real sandboxes: a missing kernel restored from kernel.rollback, the bundle export. */
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, screenHeading, test } from './fixtures';

test('repair a missing kernel from kernel.rollback', async ({ openApp }) => {
  const app = await openApp({
    preset: 'installed',
    entry: 'repair',
    prepare: (dir) => rm(join(dir, 'Windows/System32/lxss/tools/kernel')),
  });
  const { page } = app;
  await expect(screenHeading(page)).toHaveText("Repair WSL's kernel");
  await app.shot('repair-01-diagnose');

  await page.getByRole('button', { name: 'Diagnose', exact: true }).click();
  await expect(screenHeading(page)).toHaveText('1 problem found');
  const finding = page.locator('[data-finding="kernel-missing"]');
  await expect(finding).toContainText('does not exist');
  const fixes = finding.locator('[data-fix]');
  await expect(fixes.first()).toHaveAttribute('data-fix', 'restore-rollback');
  await expect(fixes.first()).toContainText('Recommended');
  await expect(page.getByRole('radio', { name: /Copy kernel.rollback \(5.10.102.1\) to kernel/ })).toBeChecked();
  await app.shot('repair-02-findings');

  // The installer-package fix asks for the package first.
  await page.getByRole('radio', { name: /wsl_update_x64.msi/ }).check();
  await expect(page.getByRole('button', { name: 'Apply the chosen fix' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Choose the installer package…' })).toBeVisible();
  await page.getByRole('radio', { name: /Copy kernel.rollback/ }).check();

  await page.getByRole('button', { name: 'Apply the chosen fix' }).click();
  await expect(screenHeading(page)).toHaveText('Repaired');
  await expect(page.locator('dd[data-slot="kernel"]')).toHaveText('5.10.102.1');
  await expect(page.getByRole('region', { name: 'What was done' })).toContainText('restore-rollback');
  await app.shot('repair-03-verify-repaired');
  const status = await app.status();
  expect(status.kernel).toMatchObject({ present: true, valid: true, version: '5.10.102.1' });
  expect(status.effective).toBe('kernel');

  await page.getByRole('button', { name: 'Diagnose again' }).click();
  await expect(screenHeading(page)).toHaveText('No problems found');
  await app.shot('repair-04-healthy');
});

test('export the diagnostics bundle through the save dialog', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed', entry: 'repair' });
  const { page } = app;
  const target = join(app.dir, '..', 'bundle.json');
  await app.answerDialog('save', target);
  await page.getByRole('button', { name: 'Export diagnostics bundle…' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved to' })).toContainText(target);
  expect(existsSync(target)).toBe(true);
  expect(readFileSync(target, 'utf8').length).toBeGreaterThan(0);
  await app.shot('repair-05-bundle-saved');
});

test('pre-check failures show their guided steps', async ({ openApp }) => {
  const app = await openApp({ preset: 'no-vm-platform', entry: 'repair' });
  const { page } = app;
  await page.getByRole('button', { name: 'Diagnose', exact: true }).click();
  const manual = page.locator('.fix-manual').first();
  await expect(manual).toContainText('Steps for you');
  await expect(manual).toContainText('dism.exe /online /enable-feature /featurename:VirtualMachinePlatform /all /norestart');
  await app.shot('repair-06-guided-steps');
});

test('kernel missing and no kernel.rollback: install the bundled kernel', async ({ openApp }) => {
  const app = await openApp({ preset: 'fresh', entry: 'repair' });
  const { page } = app;
  await page.getByRole('button', { name: 'Diagnose', exact: true }).click();
  await expect(page.getByRole('radio', { name: /Install the bundled kernel 6.6.36.6/ })).toBeChecked();
  await page.getByRole('button', { name: 'Apply the chosen fix' }).click();
  await expect(screenHeading(page)).toHaveText('Repaired');
  expect((await app.status()).kernel).toMatchObject({ present: true, valid: true, version: '6.6.36.6' });
});
