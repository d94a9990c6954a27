/** The publisher (`npm run feed`): keys kept apart, facts read from the image, signed rotations. */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Metadata, MetadataKind } from '@tufjs/models';
import { afterEach, describe, expect, it } from 'vitest';
import { addKernel, initFeed, listKernels, removeKernel, rotateKey, signFeed } from '../../../src/main/publisher/feed-commands';
import { runFeedCli } from '../../../src/main/publisher/cli';
import { kernel, tempDir } from '../../helpers/sandbox';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function work() {
  const t = await tempDir('wslk-publisher-');
  cleanups.push(t.cleanup);
  return t.dir;
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String);
}

const readJson = async (p: string) => JSON.parse(await readFile(p, 'utf8'));

describe('feed publisher', () => {
  it('init keeps root keys apart from online keys, and none inside the feed', async () => {
    const dir = await work();
    await initFeed(join(dir, 'feed'), join(dir, 'feed.keys'));
    const keys = await filesUnder(join(dir, 'feed.keys'));
    expect(keys.filter((k) => k.startsWith('root/root-'))).toHaveLength(1);
    expect(keys.filter((k) => /^online\/(targets|snapshot|timestamp)-/.test(k))).toHaveLength(3);
    const published = await filesUnder(join(dir, 'feed'));
    expect(published.sort()).toEqual(expect.arrayContaining(['1.root.json', 'root.json', 'timestamp.json', '1.snapshot.json', '1.targets.json']));
    for (const f of published.filter((p) => p.endsWith('.json'))) expect(await readFile(join(dir, 'feed', f), 'utf8')).not.toMatch(/PRIVATE KEY/);
    const root = Metadata.fromJSON(MetadataKind.Root, await readJson(join(dir, 'feed', 'root.json')));
    expect(root.signed.consistentSnapshot).toBe(true);
    // The root verifies itself with its own key (a real Ed25519 signature over canonical JSON).
    expect(() => root.verifyDelegate('root', root)).not.toThrow();
    await expect(initFeed(join(dir, 'feed'), join(dir, 'feed.keys'))).rejects.toThrow(/already holds a feed/);
  });

  it('add reads version, release and arch from the image; a duplicate and a non-kernel are refused; remove withdraws', async () => {
    const dir = await work();
    const feed = join(dir, 'feed');
    await initFeed(feed, join(dir, 'feed.keys'));
    const k = await kernel(dir, '6.1.21.1', 1 << 20, 'arm64');
    const added = await addKernel(feed, join(dir, 'feed.keys'), k, { channel: 'preview', notes: 'n' });
    expect(added).toMatchObject({ version: '6.1.21.1', release: '6.1.21.1-microsoft-standard-WSL2', arch: 'arm64', channel: 'preview', path: 'kernels/arm64/6.1.21.1/kernel' });
    await expect(addKernel(feed, join(dir, 'feed.keys'), k)).rejects.toThrow(/already has kernel 6\.1\.21\.1/);
    await expect(addKernel(feed, join(dir, 'feed.keys'), join(feed, 'root.json'))).rejects.toThrow(/not a Linux kernel|x64 bzImage/i);
    expect((await listKernels(feed)).map((x) => x.version)).toEqual(['6.1.21.1']);
    const targets = await readJson(join(feed, 'targets.json'));
    expect(targets.signed.version).toBe(2);
    await removeKernel(feed, join(dir, 'feed.keys'), '6.1.21.1');
    expect(await listKernels(feed)).toEqual([]);
    expect((await filesUnder(join(feed, 'targets'))).filter((f) => f.endsWith('.kernel'))).toEqual([]);
  });

  it('sign bumps snapshot and timestamp; rotate-root writes a new root signed by the old and the new key', async () => {
    const dir = await work();
    const feed = join(dir, 'feed');
    const keys = join(dir, 'feed.keys');
    await initFeed(feed, keys);
    const v = await signFeed(feed, keys);
    expect(v).toEqual({ targets: 1, snapshot: 2, timestamp: 2 });
    const r = await rotateKey(feed, keys, 'root');
    expect(r.rootVersion).toBe(2);
    const v1 = Metadata.fromJSON(MetadataKind.Root, await readJson(join(feed, '1.root.json')));
    const v2 = Metadata.fromJSON(MetadataKind.Root, await readJson(join(feed, '2.root.json')));
    expect(v2.signed.roles.root!.keyIDs).toEqual([r.keyid]);
    expect(() => v1.verifyDelegate('root', v2)).not.toThrow(); // the old root vouches for the new one
    expect(() => v2.verifyDelegate('root', v2)).not.toThrow(); // and the new one signs itself
    expect(await readJson(join(feed, 'root.json'))).toEqual(await readJson(join(feed, '2.root.json')));
  });

  it('the command line: usage, demo feed', async () => {
    const dir = await work();
    expect(await runFeedCli([])).toMatch(/Usage: npm run feed/);
    await expect(runFeedCli(['frobnicate', dir])).rejects.toThrow(/Unknown command/);
    const out = await runFeedCli(['demo', join(dir, 'demo')]);
    expect(out).toMatch(/update --auto/);
    expect((await listKernels(join(dir, 'demo', 'feed'))).map((k) => k.version)).toEqual(['5.15.153.1', '5.10.102.1']);
    expect(await readdir(join(dir, 'demo', 'incoming', 'C'))).toEqual(['kernel']);
  });
});
