/**
 * The seed's story, delivered by a feed (docs/design.md §12), with the real CLI as separate processes and
 * the feed served over HTTP on 127.0.0.1: install A from the feed, B arrives automatically, roll
 * back, and the next automatic update installs C and leaves A in kernel.rollback; B is never offered.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKernel } from '../../../../src/main/publisher/feed-commands';
import { buildDemoFeed, DEMO_KERNELS } from '../../../../src/main/publisher/demo';
import { buildCli } from '../../../helpers/cli';
import { serveFeed } from '../../../helpers/feed-server';
import type { FeedServer } from '../../../helpers/feed-server';
import { cli, tempDir } from '../../../helpers/sandbox';

let work: { dir: string; cleanup(): Promise<void> };
let server: FeedServer;
let demo: Awaited<ReturnType<typeof buildDemoFeed>>;

beforeAll(async () => {
  buildCli();
  work = await tempDir('wslk-feed-story-');
  demo = await buildDemoFeed(work.dir);
  server = await serveFeed(demo.feed);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await work?.cleanup();
});

describe('the seed story from a feed (A → B automatically → rollback → C automatically)', () => {
  it('ends with C installed, A in kernel.rollback, B never offered again', async () => {
    const m = join(work.dir, 'machine');
    const run = (...args: string[]) => cli(['--machine', m, ...args, '--json']);
    expect((await cli(['sandbox', 'init', m, '--preset', 'fresh'])).code).toBe(0);
    const cfg = await run('update-config', '--feed', server.url, '--root', join(demo.feed, '1.root.json'), '--auto-update', 'on');
    expect(cfg.json.ok, cfg.json.message).toBe(true);
    expect(cfg.json.update?.scheduledTask?.registered).toBe(true);

    const a = await run('update', '--version', DEMO_KERNELS.A);
    expect(a.json.ok, a.json.message).toBe(true);
    expect(a.json.status?.kernel).toMatchObject({ version: DEMO_KERNELS.A });

    const b = await run('update', '--auto');
    expect(b.json.ok, b.json.message).toBe(true);
    expect(b.json.status).toMatchObject({ kernel: { version: DEMO_KERNELS.B }, rollbackKernel: { version: DEMO_KERNELS.A } });

    const back = await run('rollback');
    expect(back.json.ok, back.json.message).toBe(true);
    expect(back.json.status).toMatchObject({ rollbackActive: true, badVersions: [DEMO_KERNELS.B] });

    // Nothing new yet: B is the newest the feed has, and it is bad.
    const quiet = await run('update', '--auto');
    expect(quiet.json.ok).toBe(true);
    expect(quiet.json.update?.offer).toBeNull();
    expect(quiet.json.status?.rollbackActive).toBe(true);

    await addKernel(demo.feed, demo.keys, join(demo.incoming, 'C'));
    const check = await run('check-update');
    expect(check.json.update?.offer?.version).toBe(DEMO_KERNELS.C);

    const c = await run('update', '--auto');
    expect(c.json.ok, c.json.message).toBe(true);
    expect(c.json.status).toMatchObject({
      kernel: { version: DEMO_KERNELS.C },
      rollbackKernel: { version: DEMO_KERNELS.A },
      rollbackActive: false,
      effective: 'kernel',
    });
    const history = await run('history');
    const ops = (history.json.history ?? []).map((h) => h.op);
    expect(ops.filter((o) => o === 'install')).toHaveLength(3);
    expect(ops).toContain('update --auto');
    // B's file was never fetched again after the rollback.
    const bFetches = server.requests.filter((r) => r.path.includes(`/${DEMO_KERNELS.B}/`));
    expect(bFetches).toHaveLength(1);
  }, 180_000);
});
