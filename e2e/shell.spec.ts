/** The app shell: elevation screen, sandbox badge and switching, and the e2e host's own safety. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initSandbox } from '../src/main/engine/sandbox/presets';
import { expect, screenHeading, test } from './fixtures';
import { startHost } from '../src/main/browser-host/host';

test('not elevated on Windows: the Restart as administrator screen', async ({ page, openApp }) => {
  // The sandbox is never "Windows": make info() say so, to show the screen the Windows app shows.
  await page.route('**/api/info', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { ok: boolean; value: Record<string, unknown> };
    body.value = { ...body.value, elevated: false, needsElevation: true };
    await route.fulfill({ response, json: body });
  });
  const app = await openApp({ preset: 'installed' });
  await expect(screenHeading(page)).toHaveText('Administrator rights are needed');
  await expect(screenHeading(page)).toBeFocused();
  await expect(page.getByRole('navigation', { name: 'Sections' })).toHaveCount(0);
  await app.shot('shell-01-elevation');
  await page.getByRole('button', { name: 'Restart as administrator' }).click();
  await expect(page.getByRole('status')).toHaveText('This system cannot restart the app as administrator. Start it as administrator yourself.');
  await page.getByRole('button', { name: 'Continue without administrator rights' }).click();
  await expect(screenHeading(page)).toHaveText('Update 5.15.153.1 → 6.6.36.6');
});

test('choose another sandbox in the page: the host checks the folder', async ({ openApp }) => {
  const app = await openApp({ preset: 'fresh' });
  const { page } = app;
  await expect(page.locator('dd[data-slot="in-use"]')).toHaveText('none: WSL cannot start Linux');
  const other = join(app.dir, '..', 'other');
  await initSandbox(other, 'installed');
  await page.getByRole('button', { name: 'Choose another sandbox…' }).click();
  await page.getByLabel('Sandbox folder').fill(other);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('sandbox-badge')).toContainText(other);
  await expect(page.locator('dd[data-slot="in-use"]')).toHaveText('kernel 5.15.153.1');
  expect(app.host.machineDir()).toBe(other);
  await app.shot('shell-02-other-sandbox');

  // A folder that is not a sandbox is refused, and the app stays on the current one.
  const notSandbox = join(app.dir, '..', 'documents');
  await mkdir(notSandbox);
  await writeFile(join(notSandbox, 'notes.txt'), 'my files');
  await page.getByRole('button', { name: 'Choose another sandbox…' }).click();
  await page.getByLabel('Sandbox folder').fill(notSandbox);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('sandbox-badge')).toContainText('is not a sandbox (it has no machine.reg)');
  expect(app.host.machineDir()).toBe(other);
});

test('the sandbox bar stays on one line at 800 px with a long path, and there is a favicon', async ({ page, openApp }) => {
  await page.setViewportSize({ width: 800, height: 600 });
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(r.url());
  });
  const app = await openApp({ preset: 'installed', prepare: async () => undefined });
  const bar = page.getByTestId('sandbox-badge');
  const box = await bar.boundingBox();
  expect(box!.height).toBeLessThan(45);
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', './favicon.svg');
  const icon = await page.evaluate(async () => (await fetch('./favicon.svg')).status);
  expect(icon).toBe(200);
  expect(failed).toEqual([]);
  await app.shot('shell-03-800-sandbox-bar');
});

test('a picked file that is not a kernel is explained on Welcome', async ({ openApp }) => {
  const app = await openApp({ preset: 'fresh' });
  const bogus = join(app.dir, '..', 'kernel-notes.txt');
  await writeFile(bogus, 'this is not a kernel');
  await app.chooseFile('payload', bogus);
  await expect(app.page.locator('[data-code="not-a-kernel"]')).toContainText('This file is not a Linux kernel');
  await expect(app.page.getByTestId('footer-bar').getByRole('button', { name: 'Next' })).toBeDisabled();
  await app.shot('install-09-picked-not-a-kernel');
  await app.page.getByRole('button', { name: 'Use the kernel that comes with this app' }).click();
  await expect(app.page.getByTestId('payload')).toContainText('Comes with this app');
});

test('the browser host picker: a kernel chosen in the page is uploaded and installed', async ({ openApp }) => {
  const app = await openApp({ preset: 'installed' });
  const { page } = app;
  await app.chooseFile('payload', await app.kernelFile('6.9.1.1'));
  await expect(page.getByTestId('payload')).toContainText('The file you chose: kernel-6.9.1.1');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Update 5.15.153.1 → 6.9.1.1');
  await page.getByTestId('footer-bar').getByRole('button', { name: 'Next' }).click();
  await page.getByTestId('footer-bar').getByRole('button', { name: 'Next' }).click();
  await page.getByTestId('footer-bar').getByRole('button', { name: 'Update now' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Kernel 6.9.1.1 is installed');
  expect((await app.status()).kernel).toMatchObject({ present: true, version: '6.9.1.1' });
  // Nothing reached the page's own dialogs queue by hand: the upload answered the picker.
  expect(app.host.dialogs.opened).toEqual(['payload']);
});

test('the host refuses requests without its token, from other hosts and origins', async ({ openApp }) => {
  const app = await openApp({ preset: 'fresh' });
  const { origin, token } = app.host;
  const post = (headers: Record<string, string>) =>
    fetch(`${origin}/api/status`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  expect((await post({})).status).toBe(403);
  expect((await post({ 'x-wslk-token': 'f'.repeat(64) })).status).toBe(403);
  expect((await post({ 'x-wslk-token': token, origin: 'http://evil.example' })).status).toBe(403);
  expect((await post({ 'x-wslk-token': token })).status).toBe(200);
  expect((await fetch(`${origin}/`)).status).toBe(403);
  expect((await fetch(`${origin}/?token=${'0'.repeat(64)}`)).status).toBe(403);
  expect((await fetch(`${origin}/test/dialog`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"payload","path":"/etc/passwd"}' })).status).toBe(403);
  const wrongHost = await new Promise<number>((ok, fail) => {
    const req = request(`${origin}/api/status`, { method: 'POST', headers: { host: 'evil.example', 'x-wslk-token': token, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end('{}');
  });
  expect(wrongHost).toBe(421);
});

test('the host refuses to start on a folder that is not a sandbox', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wslk-e2e-not-sandbox-'));
  try {
    await expect(startHost({ machineDir: dir, payloadDirs: [] })).rejects.toThrow('is not a sandbox folder');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
