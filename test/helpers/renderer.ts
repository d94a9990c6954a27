/**
 * Test helpers for the renderer: `window.wslk` backed by the real handlers and engine on a
 * sandbox folder (the same path the Electron preload and the e2e host take), or a scripted API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { configure, fireEvent, screen, waitFor } from '@testing-library/react';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers, invokeChannel } from '../../src/main/app/handlers';
import type { Dialogs } from '../../src/main/app/handlers';
import { Engine } from '../../src/main/engine/engine';
import { initSandbox } from '../../src/main/engine/sandbox/presets';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import { bundledPayloadFinder } from '../../src/main/engine/open-machine';
import { createApi } from '../../src/shared/ipc';
import type { AppEvent, Channel, EntryScreen, IpcResult, WslkApi } from '../../src/shared/ipc';
import { resetScreens } from '../../src/renderer/src/events';
import { useApp } from '../../src/renderer/src/stores/app-store';

// The real engine hashes kernels and writes files: give screens time to update on a busy machine.
configure({ asyncUtilTimeout: 15_000 });

export interface RealApi {
  api: WslkApi;
  dir: string;
  engine(): Engine;
  calls: { channel: Channel; request: unknown }[];
  emit(event: AppEvent): void;
  readyCalls: number;
  cleanup(): Promise<void>;
}

export async function realApi(preset: string, opts: { entry?: EntryScreen; dialogs?: Partial<Dialogs> } = {}): Promise<RealApi> {
  const work = await mkdtemp(join(tmpdir(), 'wslk-renderer-'));
  const dir = join(work, 'machine');
  await initSandbox(dir, preset);
  let engine = new Engine(await openSandbox(dir), { bundledPayload: bundledPayloadFinder([]) });
  const listeners = new Set<(e: AppEvent) => void>();
  const emit = (e: AppEvent) => listeners.forEach((l) => l(e));
  const handlers = createHandlers({
    getEngine: () => engine,
    entry: opts.entry ?? 'install',
    dialogs: { openFile: async () => null, saveFile: async () => null, pickFolder: async () => null, ...opts.dialogs },
    emit,
    relaunchElevated: async () => 'unsupported',
    setMachine: async (d) => {
      engine = new Engine(await openSandbox(d), { bundledPayload: bundledPayloadFinder([]) });
      return { kind: 'sandbox', label: `sandbox ${d}`, root: d };
    },
    version: '9.9.9',
  });
  // Calls still running when a test ends (a screen's effect asked for the status) finish before the folder goes.
  const inFlight = new Set<Promise<unknown>>();
  const out: RealApi = {
    dir,
    engine: () => engine,
    calls: [],
    emit,
    readyCalls: 0,
    api: createApi({
      invoke: (channel, request) => {
        out.calls.push({ channel, request });
        // Through JSON, as across the real IPC boundary.
        const call = invokeChannel(handlers, channel, JSON.parse(JSON.stringify(request))).then((r) => JSON.parse(JSON.stringify(r)) as unknown);
        inFlight.add(call);
        void call.finally(() => inFlight.delete(call)).catch(() => undefined);
        return call;
      },
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      ready: () => {
        out.readyCalls++;
      },
    }),
    cleanup: async () => {
      await Promise.allSettled([...inFlight]);
      await rm(work, { recursive: true, force: true, maxRetries: 3 });
    },
  };
  return out;
}

/** An API whose channels answer from a table (for screens whose engine state is hard to build). */
export function scriptedApi(answers: Partial<{ [C in Channel]: (request: unknown) => IpcResult<unknown> }>): { api: WslkApi; calls: { channel: Channel; request: unknown }[] } {
  const calls: { channel: Channel; request: unknown }[] = [];
  const api = createApi({
    invoke: async (channel, request) => {
      calls.push({ channel, request });
      const answer = answers[channel];
      if (!answer) return { ok: false, error: { code: 'usage', title: 'Not scripted', message: channel, remedy: '' } };
      return answer(request);
    },
    subscribe: () => () => undefined,
    ready: () => undefined,
  });
  return { api, calls };
}

export function installApi(api: WslkApi | undefined): void {
  (window as unknown as { wslk?: WslkApi }).wslk = api;
}

/** Put every store back to its first state. */
export function resetStores(): void {
  resetScreens();
  useApp.setState({
    info: null,
    section: 'install',
    loading: false,
    error: null,
    elevationDismissed: false,
    elevation: { busy: false, outcome: null, error: null },
    sandbox: { busy: false, error: null },
    machineVersion: 0,
  });
}

/** Click the button with this name once it is enabled (screens disable buttons while they work). */
export async function clickButton(name: string | RegExp): Promise<void> {
  const button = await screen.findByRole('button', { name });
  await waitFor(() => {
    if ((button as HTMLButtonElement).disabled) throw new Error(`${String(name)} is disabled`);
  });
  fireEvent.click(button);
}
