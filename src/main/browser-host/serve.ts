/**
 * Open the app's UI in a browser against a sandbox, where Electron cannot run:
 *
 *   node --import tsx src/main/browser-host/serve.ts [--machine DIR] [--preset NAME] [--port N]
 *                                       [--entry install|settings|repair] [--rebuild]
 *
 * Without --machine it uses the default sandbox (created from the `fresh` preset on first use);
 * with --preset it creates DIR from that preset when DIR holds no machine yet. It builds the
 * renderer when out/renderer-web is missing (or with --rebuild), then prints the URL to open.
 * There are no native dialogs in a browser: queue the file a dialog returns with the
 * `POST /test/dialog` endpoint (the command is printed when a dialog is opened).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KernelSetupError } from '../../shared/errors';
import { defaultSandboxDir, isSandboxFolder } from '../engine';
import type { EntryScreen } from '../../shared/ipc';
import { RENDERER_DIR, REPO_ROOT, startHost } from './host';

const ENTRIES: EntryScreen[] = ['install', 'settings', 'repair'];

async function buildRenderer(): Promise<void> {
  process.stderr.write('Building the renderer (vite.renderer.config.ts)…\n');
  const { build } = await import('vite');
  await build({ configFile: join(REPO_ROOT, 'vite.renderer.config.ts'), logLevel: 'warn' });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      machine: { type: 'string' },
      preset: { type: 'string' },
      port: { type: 'string' },
      entry: { type: 'string' },
      rebuild: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('Usage: node --import tsx src/main/browser-host/serve.ts [--machine DIR] [--preset NAME] [--port N] [--entry install|settings|repair] [--rebuild]\n');
    return 0;
  }
  const entry = (values.entry ?? 'install') as EntryScreen;
  if (!ENTRIES.includes(entry)) throw new KernelSetupError('usage', `--entry must be one of ${ENTRIES.join(', ')}.`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new KernelSetupError('usage', '--port must be a port number.');

  const dir = resolve(values.machine ?? defaultSandboxDir());
  const preset = values.preset ?? (values.machine ? undefined : 'fresh');
  const existed = isSandboxFolder(dir);
  if (values.rebuild || !existsSync(join(RENDERER_DIR, 'index.html'))) await buildRenderer();

  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string };
  let host: Awaited<ReturnType<typeof startHost>> | null = null;
  host = await startHost({
    machineDir: dir,
    ...(preset ? { preset } : {}),
    entry,
    port,
    version: pkg.version ?? '0.0.0',
    log: (line) => {
      process.stderr.write(`${line}\n`);
      if (line.includes('dialog') && host) {
        process.stderr.write(
          `  To answer the next dialog: curl -H 'x-wslk-token: ${host.token}' -H 'content-type: application/json' ` +
            `-d '{"kind":"payload","path":"/path/to/kernel"}' ${host.origin}/test/dialog   (kind: payload, msi, save, folder)\n`,
        );
      }
    },
  });
  if (!existed) process.stderr.write(`Created sandbox ${dir} from preset "${preset}".\n`);
  process.stderr.write(`WSL Kernel Setup (browser host) on sandbox ${dir}\nOpen this address (it carries the access token); Ctrl+C stops the host:\n`);
  process.stdout.write(`${host.url}\n`);
  const stop = () => {
    void host?.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof KernelSetupError && err.code === 'usage' ? 2 : 1);
  },
);
