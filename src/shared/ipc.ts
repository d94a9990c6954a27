/**
 * The one IPC contract between the renderer and main: channel → request schema (zod) → response.
 *
 * The preload turns it into `window.wslk`, one method per action (createApi below); main parses
 * every request with the channel's schema. The renderer never names a path: files the user picks
 * come from a main-process dialog and are referred to by an opaque id.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors';
import type { CommandResult, HistoryEntry, PayloadInfo, Progress, UpdateCheck } from './types';

/** An opaque reference to a file the user picked in a main-process dialog. */
export const fileId = z.string().regex(/^[a-f0-9]{32}$/);

const empty = z.object({}).strict();
const installRequest = z
  .object({
    payloadId: fileId.optional(),
    force: z.boolean().optional(),
    allowDowngrade: z.boolean().optional(),
  })
  .strict();

export const channels = {
  /** Which machine, which screen to open, the bundled payload. */
  info: empty,
  status: empty,
  precheck: z.object({ payloadId: fileId.optional() }).strict(),
  /** What an install would change, without changing anything. */
  plan: installRequest,
  install: installRequest,
  /** Cancel the running install (honoured before its commit point only). */
  cancel: empty,
  rollback: empty,
  undoRollback: empty,
  shutdownWsl: empty,
  history: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  /** Whether Rollback / Undo rollback are possible now, and why not. */
  availability: empty,
  diagnose: empty,
  repair: z.object({ fix: z.string().regex(/^[a-z0-9-]{1,64}$/).optional(), msiId: fileId.optional() }).strict(),
  /** Open-file dialogs in main; they return an id, never a path the renderer could write to. */
  pickPayload: empty,
  pickMsi: empty,
  /** Save-file dialog in main, then write the diagnostics bundle there. */
  saveBundle: empty,
  /** Choose another sandbox folder (sandbox mode only). */
  pickSandbox: empty,
  /** Relaunch elevated (Windows). A cancelled UAC prompt is an outcome, not an error. */
  relaunchElevated: empty,
  /** Update settings as they stand (feed, channel, hold, managed by policy, last check): no network. */
  updates: empty,
  /** Ask the feed for a newer kernel (docs/design.md §12). */
  checkUpdate: empty,
  /** Download, verify and install the offered kernel (or `version`) through the normal install. */
  installUpdate: z.object({ version: z.string().regex(/^\d+(\.\d+){1,5}$/).optional() }).strict(),
  /** Change the user's update settings; values set by machine policy are refused (managed-by-policy). */
  setUpdates: z
    .object({
      channel: z.enum(['stable', 'preview']).optional(),
      autoUpdate: z.boolean().optional(),
      hold: z.union([z.string().regex(/^\d+(\.\d+){1,5}$/), z.null()]).optional(),
    })
    .strict(),
} as const;

export type Channel = keyof typeof channels;
export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]>;

export type EntryScreen = 'install' | 'settings' | 'repair';

export interface MachineInfo {
  kind: 'windows' | 'sandbox';
  label: string;
  /** The sandbox folder (shown in the Sandbox badge). */
  root: string | null;
}

export interface AppInfo {
  machine: MachineInfo;
  entry: EntryScreen;
  platform: string;
  version: string;
  elevated: boolean;
  /** True on Windows when not elevated: the app shows "Restart as administrator". */
  needsElevation: boolean;
  /** The kernel the wizard installs by default, or why there is none. */
  bundled: PayloadInfo | null;
  bundledError: { code: ErrorCode; message: string } | null;
}

export interface PickedFile {
  id: string;
  name: string;
  /** For payloads: what the file holds (read by main). */
  payload?: PayloadInfo;
  error?: { code: ErrorCode; message: string };
}

export interface Availability {
  rollback: { code: ErrorCode; message: string } | null;
  undo: { code: ErrorCode; message: string } | null;
}

export interface Responses {
  info: AppInfo;
  status: CommandResult;
  precheck: CommandResult;
  plan: CommandResult;
  install: CommandResult;
  cancel: { cancelled: boolean };
  rollback: CommandResult;
  undoRollback: CommandResult;
  shutdownWsl: CommandResult;
  history: HistoryEntry[];
  availability: Availability;
  diagnose: CommandResult;
  repair: CommandResult;
  pickPayload: PickedFile | null;
  pickMsi: PickedFile | null;
  saveBundle: { path: string } | null;
  pickSandbox: MachineInfo | null;
  relaunchElevated: { outcome: 'relaunched' | 'cancelled' | 'unsupported' };
  updates: UpdateCheck;
  checkUpdate: CommandResult;
  installUpdate: CommandResult;
  setUpdates: CommandResult;
}

/** What crosses the IPC boundary: a value, or a typed error with its human text. */
export type IpcResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: ErrorCode; title: string; message: string; remedy: string } };

export type AppEvent = { type: 'progress'; progress: Progress } | { type: 'machine-changed'; machine: MachineInfo };

/** The API the preload exposes as `window.wslk`: one method per channel, plus events. */
export type WslkApi = {
  [C in Channel]: (request: RequestOf<C>) => Promise<IpcResult<Responses[C]>>;
} & {
  /** Subscribe to events (progress, machine changes); returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Tell main the renderer listens: events queued before this are delivered then. */
  ready(): void;
};

export const IPC_INVOKE_PREFIX = 'wslk:';
export const IPC_EVENT_CHANNEL = 'wslk:event';
export const IPC_READY_CHANNEL = 'wslk:ready';

export const CHANNEL_NAMES = Object.keys(channels) as Channel[];

/** Build the API object from a transport (Electron's ipcRenderer in the preload, or a test host). */
export function createApi(transport: {
  invoke(channel: Channel, request: unknown): Promise<unknown>;
  subscribe(listener: (event: AppEvent) => void): () => void;
  ready(): void;
}): WslkApi {
  const api: Record<string, unknown> = {};
  for (const name of CHANNEL_NAMES) {
    api[name] = (request: unknown) => transport.invoke(name, request ?? {});
  }
  api.onEvent = (listener: (event: AppEvent) => void) => transport.subscribe(listener);
  api.ready = () => transport.ready();
  return api as WslkApi;
}
