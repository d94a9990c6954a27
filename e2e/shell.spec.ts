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
  await expect(screenHeading(page)).toHaveText('Install the WSL 2 Linux kernel');
});

test('choose another sandbox', async ({ openApp }) => {
  const app = await openApp({ preset: 'fresh' });
  const { page } = app;
  await expect(page.locator('dd[data-slot="kernel"]')).toHaveText('none');
  const other = join(app.dir, '..', 'other');
  await initSandbox(other, 'installed');
  await app.answerDialog('folder', other);
  await page.getByRole('button', { name: 'Choose another sandbox…' }).click();
  await expect(page.getByTestId('sandbox-badge')).toContainText(other);
  await expect(page.locator('dd[data-slot="kernel"]')).toHaveText('5.15.153.1');
  expect(app.host.machineDir()).toBe(other);
  await app.shot('shell-02-other-sandbox');

  // A folder that is not a sandbox is refused, and the app stays on the current one.
  const notSandbox = join(app.dir, '..', 'documents');
  await mkdir(notSandbox);
  await writeFile(join(notSandbox, 'notes.txt'), 'my files');
  await app.answerDialog('folder', notSandbox);
  await page.getByRole('button', { name: 'Choose another sandbox…' }).click();
  await expect(page.getByTestId('sandbox-badge').getByRole('alert')).toContainText('is not a sandbox folder (it has no machine.reg)');
  expect(app.host.machineDir()).toBe(other);
});

test('a picked file that is not a kernel is explained on Welcome', async ({ openApp }) => {
  const app = await openApp({ preset: 'fresh' });
  const bogus = join(app.dir, '..', 'kernel-notes.txt');
  await writeFile(bogus, 'this is not a kernel');
  await app.answerDialog('payload', bogus);
  await app.page.getByRole('button', { name: 'Choose another kernel file…' }).click();
  await expect(app.page.locator('[data-code="not-a-kernel"]')).toContainText('This file is not a Linux kernel');
  await app.shot('install-09-picked-not-a-kernel');
  await app.page.getByRole('button', { name: 'Use the bundled kernel' }).click();
  await expect(app.page.getByTestId('payload')).toContainText('Bundled with this app');
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
    await expect(startHost({ machineDir: dir, payloadDirs: [] })).rejects.toThrow('is not a sandbox folder (it has no machine.reg)');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
