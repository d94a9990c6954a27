// @vitest-environment happy-dom
/** The repair wizard's pasted-error box: what it sends, the order it shows, the fix it picks first. */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/renderer/src/app';
import { useApp } from '../../src/renderer/src/stores/app-store';
import { matchedFirst } from '../../src/renderer/src/stores/repair-store';
import type { AppInfo } from '../../src/shared/ipc';
import type { CommandResult, Finding, PastedErrorReport } from '../../src/shared/types';
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
  { id: 'temp-files-left', severity: 'error', observed: 'temps', cause: 'A crash.', fixes: [{ id: 'clean-temps', title: 'Delete the leftover files' }] },
  { id: 'kernel-missing', severity: 'error', observed: 'kernel does not exist', cause: 'Deleted.', fixes: [{ id: 'restore-rollback', title: 'Copy kernel.rollback to kernel' }] },
];

const report = (extra: Partial<PastedErrorReport>): PastedErrorReport => ({
  recognised: true,
  kind: 'kernel-component-missing',
  code: '0x800701bc',
  codes: ['0x800701bc'],
  errorPath: null,
  by: 'code',
  meaning: 'Inbox WSL found no kernel.',
  aboutKernel: true,
  onThisMachine: 'kernel does not exist',
  nextStep: 'Copy kernel.rollback to kernel',
  findings: ['kernel-missing'],
  ...extra,
});

const result = (pastedError: PastedErrorReport, list = findings): CommandResult => ({ ok: true, code: null, message: '', exitCode: 0, status: null, findings: list, pastedError });

beforeEach(() => resetStores());
afterEach(() => {
  cleanup();
  installApi(undefined);
});

async function lookUp(answer: CommandResult, text: string) {
  const s = scriptedApi({ info: () => ({ ok: true, value: info }), diagnose: () => ({ ok: true, value: answer }) });
  installApi(s.api);
  await act(() => useApp.getState().load());
  render(<App />);
  const box = screen.getByRole('textbox', { name: 'Paste the error message WSL showed' });
  expect((screen.getByRole('button', { name: 'Look up this error' }) as HTMLButtonElement).disabled).toBe(true);
  fireEvent.change(box, { target: { value: text } });
  await clickButton('Look up this error');
  return s;
}

describe('paste the error', () => {
  it('sends the text, shows the matching finding first, and picks its fix', async () => {
    const s = await lookUp(result(report({})), 'Error: 0x800701bc');
    expect(s.calls.find((c) => c.channel === 'diagnose')?.request).toEqual({ error: 'Error: 0x800701bc' });
    await screen.findByRole('region', { name: 'What your error means' });
    const cards = [...document.querySelectorAll('[data-finding]')].map((e) => e.getAttribute('data-finding'));
    expect(cards).toEqual(['kernel-missing', 'temp-files-left']);
    expect(document.querySelector('[data-finding="kernel-missing"]')?.textContent).toContain('Matches your error');
    expect(document.querySelector('[data-finding="temp-files-left"]')?.textContent).not.toContain('Matches your error');
    expect((screen.getByRole('radio', { name: /Copy kernel.rollback to kernel/ }) as HTMLInputElement).checked).toBe(true);
  });

  it('not about the kernel: the heading says so and the next step is shown', async () => {
    await lookUp(result(report({ kind: 'virtualization-off', aboutKernel: false, findings: [], nextStep: 'Run bcdedit /set hypervisorlaunchtype auto' }), []), 'HCS_E_HYPERV_NOT_INSTALLED');
    await screen.findByRole('heading', { level: 2, name: 'Not a kernel problem' });
    expect(screen.getByRole('region', { name: 'This error is not about the kernel' }).textContent).toContain('bcdedit /set hypervisorlaunchtype auto');
  });

  it('matchedFirst keeps the engine order of everything else', () => {
    const r = matchedFirst(result(report({ findings: ['kernel-missing'] })));
    expect(r.findings?.map((f) => f.id)).toEqual(['kernel-missing', 'temp-files-left']);
    expect(matchedFirst(result(report({ findings: [] }))).findings?.map((f) => f.id)).toEqual(['temp-files-left', 'kernel-missing']);
  });
});
