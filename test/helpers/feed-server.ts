/**
 * A small static HTTP server on 127.0.0.1 serving a feed folder, with the misbehaviours the feed
 * tests need: replaced bodies (tampering), stalls, and a switchable folder (mirrors, old copies).
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, normalize } from 'node:path';

export interface FeedServer {
  url: string;
  /** The folder served; change it to serve another copy. */
  root: string;
  /** Request path (e.g. `/timestamp.json`) → the bytes served instead of the file. */
  overrides: Map<string, Buffer>;
  /** Request paths matching this stall: headers and a few bytes are sent, then nothing. */
  stall: RegExp | null;
  /** Every request path, in order, with its Range header. */
  requests: { path: string; range: string | null }[];
  close(): Promise<void>;
}

export async function serveFeed(root: string): Promise<FeedServer> {
  const state: FeedServer = { url: '', root, overrides: new Map(), stall: null, requests: [], close: async () => undefined };
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const range = typeof req.headers.range === 'string' ? req.headers.range : null;
      state.requests.push({ path, range });
      const override = state.overrides.get(path);
      const file = join(state.root, normalize(path).replace(/^([/\\])+/, ''));
      const s = override ? null : await stat(file).catch(() => null);
      if (!override && !s?.isFile()) {
        res.writeHead(404).end('not found');
        return;
      }
      const size = override ? override.length : s!.size;
      if (state.stall?.test(path)) {
        res.writeHead(200, { 'content-length': String(size) });
        res.write(override ? override.subarray(0, 16) : (await readFile(file)).subarray(0, 16));
        return; // and never another byte
      }
      const m = range ? /^bytes=(\d+)-$/.exec(range) : null;
      const start = m ? Number(m[1]) : 0;
      if (m && start < size) {
        res.writeHead(206, { 'content-length': String(size - start), 'content-range': `bytes ${start}-${size - 1}/${size}` });
      } else {
        res.writeHead(200, { 'content-length': String(size) });
      }
      const from = m && start < size ? start : 0;
      if (override) res.end(override.subarray(from));
      else createReadStream(file, { start: from }).pipe(res);
    })();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  state.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return state;
}
