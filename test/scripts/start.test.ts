/**
 * `npm start` (scripts/start.mts): Electron in development where its binary is installed and can
 * show a window; otherwise the browser host, with the reason said. Checked through --dry-run.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/sandbox';

const run = promisify(execFile);

interface Plan {
  mode: 'electron' | 'browser';
  reason?: string;
  command: string;
  args: string[];
}

async function plan(args: string[], env: Record<string, string | undefined>): Promise<Plan> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) clean[k] = v;
  for (const k of Object.keys(env)) if (env[k] === undefined) delete clean[k];
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'start.mts'), '--dry-run', ...args], { cwd: ROOT, env: clean });
  return JSON.parse(stdout) as Plan;
}

let t: { dir: string; cleanup(): Promise<void> };
let dist: string;
beforeEach(async () => {
  t = await tempDir('wslk-start-');
  dist = join(t.dir, 'dist');
  await mkdir(dist);
  const exe = join(dist, process.platform === 'win32' ? 'electron.exe' : 'electron');
  await writeFile(exe, '');
  await chmod(exe, 0o755);
});
afterEach(async () => {
  await t.cleanup();
});

describe('npm start', () => {
  it('runs electron-vite dev, passing the entry screen, when the binary exists and there is a display', async () => {
    const p = await plan(['--repair', '--machine', '/tmp/sb'], { ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: ':99' });
    expect(p.mode).toBe('electron');
    expect(p.args.slice(1)).toEqual(['dev', '--', '--repair', '--machine', '/tmp/sb']);
    expect(p.args[0]).toMatch(/electron-vite[\\/]bin[\\/]electron-vite\.js$/);
  });

  it('opens the browser host on the default sandbox, saying why, when the binary is missing', async () => {
    const p = await plan(['--settings'], { ELECTRON_OVERRIDE_DIST_PATH: join(t.dir, 'nowhere'), DISPLAY: ':99' });
    expect(p.mode).toBe('browser');
    expect(p.reason).toMatch(/^Electron's binary is not installed here \(/);
    expect(p.args).toEqual(['--import', 'tsx', join(ROOT, 'src', 'main', 'browser-host', 'serve.ts'), '--entry', 'settings']);
  });

  it.skipIf(process.platform !== 'linux')('uses the browser when there is no display to show a window on', async () => {
    const p = await plan([], { ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: undefined, WAYLAND_DISPLAY: undefined });
    expect(p).toMatchObject({ mode: 'browser', reason: expect.stringContaining('no display') });
    expect(p.args.slice(-2)).toEqual(['--entry', 'install']);
  });

  it('uses the browser when asked, passing the sandbox folder', async () => {
    const p = await plan(['--browser', '--machine=/tmp/sb'], { ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: ':99' });
    expect(p).toMatchObject({ mode: 'browser', reason: expect.stringContaining('--browser') });
    expect(p.args.slice(-4)).toEqual(['--entry', 'install', '--machine', '/tmp/sb']);
  });
});
