/**
 * The seed story through the UI on every store-WSL preset (docs/design.md §11): install A, update to
 * B, roll back in Settings, update to C, no undo to offer, B refused as marked bad, then "Use WSL's
 * own kernel again" puts the user's .wslconfig back byte for byte. The CLI walks the same story in
 * test/main/cli/cli-store.test.ts; this proves the screens drive the same engine to the same machine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screenHeading, test } from './fixtures';

const footer = (page: Page, name: string | RegExp) => page.getByTestId('footer-bar').getByRole('button', { name, exact: typeof name === 'string' });
const section = (page: Page, name: 'Install' | 'Settings') => page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click();
const BOOT_LINE = 'kernel=C:\\\\ProgramData\\\\WslKernelSetup\\\\boot\\\\kernel';

const PRESETS = [
  // foreign: .wslconfig names a kernel the tool does not own (the install asks to take over).
  // managed: the tool's kernel is installed already; before it, alice had no .wslconfig.
  { preset: 'store-fresh', foreign: false, managed: false },
  { preset: 'store-managed', foreign: false, managed: true },
  { preset: 'store-custom', foreign: true, managed: false },
  { preset: 'store-bad-escape', foreign: true, managed: false },
  { preset: 'store-missing-custom', foreign: true, managed: false },
  { preset: 'store-policy-blocked', foreign: true, managed: false },
] as const;

for (const { preset, foreign, managed } of PRESETS) {
  test(`${preset}: the seed story in the UI, then WSL's own kernel again`, async ({ openApp }) => {
    const app = await openApp({ preset });
    const { page } = app;
    const wslconfig = join(app.dir, 'Users', 'alice', '.wslconfig');
    const read = () => (existsSync(wslconfig) ? readFileSync(wslconfig) : null);
    const before = read();
    const original = managed ? null : before;
    const own = managed ? { source: 'default', path: 'C:\\Program Files\\WSL\\tools\\kernel' } : (await app.status()).boot;
    const blocked = preset === 'store-policy-blocked';
    const [A, B, C] = ['6.6.40.1', '6.6.50.1', '6.6.60.1'] as const;

    /** From the Install tab's first screen: pick the kernel of this version and walk to its plan. */
    const toPlan = async (version: string) => {
      await section(page, 'Install');
      const again = page.getByRole('button', { name: 'Back to the start' });
      if (await again.isVisible()) await again.click();
      await app.chooseFile('payload', await app.kernelFile(version));
      await expect(page.getByTestId('payload')).toContainText(version);
      await footer(page, 'Next').click();
      await expect(page.getByText('All checks passed.')).toBeVisible();
      await footer(page, 'Next').click();
    };
    const install = async (version: string) => {
      await toPlan(version);
      await footer(page, /now$/).click();
      await expect(screenHeading(page)).toHaveText(`Kernel ${version} is installed`);
    };

    // A: on a .wslconfig that names another kernel, the plan refuses until the user takes over.
    if (foreign) {
      await toPlan(A);
      await expect(page.locator('[data-code="wslconfig-foreign-kernel"]')).toBeVisible();
      await expect(footer(page, /now$/)).toBeDisabled();
      expect(read()).toEqual(before);
      await page.getByRole('button', { name: 'Use this kernel instead' }).click();
      await footer(page, /now$/).click();
      await expect(screenHeading(page)).toHaveText(`Kernel ${A} is installed`);
    } else {
      await install(A);
    }
    let status = await app.status();
    expect(status.storeSlots).toMatchObject({ kernel: { version: A }, rollbackActive: false });
    if (blocked) expect(status.boot).toMatchObject({ source: 'default', toolOwned: false });
    else expect(status.boot).toMatchObject({ toolOwned: true, kernel: { version: A } });
    const edited = read()!;
    expect(edited.toString('utf8')).toContain(BOOT_LINE);

    // B: an update keeps A as the fallback.
    await install(B);
    status = await app.status();
    expect(status.storeSlots).toMatchObject({ kernel: { version: B }, rollbackKernel: { version: A }, rollbackActive: false });

    // Roll back in Settings: A boots, B is marked bad, .wslconfig is not rewritten.
    await section(page, 'Settings');
    await page.getByRole('button', { name: 'Roll back…' }).click();
    await page.getByRole('group', { name: `Roll back from kernel ${B} to ${A}?` }).getByRole('button', { name: `Roll back to ${A}` }).click();
    await expect(page.getByRole('status').filter({ hasText: `Rolled back to kernel ${A}` })).toBeVisible();
    status = await app.status();
    expect(status.storeSlots).toMatchObject({ rollbackActive: true, badReleases: [expect.stringContaining(B)] });
    if (!blocked) expect(status.boot?.kernel).toMatchObject({ version: A });
    expect(read()).toEqual(edited);

    // C: installed over the rollback, A stays the fallback (B is never kept).
    await install(C);
    status = await app.status();
    expect(status.storeSlots).toMatchObject({ kernel: { version: C }, rollbackKernel: { version: A }, rollbackActive: false });
    if (!blocked) expect(status.boot?.kernel).toMatchObject({ version: C });
    expect(read()).toEqual(edited);

    // No rollback is active: Settings has no undo to offer.
    await section(page, 'Settings');
    await page.locator('summary', { hasText: 'Advanced' }).click();
    await expect(page.getByRole('button', { name: 'Undo rollback…' })).toBeDisabled();
    await expect(page.locator('#undo-why')).toContainText('No rollback is active');

    // B again: refused as the version rolled back from.
    await toPlan(B);
    await expect(page.locator('[data-code="version-marked-bad"]')).toContainText('This kernel version was rolled back before');
    // The app's own words: no command-line option on the screen.
    await expect(page.locator('[data-code="version-marked-bad"]')).not.toContainText('--');
    await expect(footer(page, /now$/)).toBeDisabled();
    await app.shot(`store-story-${preset}-refused-bad`);

    // WSL's own kernel again: the user's file is as it was before the tool's first install. Offered
    // under the policy too: WSL ignores the line there, but the file still names the tool's kernel.
    await section(page, 'Settings');
    const store = page.getByTestId('store-panel');
    await store.getByRole('button', { name: /Use WSL's own kernel again/ }).click();
    await store.getByRole('group', { name: /Use WSL's own kernel .* again\?/ }).getByRole('button', { name: /^Use WSL's own kernel/ }).click();
    await expect(page.getByTestId('settings-result')).toBeVisible();
    expect(read()).toEqual(original);
    status = await app.status();
    expect(status.boot).toMatchObject({ source: own!.source, path: own!.path });
    expect(status.storeSlots).toMatchObject({ kernel: { version: C }, rollbackKernel: { version: A } });
  });
}
