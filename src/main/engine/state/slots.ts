/**
 * Facts about the two kernel slots, read from the files themselves (docs/design.md §4).
 *
 * Hashing a 256 MiB kernel takes a while, so facts about a file that has not changed (same size,
 * modification time and file id) come from the tool's cache; `fresh` reads re-hash in full.
 */
import { join } from 'node:path';
import { KernelSetupError, isErrorCode } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';
import type { Arch, SlotName, SlotStatus } from '../../../shared/types';
import { writeFileAtomic } from '../machine/atomic-write';
import { timed } from '../machine/timing';
import type { FileStat } from '../machine/fs-port';
import { hashFile, inspectKernel } from '../kernel/kernel-image';
import type { KernelHeader } from '../kernel/kernel-image';
import type { Machine } from '../machine/machine';
import { statePaths } from './state-files';
import { READ_LIMITS, readRegularFile } from '../machine/bounded-read';

export const SLOT_FILES: Record<SlotName, string> = { kernel: 'kernel', 'kernel.rollback': 'kernel.rollback' };

interface CachedFacts {
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
  header: KernelHeader | null;
  problem: ErrorCode | null;
}

/** Slot facts plus what the engine needs internally. */
export type SlotFacts =
  | { name: SlotName; path: string; present: false }
  | {
      name: SlotName;
      path: string;
      present: true;
      valid: boolean;
      header: KernelHeader | null;
      sha256: string;
      size: number;
      problem: ErrorCode | null;
      stat: FileStat;
    };

export function slotPath(machine: Machine, name: SlotName): string {
  return join(machine.toolsDir, SLOT_FILES[name]);
}

type Cache = Record<string, CachedFacts>;

async function loadCache(machine: Machine): Promise<Cache> {
  try {
    const data = JSON.parse((await readRegularFile(machine.fs, statePaths(machine).cache, { code: 'invalid-machine', what: 'The facts cache', maxBytes: READ_LIMITS.json })).toString('utf8')) as unknown;
    return data && typeof data === 'object' ? (data as Cache) : {};
  } catch {
    return {};
  }
}

function sameFile(c: CachedFacts | undefined, s: FileStat): c is CachedFacts {
  return !!c && c.size === s.size && c.mtimeMs === s.mtimeMs && c.ino === s.ino && typeof c.sha256 === 'string';
}

/**
 * Read both slots; `fresh` ignores the cache and re-hashes every byte (of both slots, or of the
 * one slot named).
 */
export async function readSlots(
  machine: Machine,
  opts: { fresh?: boolean | SlotName; arch?: Arch | null } = {},
): Promise<{ kernel: SlotFacts; rollback: SlotFacts }> {
  const cache = await loadCache(machine);
  let changed = false;
  const read = async (name: SlotName): Promise<SlotFacts> => {
    const path = slotPath(machine, name);
    const stat = await machine.fs.stat(path);
    if (!stat || !stat.isFile) return { name, path, present: false };
    const cached = cache[name];
    const fresh = opts.fresh === true || opts.fresh === name;
    if (!fresh && sameFile(cached, stat)) {
      return { name, path, present: true, valid: !!cached.header, header: cached.header, sha256: cached.sha256, size: stat.size, problem: cached.problem, stat };
    }
    let header: KernelHeader | null = null;
    let problem: ErrorCode | null = null;
    let sha256: string;
    try {
      const facts = await inspectKernel(machine.fs, path);
      header = facts.header;
      sha256 = facts.sha256;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { name, path, present: false };
      if (!(err instanceof KernelSetupError) || err.code !== 'not-a-kernel') throw err;
      problem = 'not-a-kernel';
      sha256 = await hashFile(machine.fs, path);
    }
    cache[name] = { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, sha256, header, problem };
    changed = true;
    return { name, path, present: true, valid: !!header, header, sha256, size: stat.size, problem, stat };
  };
  const kernel = markArch(await read('kernel'), opts.arch);
  const rollback = markArch(await read('kernel.rollback'), opts.arch);
  if (changed) await saveCache(machine, cache);
  return { kernel, rollback };
}

/** A kernel for another architecture cannot boot here: it is present but not valid. */
function markArch(f: SlotFacts, arch: Arch | null | undefined): SlotFacts {
  if (!f.present || !f.header || !arch || f.header.arch === arch) return f;
  return { ...f, valid: false, problem: 'wrong-architecture' };
}

/** A slot's facts the engine just verified. */
export interface KnownFacts {
  name: SlotName;
  stat: FileStat;
  sha256: string;
  header: KernelHeader;
}

/** Remember facts the engine just verified (after an install, no need to re-hash on the next status): one write for all. */
export async function rememberFacts(machine: Machine, ...known: KnownFacts[]): Promise<void> {
  if (!known.length) return;
  const cache = await loadCache(machine);
  for (const { name, stat, sha256, header } of known) cache[name] = { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, sha256, header, problem: null };
  await saveCache(machine, cache);
}

/**
 * The cache is an optimisation: failing to write it is not an error. It is written atomically but
 * not flushed: every entry is checked against its file's size, modification time and id before it
 * is trusted, so after a power loss an old, missing or unreadable cache only costs a re-hash.
 */
async function saveCache(machine: Machine, cache: Cache): Promise<void> {
  try {
    await machine.fs.mkdir(statePaths(machine).dir);
    await timed('state.cache-write', () => writeFileAtomic(machine.fs, statePaths(machine).cache, Buffer.from(JSON.stringify(cache)), undefined, { durable: false }));
  } catch {
    /* ignored */
  }
}

export function toSlotStatus(f: SlotFacts): SlotStatus {
  if (!f.present) return { present: false };
  const out: SlotStatus = {
    present: true,
    valid: f.valid,
    version: f.header?.version ?? null,
    release: f.header?.release ?? null,
    arch: f.header?.arch ?? null,
    sha256: f.sha256,
    size: f.size,
  };
  if (f.problem && isErrorCode(f.problem)) out.problem = f.problem;
  return out;
}
