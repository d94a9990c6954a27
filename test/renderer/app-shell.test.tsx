// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/app';
import { connectEvents } from '../../src/renderer/src/events';
import { useApp } from '../../src/renderer/src/stores/app-store';
import { useProgress } from '../../src/renderer/src/stores/progress-store';
import { useWizard } from '../../src/renderer/src/stores/wizard-store';
import type { AppInfo } from '../../src/shared/ipc';
import { clickButton, installApi, realApi, resetStores, scriptedApi } from '../helpers/renderer';

const windowsInfo: AppInfo = {
  machine: { kind: 'windows', label: 'this Windows machine', root: null },
  entry: 'install',
  platform: 'win32',
  version: '1.0.0',
  elevated: false,
  needsElevation: true,
  bundled: null,
  bundledError: null,
  systemActions: false,
};

beforeEach(() => resetStores());
afterEach(() => {
  cleanup();
  installApi(undefined);
});

describe('app shell', () => {
  it('says so when the page runs without the app behind it', async () => {
    await act(() => useApp.getState().load());
    render(<App />);
    expect(screen.getByRole('heading', { name: 'The app could not start' })).toBeTruthy();
    expect(screen.getByText('The app is not connected')).toBeTruthy();
  });

  it('offers "Restart as administrator" when not elevated on Windows, and reports a cancelled prompt', async () => {
    const s = scriptedApi({ info: () => ({ ok: true, value: windowsInfo }), relaunchElevated: () => ({ ok: true, value: { outcome: 'cancelled' } }) });
    installApi(s.api);
    await act(() => useApp.getState().load());
    render(<App />);
    expect(screen.getByRole('heading', { level: 2, name: 'Administrator rights are needed' })).toBeTruthy();
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.queryByTestId('sandbox-badge')).toBeNull();
    await clickButton('Restart as administrator');
    await screen.findByText(/The administrator prompt was cancelled/);
    await clickButton('Continue without administrator rights');
    expect(screen.getByRole('navigation', { name: 'Sections' })).toBeTruthy();
  });

  it('shows the Sandbox badge and switches sandbox, starting the screens afresh', async () => {
    const other = await realApi('installed');
    const real = await realApi('fresh', { dialogs: { pickFolder: async () => other.dir } });
    try {
      installApi(real.api);
      const stop = connectEvents();
      expect(real.readyCalls).toBe(1);
      await act(() => useApp.getState().load());
      render(<App />);
      expect(screen.getByTestId('sandbox-badge').textContent).toContain(real.dir);
      useWizard.setState({ step: 'plan' });
      await clickButton('Choose another sandbox…');
      await waitFor(() => expect(screen.getByTestId('sandbox-badge').textContent).toContain(other.dir));
      expect(useWizard.getState().step).toBe('welcome');
      await screen.findByText('kernel 5.15.153.1');
      stop();
    } finally {
      await other.cleanup();
      await real.cleanup();
    }
  });

  it('feeds progress events into the progress store', async () => {
    const real = await realApi('fresh');
    try {
      installApi(real.api);
      const stop = connectEvents();
      real.emit({ type: 'progress', progress: { step: 'verify', title: 'Checking', done: 1, total: 4 } });
      real.emit({ type: 'progress', progress: { step: 'stage', title: 'Copying', done: 2, total: 4 } });
      real.emit({ type: 'progress', progress: { step: 'verify', title: 'Checking', done: 4, total: 4 } });
      expect(useProgress.getState().steps.map((p) => [p.step, p.done])).toEqual([
        ['verify', 4],
        ['stage', 2],
      ]);
      stop();
      real.emit({ type: 'progress', progress: { step: 'stage', title: 'Copying', done: 4, total: 4 } });
      expect(useProgress.getState().steps[1]?.done).toBe(2);
    } finally {
      await real.cleanup();
    }
  });
});
