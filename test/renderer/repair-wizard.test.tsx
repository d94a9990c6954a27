// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/app';
import { findingTitle } from '../../src/renderer/src/screens/repair/finding-card';
import { call } from '../../src/renderer/src/api';
import { useApp } from '../../src/renderer/src/stores/app-store';
import { firstToolFix } from '../../src/renderer/src/stores/repair-store';
import type { AppInfo } from '../../src/shared/ipc';
import type { CommandResult, Finding } from '../../src/shared/types';
import { clickButton, installApi, resetStores, scriptedApi } from '../helpers/renderer';

const info: AppInfo = {
  machine: { kind: 'sandbox', label: 'sandbox /tmp/x', root: '/tmp/x' },
  entry: 'repair',
  platform: 'linux',
  version: '1.0.0',
  elevated: true,
  needsElevation: false,
  bundled: null,
  bundledError: null,
  systemActions: false,
};

const findings: Finding[] = [
  {
    id: 'vm-platform-missing',
    severity: 'error',
    observed: 'vmcompute is missing',
    cause: 'The feature is off.',
    fixes: [{ id: 'manual-enable-vm-platform', title: 'Enable Virtual Machine Platform', manual: true, steps: ['Open a terminal as administrator.', 'Run: dism.exe /online'] }],
  },
  {
    id: 'kernel-missing',
    severity: 'error',
    observed: 'kernel does not exist',
    cause: 'Deleted.',
    fixes: [
      { id: 'restore-rollback', title: 'Copy kernel.rollback to kernel' },
      { id: 'install-from-msi', title: 'Extract the kernel from an MSI' },
    ],
  },
];

function result(extra: Partial<CommandResult>): CommandResult {
  return { ok: true, code: null, message: 'Found 2 problems.', exitCode: 0, status: null, ...extra };
}

beforeEach(() => resetStores());
afterEach(() => {
  cleanup();
  installApi(undefined);
});

async function start(repair: (request: unknown) => CommandResult) {
  const s = scriptedApi({
    info: () => ({ ok: true, value: info }),
    diagnose: () => ({ ok: true, value: result({ findings }) }),
    repair: (req) => ({ ok: true, value: repair(req) }),
    pickMsi: () => ({ ok: true, value: { id: 'a'.repeat(32), name: 'wsl_update_x64.msi' } }),
  });
  installApi(s.api);
  await act(() => useApp.getState().load());
  render(<App />);
  await clickButton('Find problems');
  await screen.findByRole('heading', { level: 2, name: '2 problems found' });
  return s;
}

describe('repair wizard', () => {
  it('shown again after another screen changed the machine: the findings are looked for again before they are shown', async () => {
    let fixed = false;
    const s = scriptedApi({
      info: () => ({ ok: true, value: info }),
      diagnose: () => ({ ok: true, value: fixed ? result({ message: 'Found 1 problem.', findings: findings.slice(0, 1) }) : result({ findings }) }),
      useDefault: () => {
        fixed = true;
        return { ok: true, value: result({ message: 'done' }) };
      },
    });
    installApi(s.api);
    await act(() => useApp.getState().load());
    render(<App />);
    await clickButton('Find problems');
    await screen.findByRole('heading', { level: 2, name: '2 problems found' });
    await clickButton('Install');
    // A change made elsewhere (any changing command goes through api.call).
    await act(async () => void (await call('useDefault', {})));
    await act(async () => screen.getByRole('button', { name: 'Repair' }).click());
    // Not one frame of the old findings: the wizard is back at Diagnose while it looks again.
    expect(screen.queryByRole('heading', { level: 2, name: '2 problems found' })).toBeNull();
    await screen.findByRole('heading', { level: 2, name: '1 problem found' });
    expect(s.calls.filter((c) => c.channel === 'diagnose')).toHaveLength(2);
    expect(screen.queryByRole('heading', { name: /The kernel is missing/ })).toBeNull();
  });

  it('lists findings with the recommended fix first and manual steps as steps', async () => {
    await start(() => result({}));
    const manual = document.querySelector('[data-fix="manual-enable-vm-platform"]');
    expect(manual?.textContent).toContain('dism.exe');
    // The steps stay under their disclosure, the command to copy is shown first.
    expect(manual?.querySelector('.details-text')?.textContent?.split('\n')).toHaveLength(2);
    const restore = screen.getByRole('radio', { name: /Copy kernel.rollback to kernel/ }) as HTMLInputElement;
    expect(restore.checked).toBe(true);
    expect(restore.closest('label')?.textContent).toContain('Recommended');
    expect(screen.getByRole('heading', { name: /The kernel is missing/ })).toBeTruthy();
  });

  it('applies the chosen fix and shows what was done and what remains', async () => {
    const s = await start(() =>
      result({ message: 'Repaired.', applied: ['restore-rollback'], findings: findings.slice(0, 1), restartNeeded: true, running: ['Ubuntu'] }),
    );
    await clickButton('Apply the fix');
    await screen.findByRole('heading', { level: 2, name: 'Some problems remain' });
    expect(s.calls.find((c) => c.channel === 'repair')?.request).toEqual({ fix: 'restore-rollback' });
    expect(screen.getByRole('region', { name: 'What was done' }).textContent).toContain('Copy kernel.rollback to kernel');
    expect(screen.getByRole('list', { name: 'Remaining problems' }).textContent).toContain('Virtual Machine Platform is turned off');
    expect(screen.getByRole('button', { name: 'Restart WSL now' })).toBeTruthy();
  });

  it('asks for the installer package before applying the MSI fix, then sends its id', async () => {
    const s = await start(() => result({ message: 'Installed from the package.', applied: ['install-from-msi'], findings: [] }));
    fireEvent.click(screen.getByRole('radio', { name: /Extract the kernel from an MSI/ }));
    const apply = screen.getByRole('button', { name: 'Apply the fix' }) as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    await clickButton('Choose the update package…');
    await screen.findByText('wsl_update_x64.msi');
    await waitFor(() => expect(apply.disabled).toBe(false));
    fireEvent.click(apply);
    await screen.findByRole('heading', { level: 2, name: 'Repaired' });
    expect(s.calls.find((c) => c.channel === 'repair')?.request).toEqual({ fix: 'install-from-msi', msiId: 'a'.repeat(32) });
  });

  it('shows a refused repair as the engine explained it', async () => {
    await start(() => ({ ...result({}), ok: false, code: 'fix-not-applicable', message: 'The fix restore-rollback does not apply now.', exitCode: 1603 }));
    await clickButton('Apply the fix');
    await screen.findByRole('heading', { level: 2, name: 'The repair did not complete' });
    expect(screen.getByText('This fix does not apply now')).toBeTruthy();
    expect(screen.getByText('The fix restore-rollback does not apply now.')).toBeTruthy();
  });
});

describe('repair helpers', () => {
  it('chooses the first fix the tool applies, skipping manual ones', () => {
    expect(firstToolFix(result({ findings }))).toBe('restore-rollback');
    expect(firstToolFix(result({ findings: findings.slice(0, 1) }))).toBeNull();
    expect(firstToolFix(null)).toBeNull();
  });

  it('turns a finding id into a heading', () => {
    expect(findingTitle('kernel-missing')).toBe('The kernel is missing');
    expect(findingTitle('something-new')).toBe('Something new');
  });
});
