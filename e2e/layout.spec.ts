/**
 * Every preset at both window sizes: the screen's primary action is visible without scrolling on
 * every wizard step, broken machines show the one health banner on every tab, and the first
 * sentence of each screen is plain (no file names, hashes or registry paths).
 */
import type { Page } from '@playwright/test';
import { expect, screenHeading, screenshot, test } from './fixtures';

const SIZES = [
  { width: 1024, height: 700 },
  { width: 800, height: 600 },
] as const;

const PRESETS = ['fresh', 'installed', 'rolled-back', 'no-wsl', 'reboot-pending', 'old-build', 'low-disk', 'orphan-flag', 'kernel-missing', 'wrong-arch-kernel', 'store-fresh', 'store-managed'] as const;
const BROKEN: Record<string, RegExp> = {
  'orphan-flag': /WSL cannot start: it is set to use the previous kernel, and that file is missing/,
  'kernel-missing': /WSL cannot start: the kernel is missing/,
  'wrong-arch-kernel': /WSL cannot start: the kernel file is damaged/,
  'no-wsl': /Windows Subsystem for Linux is turned off/,
  'reboot-pending': /WSL cannot start until Windows restarts/,
  'old-build': /too old/,
};
const JARGON = /RollbackKernel|HKLM|sha256|[0-9a-f]{64}|kernel\.rollback|\/tmp\/|--from-msi|WSL boots/;

/** The footer's primary button (or, with none, the footer itself) lies wholly inside the window. */
async function expectFooterInView(page: Page, what: string): Promise<void> {
  const footer = page.getByTestId('footer-bar');
  await expect(footer, what).toBeVisible();
  const box = await footer.boundingBox();
  const view = page.viewportSize()!;
  expect(box, what).not.toBeNull();
  expect(box!.y + box!.height, `${what}: footer bottom at ${box!.y + box!.height}, window ${view.height}`).toBeLessThanOrEqual(view.height + 0.5);
  expect(box!.y, what).toBeGreaterThanOrEqual(0);
  const primary = footer.locator('.footer-primary button').last();
  if ((await primary.count()) > 0) await expect(primary, what).toBeInViewport({ ratio: 1 });
}

async function expectPlainLead(page: Page, what: string): Promise<void> {
  const heading = await screenHeading(page).innerText();
  expect(heading, `${what}: heading`).not.toMatch(JARGON);
  const lead = page.locator('.screen .lead').first();
  if ((await lead.count()) > 0) expect(await lead.innerText(), `${what}: lead`).not.toMatch(JARGON);
}

for (const size of SIZES) {
  for (const preset of PRESETS) {
    test(`${preset} at ${size.width}x${size.height}: primary action in view on every step, banner on every tab`, async ({ page, openApp }) => {
      // Every step and tab of one preset: long on a busy machine.
      test.setTimeout(240_000);
      await page.setViewportSize(size);
      const app = await openApp({ preset });
      const tag = `${preset}-${size.width}`;
      // axe at the larger size (the same markup at both); a screenshot at each.
      const shot = (name: string) => (size.width === 1024 ? app.shot(name) : screenshot(page, name));

      // Install wizard: Welcome, then as far as the machine allows.
      await expect(page.locator('[data-screen="install-welcome"]')).toBeVisible();
      await expect(page.getByTestId('footer-bar').getByRole('button', { name: /Next|Close/ })).toBeVisible();
      await expect(page.getByTestId('welcome-lead')).not.toHaveText(/checks this computer, shows what will change, then installs/);
      await expectFooterInView(page, `${tag} welcome`);
      await expectPlainLead(page, `${tag} welcome`);
      await shot(`layout-${tag}-1-welcome`);
      const next = page.getByTestId('footer-bar').getByRole('button', { name: 'Next' });
      if ((await next.count()) > 0 && (await next.isEnabled())) {
        await next.click();
        await expect(page.locator('[data-screen="install-prechecks"]')).toBeVisible();
        await expect(page.locator('.checks .check').first()).toBeVisible();
        await expect(page.getByTestId('footer-bar').getByRole('button', { name: 'Check again' })).toBeEnabled();
        await expectFooterInView(page, `${tag} prechecks`);
        await shot(`layout-${tag}-2-prechecks`);
        const toPlan = page.getByTestId('footer-bar').getByRole('button', { name: 'Next' });
        if (await toPlan.isEnabled()) {
          await toPlan.click();
          await expect(page.locator('[data-screen="install-plan"]')).toBeVisible();
          await expect(page.locator('.plan-steps, .notice, .problem').first()).toBeVisible();
          await expectFooterInView(page, `${tag} plan`);
          await expectPlainLead(page, `${tag} plan`);
          await shot(`layout-${tag}-3-plan`);
        }
      }

      // The banner: on every tab for a machine WSL cannot start on, and on none for a healthy one.
      for (const section of ['Install', 'Settings', 'Repair'] as const) {
        await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: section }).click();
        const banner = page.getByTestId('health-banner');
        if (BROKEN[preset]) await expect(banner, `${tag} ${section}`).toHaveText(BROKEN[preset]);
        else if (preset === 'fresh' || preset === 'low-disk') await expect(banner).toHaveText(/no kernel is installed/);
        else await expect(banner, `${tag} ${section}`).toHaveCount(0);
        if (section !== 'Install') {
          await expect(screenHeading(page)).toBeVisible();
          if (section === 'Settings') await expect(page.locator('.slots')).toBeVisible();
          await expectFooterInView(page, `${tag} ${section}`);
          await shot(`layout-${tag}-${section.toLowerCase()}`);
        }
      }
    });
  }
}
