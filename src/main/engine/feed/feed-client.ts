/**
 * A verified view of a feed (docs/design.md §12): tuf-js walks root rotations, checks every signature,
 * version and expiry, and only then is the targets list read. Metadata is cached per feed in the
 * state folder, which is what lets later checks refuse older metadata (rollback attacks).
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Metadata, MetadataKind } from '@tufjs/models';
import type { TargetFile, Targets } from '@tufjs/models';
import { Updater } from 'tuf-js';
import { KernelSetupError } from '../../../shared/errors';
import type { Arch, FeedKernel } from '../../../shared/types';
import type { Machine } from '../machine/machine';
import { compareVersions } from '../kernel/kernel-image';
import type { KernelCustom } from './feed-format';
import { TARGETS_FOLDER, kernelCustom } from './feed-format';
import { mapFeedError } from './feed-errors';
import type { FetchOptions } from './fetcher';
import { FeedFetcher, feedBaseUrl, timeoutsFromEnv } from './fetcher';

export interface FeedKernelTarget {
  kernel: FeedKernel;
  custom: KernelCustom;
  target: TargetFile;
  /** The modules VHD target published with it, if any. */
  modules: TargetFile | null;
}

export interface FeedSession {
  base: string;
  /** Where target files are fetched from (consistent snapshots prefix names with the hash). */
  targetUrl(target: TargetFile): string;
  kernels: FeedKernelTarget[];
}

/** Whether `raw` is valid root metadata. */
function parseRoot(raw: Buffer): boolean {
  try {
    return Boolean(Metadata.fromJSON(MetadataKind.Root, JSON.parse(raw.toString('utf8'))));
  } catch {
    return false;
  }
}

/** The trusted root to start from: the first readable, valid one of `candidates`. */
export async function loadTrustedRoot(candidates: string[]): Promise<{ path: string; bytes: Buffer }> {
  for (const path of candidates) {
    const bytes = await readFile(path).catch(() => null);
    if (!bytes) continue;
    if (!parseRoot(bytes)) throw new KernelSetupError('feed-invalid', `The trusted root ${path} is not valid TUF root metadata.`, { path });
    return { path, bytes };
  }
  throw new KernelSetupError('feed-not-configured', "No trusted root for the feed was found: ship assets/feed/root.json, place feed-root.json in the tool's state folder, or give --root FILE.");
}

/**
 * The metadata folder of one feed: named by the feed's address and the root it was first trusted
 * with, so a new publisher root starts from scratch instead of fighting the old one's cache.
 */
async function metadataDir(machine: Machine, base: string, root: Buffer): Promise<string> {
  const id = createHash('sha256').update(base).update('\n').update(root).digest('hex').slice(0, 16);
  const dir = join(machine.stateDir, 'feed', id);
  await mkdir(dir, { recursive: true });
  const current = await readFile(join(dir, 'root.json')).catch(() => null);
  if (!current || !parseRoot(current)) {
    // tuf-js writes its cache without a temp file: after a crash mid-write, fall back to the last
    // root we saved whole, or to the shipped one (walking the rotations again from there is safe).
    const good = await readFile(join(dir, 'root.good.json')).catch(() => null);
    const start = good && parseRoot(good) ? good : root;
    await writeAtomicNode(join(dir, 'root.json'), start);
  }
  return dir;
}

async function writeAtomicNode(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data, { flush: true });
  await rename(tmp, path);
}

export interface OpenFeedOptions {
  location: string;
  trustedRoots: string[];
  fetch?: FetchOptions;
}

/** Refresh the feed's metadata (every TUF check) and list its kernels. */
export async function openFeed(machine: Machine, opts: OpenFeedOptions): Promise<FeedSession> {
  const base = feedBaseUrl(opts.location);
  const { bytes } = await loadTrustedRoot(opts.trustedRoots);
  const dir = await metadataDir(machine, base, bytes);
  const fetcher = new FeedFetcher({ ...timeoutsFromEnv(), ...(opts.fetch ?? {}) });
  let consistent = true;
  let targetsMd: Metadata<Targets>;
  try {
    const updater = new Updater({ metadataDir: dir, metadataBaseUrl: base, targetBaseUrl: `${base}${TARGETS_FOLDER}/`, fetcher });
    await updater.refresh();
    // refresh() persisted targets.json only after verifying it; read that verified copy.
    targetsMd = Metadata.fromJSON(MetadataKind.Targets, JSON.parse(await readFile(join(dir, 'targets.json'), 'utf8')));
    const root = Metadata.fromJSON(MetadataKind.Root, JSON.parse(await readFile(join(dir, 'root.json'), 'utf8')));
    consistent = root.signed.consistentSnapshot;
    await copyFile(join(dir, 'root.json'), join(dir, 'root.good.json.tmp'));
    await rename(join(dir, 'root.good.json.tmp'), join(dir, 'root.good.json'));
  } catch (err) {
    throw mapFeedError(err, opts.location);
  }
  const targets = targetsMd.signed.targets;
  const kernels: FeedKernelTarget[] = [];
  for (const t of Object.values(targets)) {
    const c = kernelCustom.safeParse(t.custom);
    if (!c.success) continue;
    const modules = c.data.modules ? (targets[c.data.modules] ?? null) : null;
    kernels.push({
      custom: c.data,
      target: t,
      modules,
      kernel: { version: c.data.version, release: c.data.release, arch: c.data.arch, channel: c.data.channel, size: t.length, ...(c.data.notes ? { notes: c.data.notes } : {}) },
    });
  }
  kernels.sort((a, b) => compareVersions(b.kernel.version, a.kernel.version));
  return {
    base,
    kernels,
    targetUrl(target) {
      const slash = target.path.lastIndexOf('/');
      const dirPart = slash >= 0 ? target.path.slice(0, slash + 1) : '';
      const name = target.path.slice(slash + 1);
      const file = consistent ? `${target.hashes.sha256 ?? Object.values(target.hashes)[0]}.${name}` : name;
      return `${base}${TARGETS_FOLDER}/${dirPart}${file}`;
    },
  };
}

/** The kernels of the feed for this architecture and channel (preview also sees stable). */
export function kernelsFor(session: FeedSession, arch: Arch, channel: 'stable' | 'preview'): FeedKernelTarget[] {
  return session.kernels.filter((k) => k.kernel.arch === arch && (channel === 'preview' || k.kernel.channel === 'stable'));
}
