/** The install, from Welcome to the WSL restart, with the keyboard only; focus is always visible. */
import type { Page } from '@playwright/test';
import { DEMO_VERSION, editMachineJson, expect, screenHeading, test } from './fixtures';

/** Press Tab until the focused element has this accessible name (at most 40 presses). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return null;
      const style = getComputedStyle(el);
      return { text: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    if (focused?.text === name) {
      // Visible focus: a real outline, not the browser's hidden default.
      expect(focused.outline, `focus outline on "${name}"`).not.toBe('none');
      expect(focused.width).toBeGreaterThanOrEqual(2);
      return;
    }
  }
  throw new Error(`"${name}" cannot be reached with Tab`);
}

test('keyboard only: Enter presses the default button, focus follows each screen, then restart WSL', async ({ openApp }) => {
  const app = await openApp({ preset: 'fresh', prepare: (dir) => editMachineJson(dir, (j) => (j.wsl = { running: ['Ubuntu'], shutdowns: 0 })) });
  const { page } = app;
  await expect(screenHeading(page)).toBeFocused();
  await expect(page.getByTestId('footer-bar').getByRole('button', { name: 'Next' })).toBeEnabled();

  // Enter on the focused heading presses the screen's primary button (Next).
  await page.keyboard.press('Enter');
  await expect(screenHeading(page)).toHaveText('This computer is ready');
  await expect(screenHeading(page)).toBeFocused();

  await tabTo(page, 'Next');
  await page.keyboard.press('Enter');
  await expect(screenHeading(page)).toHaveText(`Install kernel ${DEMO_VERSION}: review the changes`);
  await expect(screenHeading(page)).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(screenHeading(page)).toHaveText(`Kernel ${DEMO_VERSION} is installed`);
  await expect(screenHeading(page)).toBeFocused();

  await tabTo(page, 'Restart WSL now');
  await app.shot('keyboard-01-focus-restart');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'WSL was restarted' })).toBeVisible();
  // The boot check after the restart started WSL again in the default distribution.
  await expect(page.locator('[data-boot="booted"]')).toBeVisible();
  expect((await app.machineJson()).wsl).toMatchObject({ running: ['Ubuntu'], shutdowns: 1 });
  expect((await app.status()).kernel).toMatchObject({ present: true, version: DEMO_VERSION });

  // The other sections are reachable too: Settings, then Advanced, by keyboard.
  await tabTo(page, 'Settings');
  await page.keyboard.press('Enter');
  await expect(screenHeading(page)).toHaveText('Kernels on this computer');
  await tabTo(page, 'Advanced');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Undo the rollback' })).toBeVisible();
});

test('the focus ring is not the "in use" highlight', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed', entry: 'settings' });
  const { page } = app;
  const inUse = page.locator('section.slot-in-use');
  await expect(inUse).toBeVisible();
  const look = (sel: string) =>
    page.locator(sel).first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { outline: `${s.outlineStyle} ${s.outlineColor}`, border: s.borderLeftColor, shadow: s.boxShadow };
    });
  const slot = await look('section.slot-in-use');
  await tabTo(page, 'Roll back…');
  const focused = await look(':focus');
  expect(focused.outline).not.toBe(slot.outline);
  expect(focused.outline).toContain('solid');
  // The highlight is a coloured stripe, not a ring around the card.
  expect(slot.outline.startsWith('none')).toBe(true);
  expect(slot.shadow).toBe('none');
});
