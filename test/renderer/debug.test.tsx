// @vitest-environment happy-dom
import { act, render, screen, fireEvent } from '@testing-library/react';
import { it } from 'vitest';
import { App } from '../../src/renderer/src/app';
import { useApp } from '../../src/renderer/src/stores/app-store';
import { useWizard } from '../../src/renderer/src/stores/wizard-store';
import { installApi, realApi } from './helpers';

it('debug', async () => {
  const r = await realApi('fresh');
  installApi(r.api);
  await act(() => useApp.getState().load());
  render(<App />);
  await screen.findByText('Bundled with this app');
  fireEvent.click(screen.getByRole('button', { name: 'Next: check this computer' }));
  await new Promise((ok) => setTimeout(ok, 3000));
  console.log(JSON.stringify(useWizard.getState().error), useWizard.getState().step, JSON.stringify(useWizard.getState().precheck)?.slice(0, 300));
  console.log(r.calls.map((c) => c.channel));
  console.log(document.querySelector('main')?.textContent?.slice(0, 500));
});
