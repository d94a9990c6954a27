/**
 * Every IPC handler main registers goes through the sender check and the channel's schema.
 *
 * The register function of src/main/electron/ipc-main.ts runs against a fake ipcMain that records what is
 * registered; each recorded handler is then called from untrusted frames and with malformed
 * requests. A channel registered without the check, or whose schema accepts junk, fails here.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../src/main/app/handlers';
import type { Handlers } from '../../../src/main/app/handlers';
import { EventQueue } from '../../../src/main/app/event-queue';
import { UntrustedSenderError, registerIpc } from '../../../src/main/electron/ipc-main';
import type { FrameLike, IpcMainPort, SenderEvent } from '../../../src/main/electron/ipc-main';
import type { RendererLocation } from '../../../src/main/app/security';
import { CHANNEL_NAMES, IPC_INVOKE_PREFIX, IPC_READY_CHANNEL, channels } from '../../../src/shared/ipc';
import type { AppEvent, Channel } from '../../../src/shared/ipc';
import { ROOT, sandbox } from '../../helpers/sandbox';

type Invoke = (event: SenderEvent, request?: unknown) => Promise<unknown>;
type Listener = (event: SenderEvent) => void;

/** An ipcMain that records registrations. */
class FakeIpcMain implements IpcMainPort {
  readonly handlers = new Map<string, Invoke>();
  readonly listeners = new Map<string, Listener[]>();
  handle(channel: string, listener: Invoke): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: Listener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((l) => l !== listener));
    return this;
  }
}

const INDEX = join(ROOT, 'out', 'renderer', 'index.html');
const LOCATION: RendererLocation = { kind: 'file', indexHtml: INDEX };
const APP_URL = `file://${INDEX}`;
const mainFrame: FrameLike = { url: APP_URL, processId: 4, routingId: 1, parent: null };

/** Senders that must all be refused. */
const UNTRUSTED: Record<string, SenderEvent> = {
  'no frame (destroyed or navigated)': { senderFrame: null },
  'a subframe of our page': { senderFrame: { url: APP_URL, processId: 4, routingId: 7, parent: mainFrame } },
  'another window with our page': { senderFrame: { url: APP_URL, processId: 9, routingId: 1, parent: null } },
  'our frame showing a remote page': { senderFrame: { ...mainFrame, url: 'https://example.com/' } },
  'our frame showing another local file': { senderFrame: { ...mainFrame, url: 'file:///etc/passwd' } },
  'our frame showing a data: URL': { senderFrame: { ...mainFrame, url: 'data:text/html,<script>1</script>' } },
};
const TRUSTED: SenderEvent = { senderFrame: mainFrame };

/** Requests no channel may accept: unknown keys (every schema is strict) and non-objects. */
const BAD_PAYLOADS: unknown[] = [{ unexpected: true }, { payloadId: '../../etc/passwd', path: '/etc/shadow' }, 'install', 42, ['x'], true];

/** Handlers that record calls, for every channel of the contract. */
function recordingHandlers(calls: Channel[]): Handlers {
  const out: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const name of CHANNEL_NAMES) {
    out[name] = async () => {
      calls.push(name);
      return { called: name };
    };
  }
  return out as unknown as Handlers;
}

function setup(handlers: Handlers) {
  const ipc = new FakeIpcMain();
  const delivered: AppEvent[] = [];
  const events = new EventQueue((e) => {
    delivered.push(e);
    return true;
  });
  const refused: string[] = [];
  const registration = registerIpc(ipc, {
    handlers,
    mainFrame: () => mainFrame,
    location: LOCATION,
    events,
    onRefused: (channel) => refused.push(channel),
  });
  return { ipc, events, delivered, refused, registration };
}

describe('every IPC handler checks its sender and its schema', () => {
  const calls: Channel[] = [];
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    calls.length = 0;
    ctx = setup(recordingHandlers(calls));
  });

  it('registers exactly the channels of the contract (plus the ready signal)', () => {
    expect([...ctx.ipc.handlers.keys()].sort()).toEqual(CHANNEL_NAMES.map((c) => IPC_INVOKE_PREFIX + c).sort());
    expect([...ctx.ipc.listeners.keys()]).toEqual([IPC_READY_CHANNEL]);
    expect(ctx.registration.channels).toHaveLength(CHANNEL_NAMES.length + 1);
    expect(CHANNEL_NAMES.length).toBeGreaterThanOrEqual(18);
  });

  /** The smallest well-formed request: empty, except for channels with a required field. */
  const wellFormed = (name: Channel): object => (name === 'openSettings' ? { page: 'windows-update' } : {});

  for (const name of CHANNEL_NAMES) {
    it(`${name}: refuses untrusted senders, refuses malformed requests, runs for our page`, async () => {
      const invoke = ctx.ipc.handlers.get(IPC_INVOKE_PREFIX + name)!;
      for (const [label, event] of Object.entries(UNTRUSTED)) {
        await expect(invoke(event, {}), label).rejects.toBeInstanceOf(UntrustedSenderError);
      }
      expect(ctx.refused).toHaveLength(Object.keys(UNTRUSTED).length);
      for (const bad of BAD_PAYLOADS) {
        const result = (await invoke(TRUSTED, bad)) as { ok: boolean; error?: { code: string } };
        expect(result, JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'usage' } });
      }
      expect(calls).toEqual([]);
      // The same handler does run for our own page with a well-formed request.
      expect(await invoke(TRUSTED, wellFormed(name))).toEqual({ ok: true, value: { called: name } });
      expect(calls).toEqual([name]);
    });
  }

  it('every channel schema is strict (unknown keys are refused before any handler runs)', () => {
    for (const name of CHANNEL_NAMES) {
      expect(channels[name].safeParse({ ...wellFormed(name), zz: 1 }).success, name).toBe(false);
      expect(channels[name].safeParse(wellFormed(name)).success, name).toBe(true);
    }
  });

  it('the ready signal is honoured only from our page', () => {
    ctx.events.emit({ type: 'machine-changed', machine: { kind: 'sandbox', label: 'x', root: '/x' } });
    const [ready] = ctx.ipc.listeners.get(IPC_READY_CHANNEL)!;
    for (const event of Object.values(UNTRUSTED)) ready!(event);
    expect(ctx.events.ready).toBe(false);
    expect(ctx.delivered).toEqual([]);
    ready!(TRUSTED);
    expect(ctx.events.ready).toBe(true);
    expect(ctx.delivered).toHaveLength(1);
  });

  it('dispose removes every registration', () => {
    ctx.registration.dispose();
    expect(ctx.ipc.handlers.size).toBe(0);
    expect(ctx.ipc.listeners.get(IPC_READY_CHANNEL)).toEqual([]);
  });
});

describe('the real handlers behind the wrapper', () => {
  let box: Awaited<ReturnType<typeof sandbox>>;
  beforeEach(async () => {
    box = await sandbox('installed');
  });
  afterEach(async () => {
    await box.cleanup();
  });

  it('answer our page with the engine and refuse anyone else before the engine is touched', async () => {
    const handlers = createHandlers({
      getEngine: () => box.engine,
      entry: 'settings',
      dialogs: { openFile: async () => null, saveFile: async () => null, pickFolder: async () => null },
      emit: () => undefined,
      relaunchElevated: async () => 'unsupported',
      setMachine: async () => {
        throw new Error('not in this test');
      },
      version: '0.0.0',
    });
    expect(Object.keys(handlers).sort()).toEqual([...CHANNEL_NAMES].sort());
    const { ipc } = setup(handlers);
    const rollback = ipc.handlers.get(`${IPC_INVOKE_PREFIX}rollback`)!;
    await expect(rollback(UNTRUSTED['our frame showing a remote page']!, {})).rejects.toBeInstanceOf(UntrustedSenderError);
    expect((await box.engine.status()).status?.rollbackActive).toBe(false);
    const status = (await ipc.handlers.get(`${IPC_INVOKE_PREFIX}status`)!(TRUSTED, {})) as { ok: boolean; value: { status: { kernel: { present: boolean } } } };
    expect(status.ok).toBe(true);
    expect(status.value.status.kernel.present).toBe(true);
  });
});

describe('no IPC registration outside the wrapper', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
    });
  }

  it('only src/main/electron/ipc-main.ts registers handlers on ipcMain, and the preload uses only the contract channels', () => {
    const offenders: string[] = [];
    for (const file of sources(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      const rel = relative(ROOT, file);
      if (/ipcMain\s*\.\s*(handle|handleOnce|on|once|addListener|prependListener)\s*\(/.test(text) && rel !== join('src', 'main', 'electron', 'ipc-main.ts')) offenders.push(rel);
      const usesIpcRenderer = /import\s*\{[^}]*\bipcRenderer\b[^}]*\}\s*from\s*['"]electron['"]|\.ipcRenderer\b/.test(text);
      if (usesIpcRenderer && rel !== join('src', 'main', 'electron', 'preload.ts')) offenders.push(rel);
      if (/exposeInMainWorld\s*\(/.test(text) && rel !== join('src', 'main', 'electron', 'preload.ts')) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });
});
