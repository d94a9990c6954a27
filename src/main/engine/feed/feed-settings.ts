/**
 * Update settings (docs/design.md §12): the user's choices in the state folder, and machine policy in
 * `HKLM\SOFTWARE\Policies\WslKernelSetup` (FeedUrl, Channel, AutoUpdate, HoldVersion), read through
 * the Machine's registry like WSL's own policies. A policy value wins over the user's setting.
 */
import { join } from 'node:path';
import * as z from 'zod/mini';
import { KernelSetupError } from '../../../shared/errors';
import type { UpdateManaged } from '../../../shared/types';
import { writeFileAtomic } from '../machine/atomic-write';
import type { Machine, RegValue } from '../machine/machine';
import type { Channel } from './feed-format';

export const POLICY_KEY = 'SOFTWARE\\Policies\\WslKernelSetup';

const VERSION = z.string().check(z.regex(/^\d+(\.\d+){1,5}$/));

const settingsSchema = z.object({
  feedUrl: z.nullable(z.string().check(z.maxLength(2048))),
  /** The feed's trusted root.json for a feed other than the shipped one (set by an administrator). */
  rootFile: z.nullable(z.string().check(z.maxLength(2048))),
  channel: z.enum(['stable', 'preview']),
  autoUpdate: z.boolean(),
  hold: z.nullable(VERSION),
  lastCheck: z.optional(
    z.nullable(
      z.object({
        at: z.string(),
        ok: z.boolean(),
        offered: z.nullable(z.string()),
        code: z.nullable(z.string()),
        message: z.string().check(z.maxLength(2000)),
      }),
    ),
  ),
});
export type UpdateSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: UpdateSettings = { feedUrl: null, rootFile: null, channel: 'stable', autoUpdate: false, hold: null, lastCheck: null };

export function settingsPath(machine: Machine): string {
  return join(machine.stateDir, 'update-settings.json');
}

export async function readSettings(machine: Machine): Promise<UpdateSettings> {
  const path = settingsPath(machine);
  let raw: Buffer;
  try {
    raw = await machine.fs.readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(DEFAULT_SETTINGS);
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(raw.toString('utf8'));
  } catch {
    data = null;
  }
  const parsed = settingsSchema.safeParse(data);
  if (!parsed.success) throw new KernelSetupError('invalid-machine', `The update settings file ${path} is damaged; delete it to start over.`, { path });
  return parsed.data;
}

export async function writeSettings(machine: Machine, settings: UpdateSettings): Promise<void> {
  await machine.fs.mkdir(machine.stateDir);
  await writeFileAtomic(machine.fs, settingsPath(machine), Buffer.from(JSON.stringify(settings, null, 2) + '\n'));
}

export async function updateSettings(machine: Machine, change: (s: UpdateSettings) => void): Promise<UpdateSettings> {
  const s = await readSettings(machine);
  change(s);
  await writeSettings(machine, s);
  return s;
}

export interface Policy {
  feedUrl?: string;
  channel?: Channel;
  autoUpdate?: boolean;
  hold?: string;
}

function str(v: RegValue | null): string | undefined {
  return v && (v.type === 'REG_SZ' || v.type === 'REG_EXPAND_SZ') && v.data.trim() ? v.data.trim() : undefined;
}

/** The policy values that are set and valid; a malformed value is ignored, as Windows does. */
export async function readPolicy(machine: Machine): Promise<Policy> {
  const reg = machine.registry;
  if (!(await reg.keyExists(POLICY_KEY))) return {};
  const out: Policy = {};
  const feed = str(await reg.getValue(POLICY_KEY, 'FeedUrl'));
  if (feed) out.feedUrl = feed;
  const channel = str(await reg.getValue(POLICY_KEY, 'Channel'))?.toLowerCase();
  if (channel === 'stable' || channel === 'preview') out.channel = channel;
  const auto = await reg.getValue(POLICY_KEY, 'AutoUpdate');
  if (auto?.type === 'REG_DWORD') out.autoUpdate = auto.data !== 0;
  const hold = str(await reg.getValue(POLICY_KEY, 'HoldVersion'));
  if (hold && VERSION.safeParse(hold).success) out.hold = hold;
  return out;
}

export interface EffectiveSettings {
  feedUrl: string | null;
  rootFile: string | null;
  channel: Channel;
  autoUpdate: boolean;
  hold: string | null;
  managed: UpdateManaged;
  lastCheck: UpdateSettings['lastCheck'];
}

export async function effectiveSettings(machine: Machine): Promise<EffectiveSettings> {
  const user = await readSettings(machine);
  const policy = await readPolicy(machine);
  return {
    feedUrl: policy.feedUrl ?? user.feedUrl,
    rootFile: user.rootFile,
    channel: policy.channel ?? user.channel,
    autoUpdate: policy.autoUpdate ?? user.autoUpdate,
    hold: policy.hold ?? user.hold,
    managed: { feedUrl: policy.feedUrl !== undefined, channel: policy.channel !== undefined, autoUpdate: policy.autoUpdate !== undefined, hold: policy.hold !== undefined },
    lastCheck: user.lastCheck ?? null,
  };
}
