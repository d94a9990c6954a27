/**
 * What a compromised host or mirror may try (docs/design.md §12), served over HTTP on 127.0.0.1: each is
 * refused with its own error code, and nothing is written to the tools folder.
 */
import { cp, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../../../../src/main/publisher/feed-repo';
import { addKernel, rotateKey, targetFilePath } from '../../../../src/main/publisher/feed-commands';
import { readRole } from '../../../../src/main/publisher/feed-repo';
import { MetadataKind } from '@tufjs/models';
import { serveFeed } from '../../../helpers/feed-server';
import { makeFeed, toolsPicture, updates } from '../../../helpers/feed';
import { kernel, sandbox } from '../../../helpers/sandbox';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
const savedTimeout = process.env.WSLK_FEED_TIMEOUT_MS;
beforeAll(() => {
  process.env.WSLK_FEED_TIMEOUT_MS = '400';
});
afterAll(() => {
  if (savedTimeout === undefined) delete process.env.WSLK_FEED_TIMEOUT_MS;
  else process.env.WSLK_FEED_TIMEOUT_MS = savedTimeout;
});

async function setup() {
  const box = await sandbox('installed');
  cleanups.push(box.cleanup);
  const feed = await makeFeed(box.work, [{ version: '6.1.21.1' }]);
  const server = await serveFeed(feed.dir);
  cleanups.push(server.close);
  const { cmds, opts } = updates(box.engine, feed);
  const tools = box.engine.machine.toolsDir;
  const before = await toolsPicture(tools);
  const target = (await readRole(feed.dir, MetadataKind.Targets)).signed.targets['kernels/x64/6.1.21.1/kernel']!;
  const targetUrlPath = '/' + targetFilePath(feed.dir, target).slice(feed.dir.length + 1).split(/[\\/]/).join('/');
  return {
    box,
    feed,
    server,
    cmds,
    opts: { ...opts, feed: server.url },
    target,
    targetUrlPath,
    /** Nothing reached the tools folder, and no download is left but a partial file. */
    async untouched() {
      expect(await toolsPicture(tools)).toEqual(before);
      const dl = join(box.engine.machine.stateDir, 'downloads');
      for (const d of await readdir(dl).catch(() => [])) expect(await readdir(join(dl, d))).not.toContain('kernel');
    },
  };
}

describe('attacks on the feed are refused and install nothing', () => {
  it('a tampered kernel (same length, other bytes)', async () => {
    const t = await setup();
    const bytes = await readFile(t.feed.kernels['6.1.21.1']!);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    t.server.overrides.set(t.targetUrlPath, bytes);
    const r = await t.cmds.update(t.opts);
    expect(r.code).toBe('feed-target-invalid');
    expect(r.exitCode).toBe(1603);
    await t.untouched();
    // The bad bytes are not kept for a resume.
    const dl = join(t.box.engine.machine.stateDir, 'downloads');
    for (const d of await readdir(dl)) expect(await readdir(join(dl, d))).not.toContain('kernel.partial');
  });

  it('a kernel of the wrong length (longer, or cut short)', async () => {
    const t = await setup();
    const bytes = await readFile(t.feed.kernels['6.1.21.1']!);
    t.server.overrides.set(t.targetUrlPath, Buffer.concat([bytes, Buffer.alloc(4096)]));
    expect((await t.cmds.update(t.opts)).code).toBe('feed-target-invalid');
    t.server.overrides.set(t.targetUrlPath, bytes.subarray(0, bytes.length - 4096));
    expect((await t.cmds.update(t.opts)).code).toBe('feed-target-invalid');
    await t.untouched();
  });

  it('a kernel the metadata does not name', async () => {
    const t = await setup();
    // An unsigned file dropped into the feed's folder is invisible to the client.
    const extra = await kernel(t.box.work, '6.6.99.1');
    await cp(extra, join(t.feed.dir, 'targets', 'kernels', 'x64', '6.6.99.1', 'kernel'), { recursive: true });
    const r = await t.cmds.update({ ...t.opts, version: '6.6.99.1' });
    expect(r.code).toBe('feed-target-not-found');
    expect((await t.cmds.checkUpdate(t.opts)).update?.offer?.version).toBe('6.1.21.1');
    await t.untouched();
  });

  it('an expired timestamp (a frozen mirror)', async () => {
    const t = await setup();
    await publish(t.feed.dir, { keysDir: t.feed.keys, expires: { timestamp: new Date(Date.now() - 60_000) } });
    const r = await t.cmds.checkUpdate(t.opts);
    expect(r.code).toBe('feed-metadata-expired');
    expect((await t.cmds.update(t.opts)).code).toBe('feed-metadata-expired');
    await t.untouched();
  });

  it('older metadata than already seen (rollback attack), on timestamp and on snapshot', async () => {
    const t = await setup();
    const old = join(t.box.work, 'feed-old');
    await cp(t.feed.dir, old, { recursive: true });
    await addKernel(t.feed.dir, t.feed.keys, await kernel(t.box.work, '6.6.36.1'));
    expect((await t.cmds.checkUpdate(t.opts)).update?.offer?.version).toBe('6.6.36.1');
    // A mirror serving the older copy: its timestamp is older than the one seen.
    t.server.root = old;
    const r = await t.cmds.update(t.opts);
    expect(r.code).toBe('feed-rollback-refused');
    // A fresh, validly signed timestamp pointing at the old snapshot version.
    await publish(old, { keysDir: t.feed.keys });
    const ts = JSON.parse(await readFile(join(old, 'timestamp.json'), 'utf8'));
    expect(ts.signed.version).toBe(3);
    const newer = JSON.parse(await readFile(join(t.feed.dir, 'timestamp.json'), 'utf8'));
    for (let i = 0; i < newer.signed.version; i++) await publish(old, { keysDir: t.feed.keys });
    const r2 = await t.cmds.checkUpdate(t.opts);
    expect(r2.code).toBe('feed-rollback-refused');
    await t.untouched();
  });

  it('metadata signed by a key the client does not trust', async () => {
    const t = await setup();
    const other = await makeFeed(t.box.work, [{ version: '6.6.36.1' }], 'impostor');
    t.server.root = other.dir;
    const r = await t.cmds.update(t.opts);
    expect(r.code, r.message).toBe("feed-signature-invalid");
    await t.untouched();
  });

  it('a root rotation signed by the old root is followed', async () => {
    const t = await setup();
    expect((await t.cmds.checkUpdate(t.opts)).ok).toBe(true);
    await rotateKey(t.feed.dir, t.feed.keys, 'root');
    await rotateKey(t.feed.dir, t.feed.keys, 'timestamp');
    await addKernel(t.feed.dir, t.feed.keys, await kernel(t.box.work, '6.6.36.1'));
    const r = await t.cmds.update(t.opts);
    expect(r.ok, r.message).toBe(true);
    expect(r.status?.kernel).toMatchObject({ version: '6.6.36.1' });
    expect(t.server.requests.map((q) => q.path)).toEqual(expect.arrayContaining(['/2.root.json', '/3.root.json']));
    // A client starting from version 1 today walks the same chain.
    const box2 = await sandbox('installed');
    cleanups.push(box2.cleanup);
    const u2 = updates(box2.engine, t.feed);
    expect((await u2.cmds.checkUpdate({ ...u2.opts, feed: t.server.url })).update?.offer?.version).toBe('6.6.36.1');
  });

  it('a root rotation not signed by the old root is refused', async () => {
    const t = await setup();
    const other = await makeFeed(t.box.work, [], 'rogue');
    // The rogue root claims to be version 2 of this feed's root.
    const rogue = JSON.parse(await readFile(join(other.dir, '1.root.json'), 'utf8'));
    rogue.signed.version = 2;
    t.server.overrides.set('/2.root.json', Buffer.from(JSON.stringify(rogue)));
    const r = await t.cmds.checkUpdate(t.opts);
    expect(r.code, r.message).toBe("feed-signature-invalid");
    await t.untouched();
  });

  it('a server that stalls: metadata and a kernel download time out; the partial download resumes later', async () => {
    const t = await setup();
    t.server.stall = /timestamp\.json$/;
    const started = Date.now();
    const r = await t.cmds.checkUpdate(t.opts);
    expect(r.code).toBe('feed-unreachable');
    expect(Date.now() - started).toBeLessThan(15_000);
    t.server.stall = /\.kernel$/;
    const u = await t.cmds.update(t.opts);
    expect(u.code, u.message).toBe("feed-unreachable");
    await t.untouched();
    const dl = join(t.box.engine.machine.stateDir, 'downloads');
    const [folder] = await readdir(dl);
    expect(await readdir(join(dl, folder!))).toEqual(['kernel.partial']);
    t.server.stall = null;
    const ok = await t.cmds.update(t.opts);
    expect(ok.ok, ok.message).toBe(true);
    // The second attempt asked only for the bytes it did not have.
    expect(t.server.requests.filter((q) => q.path === t.targetUrlPath).at(-1)?.range).toBe('bytes=16-');
    expect(ok.status?.kernel).toMatchObject({ version: '6.1.21.1' });
  });

  it('no server at all', async () => {
    const t = await setup();
    await t.server.close();
    const r = await t.cmds.checkUpdate(t.opts);
    expect(r.code).toBe('feed-unreachable');
    expect(r.remedy).toMatch(/network/);
  });
});
