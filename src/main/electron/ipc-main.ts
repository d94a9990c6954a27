/**
 * The one IPC wrapper of the Electron main process: every channel of the contract is registered
 * here, and every request is checked before it reaches the engine.
 *
 * A request is answered only when it comes from the main frame of our window while that frame
 * shows our own page (the built index.html, or the dev server). Then `invokeChannel` parses it
 * with the channel's zod schema and runs the handler. No Electron import: the wrapper takes
 * ipcMain as a parameter, so tests can record what is registered and call it with hostile input.
 */
import { invokeChannel } from '../app/handlers';
import type { Handlers } from '../app/handlers';
import { CHANNEL_NAMES, IPC_INVOKE_PREFIX, IPC_READY_CHANNEL } from '../../shared/ipc';
import type { EventQueue } from '../app/event-queue';
import { isAppUrl } from '../app/security';
import type { RendererLocation } from '../app/security';

/** What the wrapper needs to know about a frame (Electron's WebFrameMain has all of it). */
export interface FrameLike {
  readonly url: string;
  readonly processId: number;
  readonly routingId: number;
  readonly parent: unknown;
}

/** The part of an IPC event the sender check reads. */
export interface SenderEvent {
  readonly senderFrame: FrameLike | null;
}

/** The part of Electron's ipcMain the wrapper uses. */
export interface IpcMainPort {
  handle(channel: string, listener: (event: SenderEvent, request?: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: SenderEvent) => void): unknown;
  removeListener(channel: string, listener: (event: SenderEvent) => void): unknown;
}

export interface IpcOptions {
  handlers: Handlers;
  /** The main frame of our window, or null while there is none. */
  mainFrame(): FrameLike | null;
  location: RendererLocation;
  events: EventQueue;
  /** A handler threw something that is not a KernelSetupError (a bug), for the log. */
  onUnexpected?(err: unknown, channel: string): void;
  /** A request was refused because of its sender, for the log. */
  onRefused?(channel: string, url: string | null): void;
}

export interface IpcRegistration {
  /** The Electron channel names registered (invoke channels and the ready signal). */
  readonly channels: readonly string[];
  /** Requests being answered right now. */
  inFlight(): number;
  dispose(): void;
}

/** Thrown to the renderer for a request from a frame that is not ours. */
export class UntrustedSenderError extends Error {
  constructor(channel: string) {
    super(`Refused "${channel}": the request did not come from the app's own window.`);
    this.name = 'UntrustedSenderError';
  }
}

/**
 * True when the event comes from our window's main frame showing our page: not from a subframe,
 * another window, or our frame after it navigated elsewhere.
 */
export function isTrustedSender(event: SenderEvent, mainFrame: FrameLike | null, location: RendererLocation): boolean {
  const frame = event.senderFrame;
  if (!frame || !mainFrame) return false;
  if (frame.parent !== null) return false;
  if (frame.processId !== mainFrame.processId || frame.routingId !== mainFrame.routingId) return false;
  return isAppUrl(frame.url, location);
}

/** Register every channel of CHANNEL_NAMES and the ready signal on `ipcMain`. */
export function registerIpc(ipcMain: IpcMainPort, opts: IpcOptions): IpcRegistration {
  let pending = 0;
  const registered: string[] = [];

  for (const name of CHANNEL_NAMES) {
    const channel = IPC_INVOKE_PREFIX + name;
    ipcMain.handle(channel, async (event, request) => {
      if (!isTrustedSender(event, opts.mainFrame(), opts.location)) {
        opts.onRefused?.(channel, event.senderFrame?.url ?? null);
        throw new UntrustedSenderError(channel);
      }
      pending++;
      try {
        return await invokeChannel(opts.handlers, name, request, opts.onUnexpected ? { onUnexpected: opts.onUnexpected } : {});
      } finally {
        pending--;
      }
    });
    registered.push(channel);
  }

  const onReady = (event: SenderEvent) => {
    if (!isTrustedSender(event, opts.mainFrame(), opts.location)) {
      opts.onRefused?.(IPC_READY_CHANNEL, event.senderFrame?.url ?? null);
      return;
    }
    opts.events.markReady();
  };
  ipcMain.on(IPC_READY_CHANNEL, onReady);
  registered.push(IPC_READY_CHANNEL);

  return {
    channels: registered,
    inFlight: () => pending,
    dispose() {
      for (const name of CHANNEL_NAMES) ipcMain.removeHandler(IPC_INVOKE_PREFIX + name);
      ipcMain.removeListener(IPC_READY_CHANNEL, onReady);
    },
  };
}
