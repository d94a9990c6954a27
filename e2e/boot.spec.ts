/**
 * The boot check in the UI (docs/design.md §10) on real sandboxes: the check after the WSL restart
 * on the install wizard's last screen, the one-click fallback when the new kernel does not boot,
 * and every outcome from settings' "Check now".
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_VERSION, editMachineJson, expect, screenHeading, test } from './fixtures';

const footer = (page: Page, name: string) => page.getByTestId('footer-bar').getByRole('button', { name, exact: true });

async function installBundled(page: Page): Promise<void> {
  await footer(page, 'Next').click();
  await expect(screenHeading(page)).toHaveText('This computer is ready');
  await footer(page, 'Next').click();
  await page.getByTestId('footer-bar').getByRole('button', { name: /^(Install|Update) now$/ }).click();
  await expect(screenHeading(page)).toHaveText(`Kernel ${DEMO_VERSION} is installed`);
}

test('the new kernel does not boot: one click rolls back, restarts WSL and checks the previous kernel', async ({ openApp }) => {
  const app = await openApp({ preset: 'fails-to-boot' });
  const { page } = app;
  await installBundled(page);
  await page.getByRole('region', { name: 'Restart WSL to use it' }).getByRole('button', { name: 'Restart WSL now' }).click();
  const failed = page.locator('[data-boot="boot-failed"]');
  await expect(failed).toContainText('The kernel did not boot');
  await expect(failed).toContainText('HCS_E_CONNECTION_TIMEOUT');
  await expect(screenHeading(page)).toHaveText(`Kernel ${DEMO_VERSION} did not boot`);
  await app.shot('boot-01-failed-to-boot');

  await page.getByRole('button', { name: 'Roll back to 5.15.153.1' }).click();
  const after = page.locator('[data-boot="booted"]');
  await expect(after).toContainText('WSL runs kernel 5.15.153.1-wslk-demo');
  await expect(page.locator('dd[data-slot="in-use"]')).toHaveText('kernel 5.15.153.1');
  await expect(screenHeading(page)).toHaveText('Back on kernel 5.15.153.1');
  await expect(page.getByRole('button', { name: /^Roll back to/ })).toHaveCount(0);
  await app.shot('boot-02-rolled-back-booted');

  // Settings marks both kernels: the one that failed and the known good one.
  await page.getByRole('button', { name: 'Open settings' }).click();
  await expect(page.locator('[data-slot="kernel"] [data-boot-fact="failed"]')).toContainText('Failed to boot on');
  await expect(page.locator('[data-slot="kernel.rollback"] [data-boot-fact="booted"]')).toContainText('Known good: booted on');
  await app.shot('boot-03-settings-failed-and-known-good');

  const status = await app.status();
  expect(status).toMatchObject({ rollbackActive: true, effective: 'kernel.rollback', badVersions: [DEMO_VERSION] });
  expect((await app.machineJson()).wsl).toMatchObject({ running: ['Ubuntu'], shutdowns: 2 });
});

test('settings: "Start WSL and check" marks the kernel known good', async ({ openApp }) => {
  const app = await openApp({ preset: 'fails-to-boot', entry: 'settings' });
  const { page } = app;
  await page.getByRole('button', { name: 'Start WSL and check' }).click();
  await expect(page.locator('[data-boot="booted"]')).toContainText('WSL runs kernel 5.15.153.1-wslk-demo');
  await expect(page.locator('[data-slot="kernel"] [data-boot-fact="booted"]')).toContainText('Known good: booted on');
  await app.shot('boot-03b-settings-known-good');
});

test('settings: not restarted, other kernel and no distribution, each with what to do', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed', entry: 'settings' });
  const { page } = app;
  // WSL runs an older kernel than the one it would boot now: it was not restarted.
  await editMachineJson(app.dir, (j) => {
    (j.wsl as Record<string, unknown>).runningRelease = '5.10.102.1-wslk-demo';
  });
  await page.getByRole('button', { name: 'Start WSL and check' }).click();
  await expect(page.locator('[data-boot="not-restarted"]')).toContainText('WSL still runs kernel 5.10.102.1-wslk-demo');
  await expect(page.locator('[data-boot="not-restarted"]')).toContainText('wsl --shutdown');
  await app.shot('boot-04-not-restarted');

  // Nothing installed to start.
  await editMachineJson(app.dir, (j) => {
    j.wsl = { running: [], distributions: [], shutdowns: 0 };
  });
  await page.getByRole('button', { name: 'Start WSL and check' }).click();
  await expect(page.locator('[data-boot="no-distribution"]')).toContainText('wsl --install');
  await app.shot('boot-05-no-distribution');
});

test('settings: WSL starts another kernel than the one the tool manages (store WSL, policy)', async ({ openApp }) => {
  const app = await openApp({
    preset: 'store-policy-blocked',
    entry: 'settings',
    prepare: async (dir) => {
      // The tool's kernel is in its store slot; the policy makes WSL ignore the .wslconfig naming it.
      const { openMachine } = await import('../src/main/engine/open-machine');
      const engine = await openMachine({ dir, payloadDirs: [] });
      const r = await engine.install({ takeOver: true });
      if (!r.ok) throw new Error(r.message);
      const path = join(dir, 'machine.json');
      const json = JSON.parse(await readFile(path, 'utf8'));
      json.wsl = { running: [], distributions: ['Ubuntu'], shutdowns: 0 };
      await writeFile(path, JSON.stringify(json));
    },
  });
  const { page } = app;
  await page.getByRole('button', { name: 'Start WSL and check' }).click();
  await expect(page.locator('[data-boot="other-kernel"]')).toContainText('WSL started kernel 6.6.36.3-wslk-demo');
  await app.shot('boot-06-other-kernel');
});
