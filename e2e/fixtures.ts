/**
 * Playwright fixtures: a fresh sandbox per test (from a preset), the e2e host on it, the page
 * opened with the host's token, and helpers to check the machine through the real engine, answer
 * dialogs, and record each screen (screenshot + axe-core).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { Engine } from '../src/main/engine/engine';
import { demoRelease, writeBzImage } from '../src/main/engine/sandbox/kernel-builder';
import { initSandbox } from '../src/main/engine/sandbox/presets';
import { openSandbox } from '../src/main/engine/sandbox/sandbox-machine';
import type { EntryScreen } from '../src/shared/ipc';
import type { MachineStatus } from '../src/shared/types';
import { nodeFs } from '../src/main/engine/machine/fs-port';
import { startHost } from '../src/main/browser-host/host';
import { ReadGate } from './read-gate';
import type { Host } from '../src/main/browser-host/host';
import type { DialogKind } from '../src/main/browser-host/queued-dialogs';

export { expect };

export const SCREENSHOTS = join(__dirname, 'screenshots');
/** The demo payload the sandbox generates (src/main/engine/open-machine.ts). */
export const DEMO_VERSION = '6.6.36.6';

export interface OpenOptions {
  preset: string;
  entry?: EntryScreen;
  /** Change the sandbox before the host starts (edit machine.json, delete a kernel, …). */
  prepare?: (dir: string) => Promise<void>;
  /** Hold reads of files under the test's scratch folder (picked kernels) when asked: app.gate. */
  gated?: boolean;
}

export interface AppHandle {
  page: Page;
  host: Host;
  /** The sandbox machine folder. */
  dir: string;
  /** The machine as the engine reads it now. */
  status(): Promise<MachineStatus>;
  machineJson(): Promise<{ elevated?: boolean; wsl?: { running?: string[]; shutdowns?: number } }>;
  /** Tell the host (through its token-protected test endpoint) what the next dialog of this kind returns. */
  answerDialog(kind: DialogKind, path: string | null): Promise<void>;
  /** A kernel file of this version, in the test's scratch folder. */
  kernelFile(version: string, sizeMiB?: number): Promise<string>;
  /** Holds reads of picked kernel files (with `gated`), to stop an install mid-copy. */
  gate: ReadGate;
  /** Choose a file with the page's own picker (the browser host uploads it), as a user would. */
  chooseFile(kind: 'payload' | 'msi', path: string): Promise<void>;
  /** Save a screenshot of the screen and check it with axe-core (no serious or critical violation). */
  shot(name: string): Promise<void>;
}

export async function editMachineJson(dir: string, edit: (json: Record<string, unknown>) => void): Promise<void> {
  const path = join(dir, 'machine.json');
  const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  edit(json);
  await writeFile(path, JSON.stringify(json, null, 2) + '\n');
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** Run axe on the page, save its findings for the report, and fail on serious or critical ones. */
export async function checkAccessibility(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).options({ resultTypes: ['violations'] }).analyze();
  const violations = results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  await mkdir(join(SCREENSHOTS, 'axe'), { recursive: true });
  await writeFile(join(SCREENSHOTS, 'axe', `${name}.json`), JSON.stringify({ screen: name, passes: results.passes.length, violations }, null, 2));
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(blocking, `axe: serious or critical violations on ${name}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
}

export const test = base.extend<{ openApp: (opts: OpenOptions) => Promise<AppHandle> }>({
  openApp: async ({ page }, use) => {
    const hosts: Host[] = [];
    const scratch: string[] = [];
    const gates: ReadGate[] = [];
    await use(async (opts) => {
      const started = Date.now();
      const work = await mkdtemp(join(tmpdir(), 'wslk-e2e-'));
      scratch.push(work);
      const dir = join(work, 'machine');
      await initSandbox(dir, opts.preset);
      await opts.prepare?.(dir);
      // payloadDirs []: the sandbox's generated demo kernel is the bundled payload, whatever assets/ holds.
      // Kernel files of the test: made in its scratch folder, or uploaded into the host's work folder.
      const gate = new ReadGate((path) => path.startsWith(join(work, 'kernel-')) || /wslk-host-uploads-[^/\\]+[/\\][0-9a-f]+[/\\]kernel-/.test(path));
      gates.push(gate);
      const host = await startHost({
        machineDir: dir,
        entry: opts.entry ?? 'install',
        payloadDirs: [],
        version: '0.1.0-e2e',
        ...(opts.gated ? { fs: gate.wrap(nodeFs) } : {}),
        log: (line) => console.error(`[host] ${line}`),
      });
      hosts.push(host);
      if (process.env.WSLK_E2E_TIMING) console.log(`host up ${Date.now() - started} ms`);
      await page.goto(host.url);
      await expect(page.getByRole('heading', { level: 1, name: 'WSL Kernel Setup' })).toBeVisible();
      await expect(page.getByTestId('sandbox-badge')).toContainText(dir);
      if (process.env.WSLK_E2E_TIMING) console.log(`page ready ${Date.now() - started} ms`);
      return {
        page,
        host,
        dir,
        gate,
        status: async () => new Engine(await openSandbox(host.machineDir())).readStatus(),
        machineJson: async () => JSON.parse(await readFile(join(host.machineDir(), 'machine.json'), 'utf8')),
        answerDialog: async (kind, path) => {
          const res = await fetch(`${host.origin}/test/dialog`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-wslk-token': host.token },
            body: JSON.stringify({ kind, path }),
          });
          expect(res.status).toBe(204);
        },
        chooseFile: async (kind, path) => {
          const chooser = page.waitForEvent('filechooser');
          await page
            .getByRole('button', { name: kind === 'payload' ? 'Choose another kernel file…' : /Choose (the update|another) package…/ })
            .first()
            .click();
          await (await chooser).setFiles(path);
        },
        kernelFile: async (version, sizeMiB = 2) => {
          const path = join(work, `kernel-${version}`);
          await writeBzImage(path, { release: demoRelease(version), size: sizeMiB * 1024 * 1024 });
          return path;
        },
        shot: async (name) => {
          const t0 = Date.now();
          await screenshot(page, name);
          const t1 = Date.now();
          await checkAccessibility(page, name);
          if (process.env.WSLK_E2E_TIMING) console.log(`${name}: screenshot ${t1 - t0} ms, axe ${Date.now() - t1} ms`);
        },
      };
    });
    // Let any held operation finish before the host and its folder go away.
    for (const gate of gates) gate.release();
    for (const host of hosts) await host.close();
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  },
});

/** The h2 of the current screen. */
export function screenHeading(page: Page) {
  return page.getByRole('heading', { level: 2 });
}
