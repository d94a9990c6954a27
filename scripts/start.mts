// `npm start [-- --settings | --repair] [--machine DIR] [--browser] [--dry-run]`
//
// With Electron's binary installed (and a display to show it on), runs the app in development
// (`electron-vite dev`); off Windows and in development the app works on the default sandbox.
// Without it, says why and opens the same UI in the browser instead: the browser host
// (src/main/browser-host/serve.ts) serves the built renderer against the default sandbox (created
// from the `fresh` preset on first use) and prints the address to open.
// --browser forces the browser host; --dry-run prints the plan as JSON and starts nothing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/**
 * Where Electron's binary is, or why it is not usable. Reads node_modules/electron/path.txt
 * directly: `require('electron')` would try to download the binary when it is missing.
 */
type Env = Record<string, string | undefined>;

function electronBinary(env: Env): { path: string | null; reason: string | null } {
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: "Electron's binary is not installed here (the electron package is missing)" };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = join(env.ELECTRON_OVERRIDE_DIST_PATH, name || (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(exe) ? { path: exe, reason: null } : { path: null, reason: `Electron's binary is not installed here (${exe}, from ELECTRON_OVERRIDE_DIST_PATH, does not exist)` };
  }
  if (!name) return { path: null, reason: `Electron's binary is not installed here (${pathFile} is missing: its download was skipped or failed)` };
  const exe = join(pkgDir, 'dist', name);
  return existsSync(exe) ? { path: exe, reason: null } : { path: null, reason: `Electron's binary is not installed here (${exe} does not exist)` };
}

/** Why Electron cannot show a window here, if it cannot (no display on Linux). */
function displayProblem(env: Env, platform: string): string | null {
  if (platform !== 'linux') return null;
  return env.DISPLAY || env.WAYLAND_DISPLAY ? null : 'Electron has no display to open a window on here (DISPLAY and WAYLAND_DISPLAY are not set)';
}

/** The arguments passed through to the app or the host. */
function appArgs(argv: string[]): { entry: string; machine: string | null } {
  let entry = 'install';
  let machine: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--settings') entry = 'settings';
    else if (argv[i] === '--repair') entry = 'repair';
    else if (argv[i] === '--machine' && argv[i + 1]) machine = argv[++i]!;
    else if (argv[i]!.startsWith('--machine=')) machine = argv[i]!.slice('--machine='.length);
  }
  return { entry, machine };
}

/** What `npm start` will run, and why. */
export function startPlan(argv: string[], env: Env = process.env, platform: string = process.platform) {
  const { entry, machine } = appArgs(argv);
  const binary = electronBinary(env);
  const reason = argv.includes('--browser') ? 'The browser was asked for (--browser)' : (binary.reason ?? displayProblem(env, platform));
  if (!reason) {
    const passed = [...(entry === 'install' ? [] : [`--${entry}`]), ...(machine ? ['--machine', machine] : [])];
    return {
      mode: 'electron',
      electron: binary.path,
      command: process.execPath,
      args: [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'dev', ...(passed.length ? ['--', ...passed] : [])],
    };
  }
  return {
    mode: 'browser',
    reason,
    command: process.execPath,
    args: ['--import', 'tsx', join(root, 'src', 'main', 'browser-host', 'serve.ts'), '--entry', entry, ...(machine ? ['--machine', machine] : [])],
  };
}

function main(argv: string[]): void {
  const plan = startPlan(argv);
  if (argv.includes('--dry-run')) {
    process.stdout.write(JSON.stringify(plan) + '\n');
    return;
  }
  if (plan.mode === 'browser') {
    process.stderr.write(`${plan.reason}; opening the wizard in your browser instead.\n`);
    process.stderr.write('The address to open is printed below once the page is served.\n');
  }
  const child = spawn(plan.command, plan.args, { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
