/**
 * The browser host: serves the built renderer (out/renderer-web) on 127.0.0.1 and provides the same
 * `window.wslk` API as the Electron preload over a loopback channel, backed by the real engine on a
 * sandbox machine. Electron-free, so the real UI runs in a real browser where Electron cannot.
 *
 * Security (this is a local HTTP server that can change files):
 *   - bound to 127.0.0.1 only, and requests must name exactly that host (no DNS rebinding);
 *   - a random token per start: the printed URL carries it once, the host turns it into an
 *     HttpOnly SameSite=Strict cookie, and every other request must carry that cookie or the
 *     `x-wslk-token` header, else 403;
 *   - POSTs must be JSON from this origin; responses forbid other origins from embedding them;
 *   - it refuses to start, or to switch, on anything but a sandbox machine folder.
 *
 * The machine is opened with the engine's `openMachine`, the channels are the app's own handlers,
 * events go through the app's EventQueue and the page gets the app's CSP (docs/design.md §8).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { z } from 'zod';
import { KernelSetupError } from '../../shared/errors';
import type { AppEvent, EntryScreen } from '../../shared/ipc';
import { currentMachine } from '../app/current-machine';
import { EventQueue } from '../app/event-queue';
import { createHandlers, invokeChannel } from '../app/handlers';
import { CSP_BROWSER_HOST } from '../app/security';
import { openMachine, payloadDirs as bundledIn } from '../engine';
import type { Fs, OpenMachineOptions } from '../engine';
import { bridgeScript } from './bridge-bundle';
import { HostPicks } from './host-picks';
import { QueuedDialogs } from './queued-dialogs';
import type { DialogKind } from './queued-dialogs';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer-web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
const MAX_BODY = 64 * 1024;

export interface HostOptions {
  /** A sandbox machine folder (it must hold machine.reg, unless `preset` says how to create it); default: the default sandbox. */
  machineDir?: string | null;
  /** Create the sandbox from this preset when its folder is missing or empty. */
  preset?: string;
  entry?: EntryScreen;
  /** 0 (default) picks a free port. */
  port?: number;
  rendererDir?: string;
  /** Where the bundled payload is looked for; default the checkout's assets/payload. */
  payloadDirs?: string[];
  version?: string;
  /** The file-system port of the sandbox (tests pass a ReadGate's wrapper to pause an operation). */
  fs?: Fs;
  /** Diagnostics (unexpected errors, dialogs without a queued answer). */
  log?: (line: string) => void;
}

export interface Host {
  /** Open this once: it carries the token, sets the cookie and redirects to the app. */
  url: string;
  origin: string;
  token: string;
  port: number;
  dialogs: QueuedDialogs;
  /** The sandbox folder the app works on now. */
  machineDir(): string;
  close(): Promise<void>;
}

function sameSecret(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new KernelSetupError('usage', 'The request is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function answerJson(res: ServerResponse, answer: { ok: true } | { ok: false; message: string }): void {
  send(res, answer.ok ? 200 : 400, JSON.stringify(answer), 'application/json');
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const dialogRequest = z.object({ kind: z.enum(['payload', 'msi', 'save', 'folder']), path: z.string().min(1).max(4096).nullable() }).strict();

export async function startHost(opts: HostOptions): Promise<Host> {
  const rendererDir = resolve(opts.rendererDir ?? RENDERER_DIR);
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${rendererDir} has no index.html): run npx vite build -c vite.renderer.config.ts`);
  }
  const log = opts.log ?? (() => undefined);
  // Sandboxes only; recovery of an interrupted operation runs before the first screen, as in the app.
  const open: OpenMachineOptions = {
    windows: false,
    unmade: opts.preset ? 'create' : 'refuse',
    ...(opts.preset ? { preset: opts.preset } : {}),
    payloadDirs: opts.payloadDirs ?? bundledIn({ checkout: REPO_ROOT }),
    recover: true,
    onRecoveryError: (err) => log(`recovery failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    ...(opts.fs ? { fs: opts.fs } : {}),
  };
  const machine = currentMachine(await openMachine({ ...open, dir: opts.machineDir ?? null }), (dir) => openMachine({ ...open, dir, unmade: 'refuse' }));

  const token = randomBytes(32).toString('hex');
  const bridge = await bridgeScript();
  const dialogs = new QueuedDialogs((kind: DialogKind) => log(`The page opened a ${kind} dialog and no answer was queued: it was cancelled.`));
  // Events wait in the queue until a page listens on /api/events, as they wait for the renderer's
  // ready signal in Electron.
  const streams = new Set<ServerResponse>();
  const events = new EventQueue((event: AppEvent) => {
    if (streams.size === 0) return false;
    for (const s of streams) s.write(`data: ${JSON.stringify(event)}\n\n`);
    return true;
  });

  const handlers = createHandlers({
    ...machine,
    entry: opts.entry ?? 'install',
    dialogs,
    emit: (event) => events.emit(event),
    relaunchElevated: async () => 'unsupported',
    version: opts.version ?? '0.0.0',
  });

  const uploads = await HostPicks.create(dialogs);
  let port = 0;
  let cookieName = '';
  const securityHeaders = {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    if (pathname === '/' || pathname === '/index.html') {
      const html = await readFile(join(rendererDir, 'index.html'), 'utf8');
      // The bridge must define window.wslk before the app's module script runs.
      const withBridge = html.replace(/<script\b/, '<script src="/wslk-bridge.js"></script>\n    <script');
      res.setHeader('content-security-policy', CSP_BROWSER_HOST);
      return send(res, 200, withBridge, TYPES['.html']);
    }
    if (pathname === '/wslk-bridge.js') return send(res, 200, bridge, TYPES['.js']);
    const file = resolve(rendererDir, `.${pathname}`);
    if (!file.startsWith(rendererDir + sep)) return send(res, 404, 'Not found');
    const body = await readFile(file).catch(() => null);
    if (!body) return send(res, 404, 'Not found');
    return send(res, 200, body, TYPES[extname(file)] ?? 'application/octet-stream');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(securityHeaders)) res.setHeader(k, v);
    if (req.headers.host !== `127.0.0.1:${port}`) return send(res, 421, 'Wrong host.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const offered = url.searchParams.get('token');
    if (offered !== null && req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      if (!sameSecret(offered, token)) return send(res, 403, 'Wrong token.');
      // Trade the URL's token for a cookie, and drop it from the address bar and history.
      res.writeHead(303, { location: '/', 'set-cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/` });
      return void res.end();
    }
    const authorized = sameSecret(cookie(req, cookieName), token) || sameSecret(req.headers['x-wslk-token'] as string | undefined, token);
    if (!authorized) return send(res, 403, 'Forbidden: open the address the host printed (it carries the access token).');

    if (req.method === 'POST') {
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://127.0.0.1:${port}`) return send(res, 403, 'Wrong origin.');
      const upload = /^\/host\/upload\/(payload|msi)$/.exec(url.pathname);
      if (upload) return answerJson(res, await uploads.receive(req, upload[1] as 'payload' | 'msi'));
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only.');
      const text = await readBody(req);
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        // Not an object, so the channel's schema rejects it as a usage error.
        body = 'invalid JSON';
      }
      if (url.pathname === '/host/folder') return answerJson(res, uploads.folder(body));
      if (url.pathname === '/test/dialog') {
        const parsed = dialogRequest.safeParse(body);
        if (!parsed.success) return send(res, 400, 'Expected {"kind": "payload"|"msi"|"save"|"folder", "path": string|null}.');
        dialogs.queue(parsed.data.kind, parsed.data.path);
        res.writeHead(204);
        return void res.end();
      }
      const channel = url.pathname.startsWith('/api/') ? url.pathname.slice(5) : '';
      const result = await invokeChannel(handlers, channel as never, body, {
        onUnexpected: (err, ch) => log(`unexpected error in ${ch}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
      });
      return send(res, 200, JSON.stringify(result), 'application/json');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed.');
    if (url.pathname === '/api/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      streams.add(res);
      events.markReady();
      req.on('close', () => {
        streams.delete(res);
        if (streams.size === 0) events.reset();
      });
      return;
    }
    return serveStatic(url.pathname, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) send(res, err instanceof KernelSetupError ? 400 : 500, 'Request failed.');
      else res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  cookieName = `wslk-${port}`;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    dialogs,
    machineDir: () => machine.getEngine().machine.root ?? '',
    async close() {
      await uploads.dispose();
      for (const s of streams) s.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
