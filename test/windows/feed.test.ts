/**
 * Kernel updates from a signed feed on "this Windows machine" (docs/design.md §12): the CLI bundle
 * under Node for Windows reads a feed from a folder on C:, keeps its settings in
 * C:\ProgramData\WslKernelSetup, installs what the feed offers, holds and releases a version,
 * registers and deletes its scheduled task through schtasks.exe (a stand-in: Wine's cannot), and
 * obeys the machine policy under HKLM\SOFTWARE\Policies\WslKernelSetup.
 * (Over HTTP the feed is covered under Linux: Node for Windows cannot open sockets under Wine 8,
 * `connect UNKNOWN`.)
 */
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKernel } from '../../src/main/publisher/feed-commands';
import { buildDemoFeed, DEMO_KERNELS } from '../../src/main/publisher/demo';
import { STAND_IN, STATE, installStandIns, regImport, resetMachine, standInCalls } from './support/machine';
import { drive, wslk } from './support/wine';

const FEED_DIR = 'wslk-feed';
const FEED = `C:\\${FEED_DIR}\\feed`;
const ROOT = `${FEED}\\1.root.json`;
let demo: Awaited<ReturnType<typeof buildDemoFeed>>;

beforeAll(async () => {
  await installStandIns();
  await fsp.rm(drive(FEED_DIR), { recursive: true, force: true });
  demo = await buildDemoFeed(drive(FEED_DIR));
}, 120_000);

afterAll(async () => {
  await regImport('Windows Registry Editor Version 5.00\r\n\r\n[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\WslKernelSetup]\r\n');
  await resetMachine();
});

describe('updates from a signed feed on a Windows machine', () => {
  it('a feed folder: configure, check, install a version, hold, release the hold, update', async () => {
    await resetMachine();
    const cfg = await wslk(['update-config', '--feed', FEED, '--root', ROOT, '--auto-update', 'on']);
    expect(cfg.json, cfg.json.message).toMatchObject({ ok: true });
    const saved = JSON.parse(await fsp.readFile(drive(STATE, 'update-settings.json'), 'utf8')) as { feedUrl?: string; rootFile?: string };
    expect(saved).toMatchObject({ feedUrl: FEED, rootFile: ROOT });

    const check = await wslk(['check-update']);
    expect(check.json, check.json.message).toMatchObject({ ok: true, update: { offer: { version: DEMO_KERNELS.B } } });

    const a = await wslk(['update', '--version', DEMO_KERNELS.A]);
    expect(a.json, a.json.message).toMatchObject({ ok: true, status: { kernel: { version: DEMO_KERNELS.A } } });

    expect((await wslk(['hold'])).json).toMatchObject({ ok: true });
    expect((await wslk(['status'])).json.status?.updateHold).toBe(DEMO_KERNELS.A);
    const held = await wslk(['update', '--auto']);
    expect(held.json, held.json.message).toMatchObject({ ok: true, status: { kernel: { version: DEMO_KERNELS.A } } });

    expect((await wslk(['unhold'])).json).toMatchObject({ ok: true });
    const b = await wslk(['update', '--auto']);
    expect(b.json, b.json.message).toMatchObject({ ok: true, status: { kernel: { version: DEMO_KERNELS.B }, rollbackKernel: { version: DEMO_KERNELS.A } } });
  });

  it('the next kernel the publisher ships is offered and installed; the rolled-back one never again', async () => {
    const back = await wslk(['rollback']);
    expect(back.json, back.json.message).toMatchObject({ ok: true, status: { rollbackActive: true, badVersions: [DEMO_KERNELS.B] } });
    expect((await wslk(['check-update'])).json.update?.offer ?? null).toBeNull();
    await addKernel(demo.feed, demo.keys, join(demo.incoming, 'C'));
    const check = await wslk(['check-update']);
    expect(check.json, check.json.message).toMatchObject({ ok: true, update: { offer: { version: DEMO_KERNELS.C } } });
    const c = await wslk(['update', '--auto']);
    expect(c.json, c.json.message).toMatchObject({ ok: true, status: { kernel: { version: DEMO_KERNELS.C }, rollbackKernel: { version: DEMO_KERNELS.A }, rollbackActive: false } });
  });

  it('automatic updates on and off: the scheduled task is created from its XML, found again, and deleted (schtasks.exe)', async () => {
    const on = await wslk(['update-config', '--auto-update', 'on']);
    expect(on.json, on.json.message).toMatchObject({ ok: true, update: { scheduledTask: { registered: true } } });
    expect(on.json.update?.scheduledTask?.command).toMatch(/node\.exe|wslk|WSL Kernel Setup/i);
    const calls = await standInCalls('schtasks');
    expect(calls.some((c) => /^\/Create \/TN \\WslKernelSetup\\AutomaticKernelUpdate \/XML .+ \/F$/.test(c))).toBe(true);
    // The task as Task Scheduler keeps it (UTF-16LE with a byte order mark).
    const xml = await fsp.readFile(drive(STAND_IN, 'schtasks-task.xml'));
    expect([...xml.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(xml.toString('utf16le')).toMatch(/<Arguments>[^<]*update --auto[^<]*<\/Arguments>/);
    const off = await wslk(['update-config', '--auto-update', 'off']);
    expect(off.json, off.json.message).toMatchObject({ ok: true });
    expect(off.json.update?.scheduledTask?.registered ?? false).toBe(false);
    expect(await fsp.stat(drive(STAND_IN, 'schtasks-task.xml')).catch(() => null)).toBeNull();
  });

  it('machine policy: a feed set under HKLM\\SOFTWARE\\Policies wins, and changing it is refused', async () => {
    await regImport(`Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\WslKernelSetup]\r\n"FeedUrl"="${FEED.replace(/\\/g, '\\\\')}"\r\n`);
    const r = await wslk(['update-config', '--feed', 'C:\\elsewhere']);
    expect(r.json).toMatchObject({ ok: false, code: 'managed-by-policy' });
    const check = await wslk(['check-update', '--root', ROOT]);
    expect(check.json, check.json.message).toMatchObject({ ok: true });
  });
});
