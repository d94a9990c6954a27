// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/app';
import { call } from '../../src/renderer/src/api';
import { useApp } from '../../src/renderer/src/stores/app-store';
import { useHealth } from '../../src/renderer/src/stores/health-store';
import { useWizard } from '../../src/renderer/src/stores/wizard-store';
import { clickButton, installApi, realApi, resetStores, scriptedApi } from '../helpers/renderer';
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
  real = await realApi(preset);
  installApi(real.api);
  await act(() => useApp.getState().load());
  render(<App />);
  return real;
}

const heading = () => screen.getByRole('heading', { level: 2 });

describe('install wizard', () => {
  it('walks a fresh machine from Welcome to Done and restarts WSL', async () => {
    const r = await start('fresh');
    expect(await screen.findByText('Comes with this app')).toBeTruthy();
    // The first screen names the change (install, update, up to date) once the engine's plan is in.
    await waitFor(() => expect(heading().textContent).toBe('Install kernel 6.6.36.6'));
    await waitFor(() => expect(document.activeElement).toBe(heading()));

    await clickButton('Next');
    expect(await screen.findByText('All checks passed.')).toBeTruthy();
    expect(heading().textContent).toBe('This computer is ready');
    await waitFor(() => expect(document.activeElement).toBe(heading()));
    expect(document.querySelector('[aria-current="step"]')?.textContent).toContain('Check');

    await clickButton('Next');
    expect(await screen.findByText('Make kernel 6.6.36.6 the kernel WSL uses')).toBeTruthy();

    await clickButton('Install now');
    await screen.findByRole('heading', { level: 2, name: 'Kernel 6.6.36.6 is installed' });
    expect((await r.engine().readStatus()).kernel).toMatchObject({ present: true, version: '6.6.36.6' });
    // No distribution runs on this machine: nothing to restart, so no restart (and no warning) is offered.
    expect(screen.getByTestId('no-restart-needed').textContent).toContain('the next one you start uses the new kernel');
    expect(screen.queryByRole('button', { name: 'Restart WSL now' })).toBeNull();
    expect(r.calls.map((c) => c.channel)).not.toContain('shutdownWsl');
    expect(screen.getByRole('button', { name: 'Finish' })).toBeTruthy();
  });

  it('blocks on a failed pre-check and shows its remedy', async () => {
    await start('no-wsl');
    await clickButton('Next');
    expect(await screen.findByText('1 check failed.', { exact: false })).toBeTruthy();
    const failed = document.querySelector('li[data-check="wsl-feature"]');
    expect(failed?.className).toContain('check-fail');
    expect(failed?.textContent).toContain('dism.exe /online /enable-feature /featurename:Microsoft-Windows-Subsystem-Linux');
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('explains "nothing to do" instead of offering an install', async () => {
    const r = await start('installed');
    await r.engine().install({});
    await clickButton('Next');
    await screen.findByText('All checks passed.');
    await clickButton('Next');
    await screen.findByRole('heading', { level: 2, name: 'Nothing to do' });
    expect(screen.queryByRole('button', { name: 'Install now' })).toBeNull();
    expect(useWizard.getState().plan?.kind).toBe('nothing-to-do');
  });

  it('shown again after a rollback in Settings: Welcome and the plan say what is installed now, never what was', async () => {
    await start('installed');
    await waitFor(() => expect(heading().textContent).toBe('Update 5.15.153.1 → 6.6.36.6'));
    expect(document.querySelector('dd[data-slot="in-use"]')?.textContent).toBe('kernel 5.15.153.1');
    await clickButton('Settings');
    await act(async () => void (await call('rollback', {})));
    await act(async () => screen.getByRole('button', { name: 'Install' }).click());
    // Dropped before the first paint: not the kernel that booted before the rollback.
    expect(document.querySelector('dd[data-slot="in-use"]')?.textContent ?? '').not.toBe('kernel 5.15.153.1');
    await waitFor(() => expect(document.querySelector('dd[data-slot="in-use"]')?.textContent).toBe('kernel 5.10.102.1'));

    // On the plan step too: the plan is asked again.
    await clickButton('Next');
    await screen.findByText('All checks passed.');
    await clickButton('Next');
    await waitFor(() => expect(document.querySelector('[data-plan-step]')).not.toBeNull());
    await clickButton('Settings');
    await act(async () => void (await call('undoRollback', {})));
    await act(async () => screen.getByRole('button', { name: 'Install' }).click());
    await waitFor(() => expect(useWizard.getState().plan).not.toBeNull());
    await waitFor(() => expect(useWizard.getState().busy).toBe(false));
    // Asked after the undo, on the same step.
    expect(useWizard.getState().readAt).toBe(useHealth.getState().changes);
    expect(useWizard.getState().step).toBe('plan');
  });

  it('a first reading that fails is shown with Try again, not asked again in a loop', async () => {
    const s = scriptedApi({
      info: () => ({ ok: true, value: { machine: { kind: 'sandbox', label: 'sandbox /tmp/x', root: '/tmp/x' }, entry: 'install', platform: 'linux', version: '1.0.0', elevated: true, needsElevation: false, bundled: null, bundledError: null, systemActions: false } }),
      status: () => ({ ok: false, error: { code: 'io-error', title: 'Could not read', message: 'EIO', remedy: 'Check the disk.' } }),
    });
    installApi(s.api);
    await act(() => useApp.getState().load());
    render(<App />);
    const asked = () => s.calls.filter((c) => c.channel === 'status').length;
    const settle = () => act(() => new Promise((done) => setTimeout(done, 200)));
    await screen.findByText('EIO');
    await settle();
    const first = asked();
    await settle();
    expect(asked()).toBe(first);
    await clickButton('Try again');
    await waitFor(() => expect(asked()).toBe(first + 1));
    await settle();
    expect(asked()).toBe(first + 1);
  });
});
