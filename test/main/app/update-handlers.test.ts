/** The IPC channels of settings > Updates (docs/design.md §12): through invokeChannel, over a real feed on 127.0.0.1. */
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers, invokeChannel } from '../../../src/main/app/handlers';
import { POLICY_KEY } from '../../../src/main/engine/feed/feed-settings';
import type { AppEvent } from '../../../src/shared/ipc';
import { serveFeed } from '../../helpers/feed-server';
import { makeFeed } from '../../helpers/feed';
import { sandbox } from '../../helpers/sandbox';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('update IPC channels', () => {
  it('check, install with progress events, hold, managed-by-policy, and bad requests refused', async () => {
    const box = await sandbox('installed');
    cleanups.push(box.cleanup);
    const feed = await makeFeed(box.work, [{ version: '6.1.21.1', notes: 'Notes for 6.1.' }]);
    const server = await serveFeed(feed.dir);
    cleanups.push(server.close);
    const events: AppEvent[] = [];
    const handlers = createHandlers({
      getEngine: () => box.engine,
      entry: 'settings',
      dialogs: { openFile: async () => null, saveFile: async () => null, pickFolder: async () => null },
      emit: (e) => events.push(e),
      relaunchElevated: async () => 'unsupported',
      setMachine: async () => ({ kind: 'sandbox', label: '', root: null }),
      version: '1.0.0',
      feedRoots: [feed.root],
    });
    await box.engine.machine.registry.setValue(POLICY_KEY, 'FeedUrl', { type: 'REG_SZ', data: server.url });
    const before = await invokeChannel(handlers, 'updates', {});
    expect(before).toMatchObject({ ok: true, value: { feed: server.url, managed: { feedUrl: true }, offer: null, checkedAt: null } });
    const check = await invokeChannel(handlers, 'checkUpdate', {});
    expect(check).toMatchObject({ ok: true, value: { ok: true, update: { offer: { version: '6.1.21.1', notes: 'Notes for 6.1.' } } } });
    expect((await invokeChannel(handlers, 'updates', {})).ok && (await invokeChannel(handlers, 'updates', {}))).toMatchObject({ value: { checkedAt: expect.any(String) } });
    const held = await invokeChannel(handlers, 'setUpdates', { hold: '5.15.153.1' });
    expect(held).toMatchObject({ ok: true, value: { ok: true, update: { hold: '5.15.153.1' } } });
    expect(await invokeChannel(handlers, 'checkUpdate', {})).toMatchObject({ value: { update: { offer: null, reason: 'held' } } });
    await invokeChannel(handlers, 'setUpdates', { hold: null });
    const installed = await invokeChannel(handlers, 'installUpdate', {});
    expect(installed).toMatchObject({ ok: true, value: { ok: true, status: { kernel: { version: '6.1.21.1' } } } });
    const progress = events.filter((e) => e.type === 'progress').map((e) => (e.type === 'progress' ? e.progress.step : ''));
    expect(progress).toContain('download');
    await box.engine.machine.registry.setValue(POLICY_KEY, 'Channel', { type: 'REG_SZ', data: 'stable' });
    expect(await invokeChannel(handlers, 'setUpdates', { channel: 'preview' })).toMatchObject({ ok: true, value: { ok: false, code: 'managed-by-policy' } });
    expect(await invokeChannel(handlers, 'setUpdates', { hold: '../../etc' })).toMatchObject({ ok: false, error: { code: 'usage' } });
    expect(await invokeChannel(handlers, 'installUpdate', { version: 'x', extra: 1 })).toMatchObject({ ok: false, error: { code: 'usage' } });
  });
});
