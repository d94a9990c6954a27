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

  await page.getByRole('button', { name: 'Find problems' }).click();
  await expect(screenHeading(page)).toHaveText('1 problem found');
  const finding = page.locator('[data-finding="kernel-missing"]');
  // A plain sentence first; paths, ids and registry values only under Details.
  await expect(finding.locator('.finding-plain')).toContainText('The file WSL starts Linux with is not there');
  for (const part of ['.finding-title', '.finding-plain', '.fixes']) await expect(finding.locator(part)).not.toContainText(/kernel-missing|\/tmp\/|RollbackKernel|--from-msi/);
  await finding.locator('.details > summary').last().click();
  await expect(finding.locator('.details-text').last()).toContainText('does not exist');
  await expect(finding.getByRole('button', { name: 'Copy details' })).toBeVisible();
  const fixes = finding.locator('[data-fix]');
  await expect(fixes.first()).toHaveAttribute('data-fix', 'restore-rollback');
  await expect(fixes.first()).toContainText('Recommended');
  await expect(page.getByRole('radio', { name: /Put the previous kernel 5.10.102.1 back in place/ })).toBeChecked();
  await app.shot('repair-02-findings');

  // The update-package fix asks for the package first.
  await page.getByRole('radio', { name: /wsl_update_x64.msi/ }).check();
  await expect(page.getByRole('button', { name: 'Apply the fix' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Choose the update package…' })).toBeVisible();
  await page.getByRole('radio', { name: /Put the previous kernel/ }).check();

  await page.getByRole('button', { name: 'Apply the fix' }).click();
  await expect(screenHeading(page)).toHaveText('Repaired');
  await expect(page.getByTestId('health-banner')).toHaveCount(0);
  await expect(page.locator('dd[data-slot="in-use"]')).toHaveText('kernel 5.10.102.1');
  await expect(page.getByRole('region', { name: 'What was done' })).toContainText('Put the previous kernel 5.10.102.1 back in place');
  await expect(page.getByRole('region', { name: 'What was done' }).locator('li')).not.toContainText('restore-rollback');
  // One primary action: Finish.
  await expect(page.locator('button.primary')).toHaveCount(1);
  await expect(page.getByTestId('footer-bar').getByRole('button', { name: 'Finish' })).toBeVisible();
  await app.shot('repair-03-verify-repaired');
  const status = await app.status();
  expect(status.kernel).toMatchObject({ present: true, valid: true, version: '5.10.102.1' });
  expect(status.effective).toBe('kernel');

  await page.getByRole('button', { name: 'Check again' }).click();
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
  await page.getByRole('button', { name: 'Find problems' }).click();
  const manual = page.locator('.fix-manual').first();
  await expect(manual.getByTestId('command')).toHaveText('dism.exe /online /enable-feature /featurename:VirtualMachinePlatform /all /norestart');
  await expect(manual.getByRole('button', { name: 'Copy command' })).toBeVisible();
  await app.shot('repair-06-guided-steps');
});

test('kernel missing and no kernel.rollback: install the bundled kernel', async ({ openApp }) => {
  const app = await openApp({ preset: 'fresh', entry: 'repair' });
  const { page } = app;
  await page.getByRole('button', { name: 'Find problems' }).click();
  await expect(page.getByRole('radio', { name: /Install the bundled kernel 6.6.36.6/ })).toBeChecked();
  await page.getByRole('button', { name: 'Apply the fix' }).click();
  await expect(screenHeading(page)).toHaveText('Repaired');
  expect((await app.status()).kernel).toMatchObject({ present: true, valid: true, version: '6.6.36.6' });
});

test('orphan-flag: installing a good kernel is recommended; ending the rollback says it boots the bad version', async ({ openApp }) => {
  const app = await openApp({ preset: 'orphan-flag', entry: 'repair' });
  const { page } = app;
  await expect(page.getByTestId('health-banner')).toContainText('WSL cannot start');
  await page.getByRole('button', { name: 'Find problems' }).click();
  const finding = page.locator('[data-finding="rollback-flag-orphaned"]');
  await expect(finding.locator('[data-fix]').first()).toHaveAttribute('data-fix', 'reinstall');
  await expect(page.getByRole('radio', { name: /Install the bundled kernel 6.6.36.6/ })).toBeChecked();
  await expect(page.getByRole('radio', { name: /use kernel 5.15.153.1 again — the version you rolled back from/ })).toBeVisible();
  await app.shot('repair-07-orphan-flag');
  await page.getByRole('button', { name: 'Apply the fix' }).click();
  await expect(screenHeading(page)).toHaveText('Repaired');
  const status = await app.status();
  expect(status).toMatchObject({ rollbackActive: false, effective: 'kernel', kernel: { version: '6.6.36.6' } });
});
