/** Settings > Updates on a sandbox with a signed feed folder set by machine policy (docs/design.md §12). */
import { join } from 'node:path';
import { POLICY_KEY } from '../src/main/engine/feed/feed-settings';
import { openSandbox } from '../src/main/engine/sandbox/sandbox-machine';
import { makeFeed } from '../test/helpers/feed';
import { expect, test } from './fixtures';

test.afterEach(() => {
  delete process.env.WSLK_FEED_ROOT;
});

test('check for an update, read its notes, install it; policy-managed settings are shown as such', async ({ openApp }) => {
  const app = await openApp({
    preset: 'installed',
    entry: 'settings',
    prepare: async (dir) => {
      const feed = await makeFeed(join(dir, '..'), [{ version: '6.1.21.1', notes: 'Fixes the clock drift after resume.' }]);
      process.env.WSLK_FEED_ROOT = feed.root;
      const machine = await openSandbox(dir);
      await machine.registry.setValue(POLICY_KEY, 'FeedUrl', { type: 'REG_SZ', data: feed.dir });
      await machine.registry.setValue(POLICY_KEY, 'AutoUpdate', { type: 'REG_DWORD', data: 1 });
    },
  });
  const { page } = app;
  const panel = page.getByRole('region', { name: 'Updates' });
  await expect(panel.getByTestId('updates-feed')).toContainText('Set by your organization');
  await expect(panel.getByRole('checkbox', { name: /Install updates automatically/ })).toBeDisabled();
  await expect(panel.getByRole('checkbox', { name: /Install updates automatically/ })).toBeChecked();
  await app.shot('settings-06-updates');

  await panel.getByRole('button', { name: 'Check now' }).click();
  await expect(panel.getByText('Fixes the clock drift after resume.')).toBeVisible();
  await expect(panel.getByText(/Kernel 6\.1\.21\.1 is available/)).toBeVisible();
  await app.shot('settings-07-update-offered');

  await panel.getByRole('button', { name: 'Install update 6.1.21.1' }).click();
  await expect(panel.getByRole('status').filter({ hasText: 'Installed kernel 6.1.21.1.' })).toBeVisible();
  await expect(page.locator('[data-slot="kernel"] .slot-version')).toHaveText('Version 6.1.21.1');
  await app.shot('settings-08-update-installed');
  expect(await app.status()).toMatchObject({ kernel: { version: '6.1.21.1' }, rollbackKernel: { version: '5.15.153.1' } });
});
