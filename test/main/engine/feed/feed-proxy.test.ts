/** Feed downloads go through HTTP_PROXY / HTTPS_PROXY (undici's EnvHttpProxyAgent), docs/design.md §12. */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serveFeed } from '../../../helpers/feed-server';
import { makeFeed, updates } from '../../../helpers/feed';
import { sandbox } from '../../../helpers/sandbox';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  delete process.env.HTTP_PROXY;
});

/** A CONNECT proxy that records the hosts it tunnels to. */
async function tunnelProxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('feed through a proxy', () => {
  it('metadata and the kernel travel through HTTP_PROXY', async () => {
    const box = await sandbox('installed');
    cleanups.push(box.cleanup);
    const feed = await makeFeed(box.work, [{ version: '6.1.21.1' }]);
    const server = await serveFeed(feed.dir);
    cleanups.push(server.close);
    const proxy = await tunnelProxy();
    cleanups.push(proxy.close);
    process.env.HTTP_PROXY = proxy.url;
    const { cmds, opts } = updates(box.engine, feed);
    const r = await cmds.update({ ...opts, feed: server.url });
    expect(r.ok, r.message).toBe(true);
    expect(r.status?.kernel).toMatchObject({ version: '6.1.21.1' });
    const port = new URL(server.url).port;
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(proxy.tunnels.every((t) => t === `127.0.0.1:${port}`)).toBe(true);
  });
});
