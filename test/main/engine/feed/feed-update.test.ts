/**
 * Updates from a feed served over HTTP on 127.0.0.1 (docs/design.md §12): the choice of kernel (newest,
 * not in Bad, not past a hold, channel), a specific version, policy, and the install it hands to
 * the engine's normal rules.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { POLICY_KEY } from '../../../../src/main/engine/feed/feed-settings';
import type { FeedServer } from '../../../helpers/feed-server';
import { serveFeed } from '../../../helpers/feed-server';
import { makeFeed, sha256, toolsPicture, updates } from '../../../helpers/feed';
import { sandbox } from '../../../helpers/sandbox';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(preset: string, published: Parameters<typeof makeFeed>[1]) {
  const box = await sandbox(preset);
  cleanups.push(box.cleanup);
  const feed = await makeFeed(box.work, published);
  const server: FeedServer = await serveFeed(feed.dir);
  cleanups.push(server.close);
  const { cmds, opts } = updates(box.engine, feed);
  return { box, feed, server, cmds, opts: { ...opts, feed: server.url }, tools: box.engine.machine.toolsDir };
}

describe('check-update and update over HTTP', () => {
  it('installs the newest kernel through the normal install, then finds nothing newer', async () => {
    const t = await setup('installed', [{ version: '6.1.21.1' }, { version: '6.6.36.1', notes: 'Fixes the clock drift.' }]);
    const check = await t.cmds.checkUpdate(t.opts);
    expect(check.ok).toBe(true);
    expect(check.update?.installed).toBe('5.15.153.1');
    expect(check.update?.offer).toMatchObject({ version: '6.6.36.1', arch: 'x64', channel: 'stable', notes: 'Fixes the clock drift.' });
    const r = await t.cmds.update(t.opts);
    expect(r.ok, r.message).toBe(true);
    expect(await sha256(join(t.tools, 'kernel'))).toBe(await sha256(t.feed.kernels['6.6.36.1']!));
    // The previous kernel became kernel.rollback (rule 3), as with any install.
    expect(r.status?.rollbackKernel).toMatchObject({ present: true, version: '5.15.153.1' });
    // The verified download served its purpose and was removed.
    expect(await readdir(join(t.box.engine.machine.stateDir, 'downloads'))).toEqual([]);
    const again = await t.cmds.checkUpdate(t.opts);
    expect(again.ok).toBe(true);
    expect(again.update?.offer).toBeNull();
    expect(again.update?.reason).toBe('nothing-newer');
    const noop = await t.cmds.update(t.opts);
    expect(noop.ok).toBe(true);
    expect(noop.message).toMatch(/No newer kernel than 6\.6\.36\.1/);
  });

  it('passes over a version in Bad for the next good one', async () => {
    const t = await setup('installed', [{ version: '6.1.21.1' }, { version: '6.6.36.1' }]);
    const statePath = join(t.box.engine.machine.stateDir, 'state.json');
    const state = JSON.parse(await readFile(statePath, 'utf8'));
    state.badVersions = ['6.6.36.1'];
    await writeFile(statePath, JSON.stringify(state));
    const check = await t.cmds.checkUpdate(t.opts);
    expect(check.update?.offer?.version).toBe('6.1.21.1');
    expect(check.update?.skipped).toEqual([{ version: '6.6.36.1', why: 'marked-bad' }]);
    const r = await t.cmds.update({ ...t.opts, auto: false });
    expect(r.ok, r.message).toBe(true);
    expect(r.status?.kernel).toMatchObject({ version: '6.1.21.1' });
  });

  it('a hold keeps updates at the held version, shows in status, and unhold releases it', async () => {
    const t = await setup('installed', [{ version: '6.1.21.1' }, { version: '6.6.36.1' }]);
    const held = await t.cmds.hold('6.1.21.1');
    expect(held.ok, held.message).toBe(true);
    expect(held.status?.updateHold).toBe('6.1.21.1');
    const check = await t.cmds.checkUpdate(t.opts);
    expect(check.update?.offer?.version).toBe('6.1.21.1');
    expect(check.update?.skipped).toEqual([{ version: '6.6.36.1', why: 'held' }]);
    await t.cmds.hold(); // hold what is installed
    const none = await t.cmds.checkUpdate(t.opts);
    expect(none.update).toMatchObject({ offer: null, reason: 'held', hold: '5.15.153.1' });
    await t.cmds.configure({ autoUpdate: true });
    const before = await toolsPicture(t.tools);
    const auto = await t.cmds.update({ ...t.opts, auto: true });
    expect(auto.ok).toBe(true);
    expect(await toolsPicture(t.tools)).toEqual(before);
    const un = await t.cmds.unhold();
    expect(un.status?.updateHold).toBeUndefined();
    expect((await t.cmds.checkUpdate(t.opts)).update?.offer?.version).toBe('6.6.36.1');
  });

  it('installs a specific signed version; an older one still needs --allow-downgrade', async () => {
    const t = await setup('installed', [{ version: '5.10.16.3' }, { version: '6.1.21.1' }, { version: '6.6.36.1' }]);
    const r = await t.cmds.update({ ...t.opts, version: '6.1.21.1' });
    expect(r.ok, r.message).toBe(true);
    expect(r.status?.kernel).toMatchObject({ version: '6.1.21.1' });
    const down = await t.cmds.update({ ...t.opts, version: '5.10.16.3' });
    expect(down.code).toBe('downgrade-refused');
    expect(down.exitCode).toBe(1638);
    const missing = await t.cmds.update({ ...t.opts, version: '9.9.9.9' });
    expect(missing.code).toBe('feed-target-not-found');
    const allowed = await t.cmds.update({ ...t.opts, version: '5.10.16.3', allowDowngrade: true });
    expect(allowed.ok, allowed.message).toBe(true);
    expect(allowed.status?.kernel).toMatchObject({ version: '5.10.16.3' });
  });

  it('the preview channel also sees preview kernels; stable does not', async () => {
    const t = await setup('installed', [{ version: '6.1.21.1' }, { version: '6.6.36.1', channel: 'preview' }]);
    expect((await t.cmds.checkUpdate(t.opts)).update?.offer?.version).toBe('6.1.21.1');
    const preview = await t.cmds.checkUpdate({ ...t.opts, channel: 'preview' });
    expect(preview.update).toMatchObject({ channel: 'preview', offer: { version: '6.6.36.1', channel: 'preview' } });
  });

  it('machine policy wins over the user: feed, channel, hold; managed settings cannot be changed', async () => {
    const t = await setup('installed', [{ version: '6.1.21.1' }, { version: '6.6.36.1', channel: 'preview' }]);
    const reg = t.box.engine.machine.registry;
    await reg.setValue(POLICY_KEY, 'FeedUrl', { type: 'REG_SZ', data: t.server.url });
    await reg.setValue(POLICY_KEY, 'Channel', { type: 'REG_SZ', data: 'preview' });
    await reg.setValue(POLICY_KEY, 'AutoUpdate', { type: 'REG_DWORD', data: 1 });
    // The user's own feed setting points elsewhere; the policy's wins.
    const check = await t.cmds.checkUpdate({ trustedRoots: [t.feed.root], feed: join(t.box.work, 'nowhere') });
    expect(check.ok, check.message).toBe(true);
    expect(check.update).toMatchObject({ feed: t.server.url, channel: 'preview', autoUpdate: true, managed: { feedUrl: true, channel: true, autoUpdate: true, hold: false } });
    expect(check.update?.offer?.version).toBe('6.6.36.1');
    const refused = await t.cmds.configure({ channel: 'stable' });
    expect(refused.code).toBe('managed-by-policy');
    await reg.setValue(POLICY_KEY, 'HoldVersion', { type: 'REG_SZ', data: '6.1.21.1' });
    expect((await t.cmds.checkUpdate({ trustedRoots: [t.feed.root] })).update?.offer?.version).toBe('6.1.21.1');
    expect((await t.cmds.unhold()).code).toBe('managed-by-policy');
  });

  it('automatic updates: off by default, the scheduled task follows the setting, a pending reboot waits', async () => {
    const t = await setup('installed', [{ version: '6.1.21.1' }]);
    const before = await toolsPicture(t.tools);
    const off = await t.cmds.update({ ...t.opts, auto: true });
    expect(off.update?.reason).toBe('auto-update-off');
    const on = await t.cmds.configure({ autoUpdate: true });
    expect(on.update?.scheduledTask).toMatchObject({ registered: true });
    const mj = JSON.parse(await readFile(join(t.box.root, 'machine.json'), 'utf8'));
    expect(mj.scheduledTask).toMatchObject({ name: '\\WslKernelSetup\\AutomaticKernelUpdate', schedule: 'daily' });
    expect(mj.scheduledTask.arguments).toMatch(/--machine .* update --auto$/);
    await t.box.engine.machine.registry.setValue('SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending', 'x', { type: 'REG_SZ', data: '1' });
    const waits = await t.cmds.update({ ...t.opts, auto: true });
    expect(waits.update?.reason).toBe('reboot-pending');
    expect(await toolsPicture(t.tools)).toEqual(before);
    const history = await t.box.engine.history();
    expect(history.filter((h) => h.op === 'update --auto').map((h) => h.message)).toEqual([expect.stringMatching(/Automatic updates are off/), expect.stringMatching(/restart first/)]);
    const offAgain = await t.cmds.configure({ autoUpdate: false });
    expect(offAgain.update?.scheduledTask).toMatchObject({ registered: false });
    expect(JSON.parse(await readFile(join(t.box.root, 'machine.json'), 'utf8')).scheduledTask).toBeUndefined();
  });

  it('a folder feed works with no network at all', async () => {
    const t = await setup('fresh', [{ version: '6.1.21.1' }]);
    const r = await t.cmds.update({ ...t.opts, feed: t.feed.dir });
    expect(r.ok, r.message).toBe(true);
    expect(r.status?.kernel).toMatchObject({ version: '6.1.21.1' });
    expect(t.server.requests).toEqual([]);
  });
});

describe('update --verify --auto-rollback (docs/design.md §10)', () => {
  it('a signed kernel that does not boot is rolled back, marked bad, and never offered again', async () => {
    const t = await setup('installed', [{ version: '6.6.36.1' }]);
    const mj = join(t.box.root, 'machine.json');
    const json = JSON.parse(await readFile(mj, 'utf8'));
    json.wsl.failingKernels = { [await sha256(t.feed.kernels['6.6.36.1']!)]: 'Error code: Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT' };
    await writeFile(mj, JSON.stringify(json));
    const r = await t.cmds.update({ ...t.opts, verify: true, autoRollback: true });
    expect(r).toMatchObject({
      ok: false,
      code: 'kernel-failed-to-boot',
      exitCode: 1627,
      boot: { outcome: 'boot-failed' },
      fallback: { rolledBack: true, boot: { outcome: 'booted', running: '5.15.153.1-wslk-demo' } },
      status: { rollbackActive: true, badVersions: ['6.6.36.1'] },
    });
    // Nothing is offered again, and installing it by name is refused unless forced.
    expect((await t.cmds.checkUpdate(t.opts)).update?.offer).toBeNull();
    expect(await t.cmds.update({ ...t.opts, version: '6.6.36.1' })).toMatchObject({ ok: false, code: 'version-marked-bad' });
  });
});
