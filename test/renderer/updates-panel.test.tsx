// @vitest-environment happy-dom
/** Settings > Updates over the real handlers and engine, with a signed feed folder (docs/design.md §12). */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/app';
import { POLICY_KEY } from '../../src/main/engine/feed/feed-settings';
import { useApp } from '../../src/renderer/src/stores/app-store';
import { useSettings } from '../../src/renderer/src/stores/settings-store';
import { clickButton, installApi, realApi, resetStores } from '../helpers/renderer';
import type { RealApi } from '../helpers/renderer';
import { makeFeed } from '../helpers/feed';

let real: RealApi | null = null;
beforeEach(() => resetStores());
afterEach(async () => {
  cleanup();
  installApi(undefined);
  delete process.env.WSLK_FEED_ROOT;
  await real?.cleanup();
  real = null;
});

describe('settings > Updates', () => {
  it('shows the policy-managed feed, checks, shows the notes, and installs the update', async () => {
    real = await realApi('installed', { entry: 'settings' });
    const feed = await makeFeed(real.dir + '-work', [{ version: '6.1.21.1', notes: 'Fixes the clock drift.' }]);
    process.env.WSLK_FEED_ROOT = feed.root;
    await real.engine().machine.registry.setValue(POLICY_KEY, 'FeedUrl', { type: 'REG_SZ', data: feed.dir });
    await real.engine().machine.registry.setValue(POLICY_KEY, 'Channel', { type: 'REG_SZ', data: 'stable' });
    installApi(real.api);
    await act(() => useApp.getState().load());
    render(<App />);
    await waitFor(() => expect(useSettings.getState().loaded).toBe(true));
    const panel = await screen.findByRole('heading', { name: 'Updates' });
    expect(panel).toBeTruthy();
    expect((await screen.findByTestId('updates-feed')).textContent).toContain('Set by your organization');
    expect((screen.getByRole('combobox', { name: /Channel/ }) as HTMLSelectElement).disabled).toBe(true);
    await clickButton('Check now');
    expect(await screen.findByText('Fixes the clock drift.')).toBeTruthy();
    await clickButton('Install update 6.1.21.1');
    expect(await screen.findByText('Installed kernel 6.1.21.1.')).toBeTruthy();
    expect((await real.engine().readStatus()).kernel).toMatchObject({ version: '6.1.21.1' });
  }, 60_000);
});
