/**
 * The one IPC contract between the renderer and main: channel → request schema (zod) → response.
 *
 * Main parses every request with the channel's schema. The preload and the renderer import only
 * ipc-api.ts (types, channel names, createApi), so zod stays out of their bundles. The renderer
 * never names a path: files the user picks come from a main-process dialog and are referred to by
 * an opaque id.
 */
import { z } from 'zod';
import type { Channel, Requests } from './ipc-api';
import { SETTINGS_PAGES } from './remedies';
import type { SettingsPage } from './remedies';

export * from './ipc-api';

/** The most characters a pasted error may have here; the engine bounds its bytes (64 KiB). */
const PASTED_TEXT_MAX_CHARS = 64 * 1024;

/** An opaque reference to a file the user picked in a main-process dialog. */
export const fileId = z.string().regex(/^[a-f0-9]{32}$/);

const empty = z.object({}).strict();
const installRequest = z
  .object({
    payloadId: fileId.optional(),
    force: z.boolean().optional(),
    allowDowngrade: z.boolean().optional(),
    allowOlder: z.boolean().optional(),
    takeOver: z.boolean().optional(),
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
  rollback: z.object({ restart: z.boolean().optional() }).strict(),
  undoRollback: empty,
  shutdownWsl: empty,
  verify: empty,
  history: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  /** Whether Rollback / Undo rollback are possible now, and why not. */
  availability: empty,
  /** With `error`: what an error message the user pasted means on this machine (docs/design.md §13). */
  diagnose: z.object({ error: z.string().max(PASTED_TEXT_MAX_CHARS).optional() }).strict(),
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
  /** Open one of the allow-listed Windows Settings pages (shared/remedies.ts), by id, never by URI. */
  openSettings: z.object({ page: z.enum(Object.keys(SETTINGS_PAGES) as [SettingsPage, ...SettingsPage[]]) }).strict(),
  /** Restart Windows (after the user confirmed it in the page). */
  restartWindows: empty,
  /** Turn on WSL and Virtual Machine Platform where they are off (after the user confirmed it). */
  enableFeatures: empty,
  /** Store WSL: the signed-in user's .wslconfig as before the tool's first install (WSL's own kernel). */
  useDefault: empty,
} as const satisfies Record<Channel, z.ZodType>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mismatched = { [C in Channel]: Same<z.input<(typeof channels)[C]>, Requests[C]> extends true ? never : C }[Channel];
/** Fails to compile when a schema and its request type in ipc-api.ts disagree (names the channel). */
export type RequestsMatchSchemas = [Mismatched] extends [never] ? true : { mismatched: Mismatched };
export const requestsMatchSchemas: RequestsMatchSchemas = true;
