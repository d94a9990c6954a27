/** Each pre-check failure shows its own message, remedy and one-click next step, and blocks the wizard until fixed. */
import { ERRORS } from '../src/shared/errors';
import { COMMANDS, SETTINGS_PAGES } from '../src/shared/remedies';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAccessibility, editMachineJson, expect, screenHeading, test } from './fixtures';

/** The sandbox registry as text (UTF-8, or UTF-16LE with its BOM). */
const registryText = (dir: string): string => {
  const raw = readFileSync(join(dir, 'machine.reg'));
  return raw[0] === 0xff && raw[1] === 0xfe ? raw.subarray(2).toString('utf16le') : raw.toString('utf8');
};

const CASES = [
  { preset: 'no-wsl', check: 'wsl-feature', message: 'Windows Subsystem for Linux is turned off.', remedy: ERRORS['wsl-not-enabled'].remedy, copy: COMMANDS.enableWsl },
  { preset: 'reboot-pending', check: 'reboot', message: 'Windows must restart to finish installing changes.', remedy: ERRORS['reboot-required'].remedy, copy: COMMANDS.restart },
  { preset: 'old-build', check: 'windows-build', message: 'This version of Windows (build 17763.1) is too old for WSL 2', remedy: ERRORS['wsl-unsupported-build'].remedy, copy: SETTINGS_PAGES['windows-update'] },
  { preset: 'no-vm-platform', check: 'vm-platform', message: 'Virtual Machine Platform is turned off.', remedy: ERRORS['vm-platform-missing'].remedy, copy: COMMANDS.enableVmPlatform },
  { preset: 'not-elevated', check: 'elevated', message: 'Not running as administrator.', remedy: ERRORS['not-elevated'].remedy, copy: null },
  { preset: 'low-disk', check: 'disk-space', message: 'Only 1.0 MiB free', remedy: ERRORS['insufficient-disk-space'].remedy, copy: SETTINGS_PAGES.storage },
] as const;

for (const c of CASES) {
  test(`pre-check failure: ${c.preset}`, async ({ page, openApp }) => {
    const app = await openApp({ preset: c.preset });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByTestId('footer-bar').getByRole('button', { name: 'Next' }).click();
    await expect(screenHeading(page)).toHaveText('This computer is not ready yet');
    const failed = page.locator(`li[data-check="${c.check}"]`);
    await expect(failed).toHaveClass(/check-fail/);
    await expect(failed).toContainText('Failed');
    await expect(failed).toContainText(c.message);
    await expect(failed.locator('.remedy')).toContainText(c.remedy);
    await expect(page.getByText(/checks? failed\./)).toBeVisible();
    await expect(page.getByTestId('footer-bar').getByRole('button', { name: 'Next' })).toBeDisabled();
    // One cause, one failed check (a pending restart is not also reported as WSL being off).
    await expect(page.locator('li.check-fail')).toHaveCount(1);
    // The one-click next step: the command (or Settings page) to copy, in full, with its Copy button.
    if (c.copy) {
      await expect(failed.getByTestId('command')).toHaveText(c.copy);
      await failed.getByRole('button', { name: 'Copy command' }).click();
      await expect(failed.getByRole('button', { name: 'Copied' })).toBeVisible();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(c.copy);
    }
    await app.shot(`prechecks-fail-${c.preset}`);
  });
}

test('check again: a fixed machine unblocks the wizard', async ({ openApp }) => {
  const app = await openApp({ preset: 'not-elevated' });
  const { page } = app;
  const next = page.getByTestId('footer-bar').getByRole('button', { name: 'Next' });
  await next.click();
  await expect(page.locator('li[data-check="elevated"]')).toHaveClass(/check-fail/);
  await editMachineJson(app.dir, (j) => (j.elevated = true));
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(page.getByText('All checks passed.')).toBeVisible();
  await expect(page.locator('li[data-check="elevated"]')).toHaveClass(/check-pass/);
  await expect(next).toBeEnabled();
});

test('turn on WSL: one click (with a confirmation) turns the feature on, and the check asks for the restart it needs', async ({ openApp }) => {
  const app = await openApp({ preset: 'no-wsl' });
  const { page } = app;
  await page.getByTestId('footer-bar').getByRole('button', { name: 'Next' }).click();
  const wsl = page.locator('li[data-check="wsl-feature"]');
  await expect(wsl).toHaveClass(/check-fail/);
  const turnOn = wsl.getByRole('button', { name: 'Turn on WSL…' });
  // Escape closes the confirmation and gives the focus back; nothing changed.
  await turnOn.click();
  const confirm = wsl.getByRole('group', { name: /Turn on Windows Subsystem for Linux/ });
  await expect(confirm).toBeVisible();
  await checkAccessibility(page, 'prechecks-turn-on-wsl-confirm');
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(turnOn).toBeFocused();
  expect(registryText(app.dir)).not.toContain('LxssManager');
  await turnOn.click();
  await confirm.getByRole('button', { name: 'Turn on', exact: true }).click();
  // The checks run again by themselves: WSL is on now, and the restart Windows needs is the one step left.
  await expect(page.locator('li[data-check="wsl-feature"]')).toHaveClass(/check-pass/);
  const reboot = page.locator('li[data-check="reboot"]');
  await expect(reboot).toHaveClass(/check-fail/);
  await expect(page.locator('li.check-fail')).toHaveCount(1);
  expect(registryText(app.dir)).toContain('Services\\LxssManager');
  await app.shot('prechecks-turned-on-wsl');
});
