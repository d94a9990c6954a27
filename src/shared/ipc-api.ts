/**
 * The IPC contract as the preload and the renderer see it, without zod: channel names, request and
 * response types, the `window.wslk` API shape and createApi. The schemas main parses every request
 * with live in ipc.ts.
 */
import type { ErrorCode } from './errors';
import type { SettingsPage } from './remedies';
import type { CommandResult, HistoryEntry, PayloadInfo, Progress, UpdateCheck } from './types';

export type { SettingsPage };

/** Every channel, in the order of the contract (ipc.ts checks that its schemas match). */
export const CHANNEL_NAMES = [
  'info',
  'status',
  'precheck',
  'plan',
  'install',
  'cancel',
  'rollback',
  'undoRollback',
  'shutdownWsl',
  'verify',
  'history',
  'availability',
  'diagnose',
  'repair',
  'pickPayload',
  'pickMsi',
  'saveBundle',
  'pickSandbox',
  'relaunchElevated',
  'updates',
  'checkUpdate',
  'installUpdate',
  'setUpdates',
  'openSettings',
  'restartWindows',
  'enableFeatures',
  'useDefault',
] as const;

export type Channel = (typeof CHANNEL_NAMES)[number];

type Empty = Record<string, never>;
interface InstallRequest {
  payloadId?: string;
  force?: boolean;
  allowDowngrade?: boolean;
  /** Store WSL: install a kernel older than WSL's own. */
  allowOlder?: boolean;
  /** Store WSL: replace a kernel the user's .wslconfig names that the tool does not own. */
  takeOver?: boolean;
}

/** What each channel takes; ipc.ts checks at compile time that its schemas accept exactly these. */
export interface Requests {
  info: Empty;
  status: Empty;
  precheck: { payloadId?: string };
  plan: InstallRequest;
  install: InstallRequest;
  cancel: Empty;
  /** `restart`: restart WSL and check the kernel rolled back to boots (the fallback after a failed boot check). */
  rollback: { restart?: boolean };
  undoRollback: Empty;
  shutdownWsl: Empty;
  /** Start WSL and check it runs the kernel it should boot (docs/design.md §10). */
  verify: Empty;
  history: { limit?: number };
  availability: Empty;
  diagnose: { error?: string };
  repair: { fix?: string; msiId?: string };
  pickPayload: Empty;
  pickMsi: Empty;
  saveBundle: Empty;
  pickSandbox: Empty;
  relaunchElevated: Empty;
  updates: Empty;
  checkUpdate: Empty;
  installUpdate: { version?: string };
  setUpdates: { channel?: 'stable' | 'preview'; autoUpdate?: boolean; hold?: string | null };
  openSettings: { page: SettingsPage };
  restartWindows: Empty;
  enableFeatures: Empty;
  useDefault: Empty;
}

export type RequestOf<C extends Channel> = Requests[C];

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
  /** Windows Settings pages and a Windows restart can be opened from here (Electron on Windows). */
  systemActions: boolean;
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
  verify: CommandResult;
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
  openSettings: { opened: boolean; uri: string };
  restartWindows: { restarting: boolean; message: string };
  enableFeatures: CommandResult;
  useDefault: CommandResult;
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
  /**
   * Only in the browser host, which has no native dialogs: send a file the user chose in the page
   * into the host's work folder, or name a sandbox folder; the next pickPayload / pickMsi /
   * pickSandbox call returns it (the host validates it as the native dialog's answer would be).
   */
  browserHost?: {
    upload(kind: 'payload' | 'msi', file: Blob, name: string): Promise<{ ok: true } | { ok: false; message: string }>;
    chooseFolder(path: string): Promise<{ ok: true } | { ok: false; message: string }>;
  };
};

export const IPC_INVOKE_PREFIX = 'wslk:';
export const IPC_EVENT_CHANNEL = 'wslk:event';
export const IPC_READY_CHANNEL = 'wslk:ready';

/**
 * The first screen's questions (which machine, what is installed, what installing does). The
 * preload and the browser host's bridge ask them as they load, so the answers travel while the
 * page's code is still being parsed; the renderer's first call of each, with no argument, takes
 * the answer already on its way.
 */
export const FIRST_QUESTIONS: readonly Channel[] = ['info', 'status', 'plan'];

/**
 * Build the API object from a transport (Electron's ipcRenderer in the preload, or a test host).
 * `prefetch`: channels asked at once with no argument; an early answer is used once, and only if
 * it succeeded (a refusal is asked again, so asking early can never make an answer worse).
 */
export function createApi(
  transport: {
    invoke(channel: Channel, request: unknown): Promise<unknown>;
    subscribe(listener: (event: AppEvent) => void): () => void;
    ready(): void;
  },
  opts: { prefetch?: readonly Channel[] } = {},
): WslkApi {
  const early = new Map<Channel, Promise<unknown>>();
  for (const name of opts.prefetch ?? []) early.set(name, transport.invoke(name, {}).catch(() => null));
  const api: Record<string, unknown> = {};
  for (const name of CHANNEL_NAMES) {
    api[name] = async (request: unknown) => {
      const req = request ?? {};
      const first = early.get(name);
      if (first && typeof req === 'object' && Object.keys(req).length === 0) {
        early.delete(name);
        const answer = await first;
        if ((answer as { ok?: unknown } | null)?.ok === true) return answer;
      }
      return transport.invoke(name, req);
    };
  }
  api.onEvent = (listener: (event: AppEvent) => void) => transport.subscribe(listener);
  api.ready = () => transport.ready();
  return api as WslkApi;
}
