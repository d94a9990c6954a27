/**
 * The preload exposes only the domain API: one method per channel on fixed channel names, an
 * event subscription that returns its unsubscribe, and the ready signal. No ipcRenderer.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_PREFIX, IPC_READY_CHANNEL } from '../../../src/shared/ipc';
import { FIRST_QUESTIONS } from '../../../src/shared/ipc-api';
import type { AppEvent, WslkApi } from '../../../src/shared/ipc';

const fake = vi.hoisted(() => {
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  return {
    exposed: new Map<string, unknown>(),
    invoked: [] as [string, unknown][],
    sent: [] as string[],
    listeners,
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => fake.exposed.set(key, value) },
  ipcRenderer: {
    invoke: async (channel: string, request: unknown) => {
      fake.invoked.push([channel, request]);
      return { ok: true, value: channel };
    },
    send: (channel: string) => fake.sent.push(channel),
    on: (channel: string, fn: (...args: unknown[]) => void) => fake.listeners.set(channel, [...(fake.listeners.get(channel) ?? []), fn]),
    removeListener: (channel: string, fn: (...args: unknown[]) => void) =>
      fake.listeners.set(
        channel,
        (fake.listeners.get(channel) ?? []).filter((l) => l !== fn),
      ),
  },
}));

let api: WslkApi;
beforeAll(async () => {
  await import('../../../src/main/electron/preload');
  api = fake.exposed.get('wslk') as WslkApi;
});

describe('the preload', () => {
  it('exposes one object, window.wslk, with exactly the contract’s methods', () => {
    expect([...fake.exposed.keys()]).toEqual(['wslk']);
    expect(Object.keys(api).sort()).toEqual([...CHANNEL_NAMES, 'onEvent', 'ready'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipcRenderer|invoke|send/);
  });

  it('invokes each method on its own fixed channel; the first screen\'s questions were asked as it loaded', async () => {
    // Asked at load, before the page called anything: the answers travel while the page parses.
    expect(fake.invoked).toEqual(FIRST_QUESTIONS.map((c) => [IPC_INVOKE_PREFIX + c, {}]));
    for (const name of CHANNEL_NAMES) {
      const call = api[name] as (request: unknown) => Promise<unknown>;
      expect(await call({})).toEqual({ ok: true, value: IPC_INVOKE_PREFIX + name });
    }
    // Their first calls took the early answers; every other channel was asked once, on its own name.
    const asked = [...FIRST_QUESTIONS, ...CHANNEL_NAMES.filter((c) => !FIRST_QUESTIONS.includes(c))];
    expect(fake.invoked.map(([channel]) => channel)).toEqual(asked.map((c) => IPC_INVOKE_PREFIX + c));
    // Used once: the next call asks again.
    await (api.status as (request: unknown) => Promise<unknown>)({});
    expect(fake.invoked.at(-1)).toEqual([IPC_INVOKE_PREFIX + 'status', {}]);
  });

  it('delivers events without the Electron event object, and unsubscribes', () => {
    const seen: AppEvent[] = [];
    const off = api.onEvent((e) => seen.push(e));
    const event: AppEvent = { type: 'machine-changed', machine: { kind: 'sandbox', label: 's', root: '/s' } };
    for (const l of fake.listeners.get(IPC_EVENT_CHANNEL)!) l({ sender: 'electron internals' }, event);
    expect(seen).toEqual([event]);
    off();
    expect(fake.listeners.get(IPC_EVENT_CHANNEL)).toEqual([]);
  });

  it('signals ready on the ready channel', () => {
    api.ready();
    expect(fake.sent).toEqual([IPC_READY_CHANNEL]);
  });
});
