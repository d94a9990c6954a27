/** Each pre-check failure shows its own message and remedy, and blocks the wizard until fixed. */
import { ERRORS } from '../src/shared/errors';
import { editMachineJson, expect, screenHeading, test } from './fixtures';

const CASES = [
  { preset: 'no-wsl', check: 'wsl-feature', message: 'Windows Subsystem for Linux is not enabled (the LxssManager service does not exist).', remedy: ERRORS['wsl-not-enabled'].remedy },
  {
    preset: 'reboot-pending',
    check: 'wsl-feature',
    message: 'Windows Subsystem for Linux was enabled, but Windows has not restarted since, so it is not active yet.',
    remedy: 'Restart Windows to finish enabling WSL, then run the installer again.',
  },
  { preset: 'old-build', check: 'windows-build', message: 'Windows build 17763.1 does not support WSL 2', remedy: ERRORS['wsl-unsupported-build'].remedy },
  { preset: 'no-vm-platform', check: 'vm-platform', message: 'Virtual Machine Platform is not enabled', remedy: ERRORS['vm-platform-missing'].remedy },
  { preset: 'not-elevated', check: 'elevated', message: 'Not running as administrator.', remedy: ERRORS['not-elevated'].remedy },
  { preset: 'low-disk', check: 'disk-space', message: 'Only 1.0 MiB free', remedy: ERRORS['insufficient-disk-space'].remedy },
] as const;

for (const c of CASES) {
  test(`pre-check failure: ${c.preset}`, async ({ openApp }) => {
    const app = await openApp({ preset: c.preset });
    const { page } = app;
    await page.getByRole('button', { name: 'Next: check this computer' }).click();
    await expect(screenHeading(page)).toHaveText('Pre-checks');
    const failed = page.locator(`li[data-check="${c.check}"]`);
    await expect(failed).toHaveClass(/check-fail/);
    await expect(failed).toContainText('Failed');
    await expect(failed).toContainText(c.message);
    await expect(failed.locator('.remedy')).toContainText(c.remedy);
    await expect(page.getByText(/checks? failed\./)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next: review the plan' })).toBeDisabled();
    // The other causes are told apart: only the checks of this preset fail.
    const others = page.locator('li.check-fail');
    const expected = c.preset === 'reboot-pending' ? 2 : 1;
    await expect(others).toHaveCount(expected);
    await app.shot(`prechecks-fail-${c.preset}`);
  });
}

test('check again: a fixed machine unblocks the wizard', async ({ openApp }) => {
  const app = await openApp({ preset: 'not-elevated' });
  const { page } = app;
  await page.getByRole('button', { name: 'Next: check this computer' }).click();
  await expect(page.locator('li[data-check="elevated"]')).toHaveClass(/check-fail/);
  await editMachineJson(app.dir, (j) => (j.elevated = true));
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(page.getByText('All checks passed.')).toBeVisible();
  await expect(page.locator('li[data-check="elevated"]')).toHaveClass(/check-pass/);
  await expect(page.getByRole('button', { name: 'Next: review the plan' })).toBeEnabled();
});
