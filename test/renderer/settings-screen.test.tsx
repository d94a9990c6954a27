// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/app';
import { call } from '../../src/renderer/src/api';
import { useApp } from '../../src/renderer/src/stores/app-store';
import { useSettings } from '../../src/renderer/src/stores/settings-store';
import { clickButton, installApi, realApi, resetStores } from '../helpers/renderer';
import type { RealApi } from '../helpers/renderer';

let real: RealApi | null = null;
beforeEach(() => resetStores());
afterEach(async () => {
  cleanup();
  installApi(undefined);
  await real?.cleanup();
  real = null;
});

async function start(preset: string) {
  real = await realApi(preset, { entry: 'settings' });
  installApi(real.api);
  await act(() => useApp.getState().load());
  render(<App />);
  await screen.findByRole('heading', { level: 2, name: 'Kernels on this computer' });
  await waitFor(() => expect(useSettings.getState().loaded).toBe(true));
  return real;
}

describe('settings', () => {
  it('opens on the entry screen main asked for', async () => {
    await start('fresh');
    expect(screen.getByRole('button', { name: 'Settings' }).getAttribute('aria-current')).toBe('page');
  });

  it('disables Rollback with the engine\'s reason when there is no kernel.rollback', async () => {
    await start('fresh');
    const button = screen.getByRole('button', { name: 'Roll back…' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    const reason = document.getElementById(button.getAttribute('aria-describedby') ?? '');
    expect(reason?.textContent).toBe('WSL cannot start Linux yet: no kernel is installed. Install a kernel first.');
    expect(reason?.getAttribute('data-code')).toBe('kernel-missing');
  });

  it('draws both slots, which one boots, and the bad versions', async () => {
    const r = await start('installed');
    await r.engine().rollback();
    await act(() => useSettings.getState().load());
    const kernel = document.querySelector('section[data-slot="kernel"]');
    const rollback = document.querySelector('section[data-slot="kernel.rollback"]');
    expect(kernel?.textContent).toContain('5.15.153.1');
    expect(kernel?.textContent).toContain('Rolled back from');
    expect(kernel?.textContent).not.toContain('In use');
    expect(rollback?.textContent).toContain('5.10.102.1');
    expect(rollback?.textContent).toContain('In use');
    // Said once, on the slot it belongs to.
    expect(screen.getAllByText('Rolled back from')).toHaveLength(1);
  });

  it('confirms a rollback naming both versions, then offers the WSL restart', async () => {
    const r = await start('installed');
    await clickButton('Roll back…');
    const confirm = await screen.findByRole('group', { name: 'Roll back from kernel 5.15.153.1 to 5.10.102.1?' });
    await waitFor(() => expect(document.activeElement?.id).toBe('rollback-confirm-title'));
    expect(confirm.textContent).toContain('Updates will not install 5.15.153.1 again.');
    await clickButton('Roll back to 5.10.102.1');
    await screen.findByText(/Rolled back to kernel 5\.10\.102\.1/);
    // The focus goes to the result, not to <body>.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('settings-result')));
    expect(screen.getByRole('region', { name: 'Restart WSL to use it' }).textContent).toContain('Ubuntu');
    expect((await r.engine().readStatus()).rollbackActive).toBe(true);
    await waitFor(() => expect((screen.getByRole('button', { name: 'Roll back…' }) as HTMLButtonElement).disabled).toBe(true));
    // Wait for the refresh to finish (the engine's reason is shown) before the sandbox is removed.
    await waitFor(() => expect(document.getElementById('rollback-why')?.textContent).toContain('see Undo rollback under Advanced'));
    await waitFor(() => expect(useSettings.getState().busy).toBe(false));
  });

  it('cancelling the confirmation changes nothing', async () => {
    const r = await start('installed');
    await clickButton('Roll back…');
    await clickButton('Cancel');
    expect(screen.queryByRole('group', { name: /Roll back from kernel/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Roll back…' })).toBeTruthy();
    expect((await r.engine().readStatus()).rollbackActive).toBe(false);
    expect(r.calls.map((c) => c.channel)).not.toContain('rollback');
  });

  it('shown again after another screen changed the machine: the old picture and result are dropped, not shown', async () => {
    const r = await start('installed');
    await clickButton('Roll back…');
    await clickButton('Roll back to 5.10.102.1');
    await screen.findByText(/Rolled back to kernel 5\.10\.102\.1/);
    await waitFor(() => expect(useSettings.getState().busy).toBe(false));
    await clickButton('Install');
    // Another screen undoes the rollback (any changing command goes through api.call).
    await act(async () => void (await call('undoRollback', {})));
    await act(async () => screen.getByRole('button', { name: 'Settings' }).click());
    // Before the new reading arrives, nothing of the old one is on screen.
    expect(screen.queryByTestId('settings-result')).toBeNull();
    expect(document.querySelector('section[data-slot]')).toBeNull();
    expect(document.getElementById('rollback-why')).toBeNull();
    await waitFor(() => expect(useSettings.getState().loaded).toBe(true));
    await waitFor(() => expect(useSettings.getState().busy).toBe(false));
    expect(screen.queryByTestId('settings-result')).toBeNull();
    expect((screen.getByRole('button', { name: 'Roll back…' }) as HTMLButtonElement).disabled).toBe(false);
    expect((await r.engine().readStatus()).rollbackActive).toBe(false);
  });
});
