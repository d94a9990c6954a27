/**
 * Reading, signing and writing a feed's TUF metadata (docs/design.md §12) with @tufjs/models: no
 * hand-written canonical JSON or crypto. Files are written so that a client never sees a torn
 * file (temp + rename) and in TUF's order: targets, then snapshot, then timestamp last.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { MetaFile, Metadata, MetadataKind, Root, Snapshot, Targets, Timestamp } from '@tufjs/models';
import type { TargetFile } from '@tufjs/models';
import { DEFAULT_EXPIRY_DAYS, tufDate } from '../engine/feed/feed-format';
import type { RoleName, SigningKey } from './keys';
import { loadKeys } from './keys';

export const SPEC_VERSION = '1.0.31';

export type Expiry = Partial<Record<RoleName, Date>>;

/** The keys folder of a feed: a sibling of the published folder, never inside it. */
export function defaultKeysDir(feedDir: string): string {
  return resolve(feedDir) + '.keys';
}

export function expiresIn(days: number, from = new Date()): string {
  return tufDate(new Date(from.getTime() + days * 86_400_000));
}

export async function writeAtomic(path: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.publishing`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

function json(md: Metadata<Root | Targets | Snapshot | Timestamp>): string {
  return JSON.stringify(md.toJSON(), null, 1) + '\n';
}

export async function readRole(feed: string, kind: MetadataKind.Root): Promise<Metadata<Root>>;
export async function readRole(feed: string, kind: MetadataKind.Targets): Promise<Metadata<Targets>>;
export async function readRole(feed: string, kind: MetadataKind.Snapshot): Promise<Metadata<Snapshot>>;
export async function readRole(feed: string, kind: MetadataKind.Timestamp): Promise<Metadata<Timestamp>>;
export async function readRole(feed: string, kind: MetadataKind): Promise<Metadata<Root | Targets | Snapshot | Timestamp>> {
  const path = join(feed, `${kind}.json`);
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    throw new Error(`${path} is missing: is ${feed} a feed folder? Create one with: npm run feed -- init ${feed}`);
  }
  return Metadata.fromJSON(kind as MetadataKind.Root, JSON.parse(raw));
}

/** The keys of `role` that the root authorizes, from the keys folder; refuses when below threshold. */
export async function roleKeys(keysDir: string, root: Root, role: RoleName): Promise<SigningKey[]> {
  const allowed = root.roles[role]!;
  const keys = (await loadKeys(keysDir, role)).filter((k) => allowed.keyIDs.includes(k.key.keyID));
  if (keys.length < allowed.threshold) {
    throw new Error(`Signing ${role} needs ${allowed.threshold} of its keys; ${keys.length} found in ${join(keysDir, role === 'root' ? 'root' : 'online')}.`);
  }
  return keys;
}

function signAll<T extends Root | Targets | Snapshot | Timestamp>(md: Metadata<T>, keys: SigningKey[]): Metadata<T> {
  md.signatures = {};
  for (const k of keys) md.sign(k.signer, true);
  return md;
}

export async function writeRoot(feed: string, root: Metadata<Root>): Promise<void> {
  const text = json(root);
  // Versioned first: clients walk 2.root.json, 3.root.json, … to follow rotations.
  await writeAtomic(join(feed, `${root.signed.version}.root.json`), text);
  await writeAtomic(join(feed, 'root.json'), text);
}

export interface PublishOptions {
  keysDir: string;
  expires?: Expiry;
  /** Replace the targets map (add/remove); without it the targets role is not re-signed. */
  targets?: Record<string, TargetFile>;
  /** Re-sign targets even when its contents are unchanged (after a key rotation). */
  resignTargets?: boolean;
}

/** Sign and write a new targets (when asked), snapshot and timestamp, in that order. */
export async function publish(feed: string, opts: PublishOptions): Promise<{ targets: number; snapshot: number; timestamp: number }> {
  const root = (await readRole(feed, MetadataKind.Root)).signed;
  // A new feed has none of these yet: its first publish writes version 1 of each.
  const fresh = !(await stat(join(feed, 'timestamp.json')).catch(() => null));
  const oldTargets = fresh ? null : await readRole(feed, MetadataKind.Targets);
  const oldSnapshot = fresh ? null : await readRole(feed, MetadataKind.Snapshot);
  const oldTimestamp = fresh ? null : await readRole(feed, MetadataKind.Timestamp);
  const exp = opts.expires ?? {};
  let targetsVersion = oldTargets?.signed.version ?? 0;
  if (opts.targets || opts.resignTargets || !oldTargets) {
    targetsVersion += 1;
    const t = new Targets({
      version: targetsVersion,
      specVersion: SPEC_VERSION,
      expires: exp.targets ? tufDate(exp.targets) : expiresIn(DEFAULT_EXPIRY_DAYS.targets),
      targets: opts.targets ?? oldTargets?.signed.targets ?? {},
    });
    const md = signAll(new Metadata(t), await roleKeys(opts.keysDir, root, 'targets'));
    const text = json(md);
    await writeAtomic(join(feed, `${targetsVersion}.targets.json`), text);
    await writeAtomic(join(feed, 'targets.json'), text);
  }
  const snapshotVersion = (oldSnapshot?.signed.version ?? 0) + 1;
  const snap = new Snapshot({
    version: snapshotVersion,
    specVersion: SPEC_VERSION,
    expires: exp.snapshot ? tufDate(exp.snapshot) : expiresIn(DEFAULT_EXPIRY_DAYS.snapshot),
    meta: { 'targets.json': new MetaFile({ version: targetsVersion }) },
  });
  const snapText = json(signAll(new Metadata(snap), await roleKeys(opts.keysDir, root, 'snapshot')));
  await writeAtomic(join(feed, `${snapshotVersion}.snapshot.json`), snapText);
  await writeAtomic(join(feed, 'snapshot.json'), snapText);
  const snapBytes = Buffer.from(snapText);
  const ts = new Timestamp({
    version: (oldTimestamp?.signed.version ?? 0) + 1,
    specVersion: SPEC_VERSION,
    expires: exp.timestamp ? tufDate(exp.timestamp) : expiresIn(DEFAULT_EXPIRY_DAYS.timestamp),
    snapshotMeta: new MetaFile({ version: snapshotVersion, length: snapBytes.length, hashes: { sha256: createHash('sha256').update(snapBytes).digest('hex') } }),
  });
  // Last: the timestamp is what makes the new snapshot and targets visible to clients.
  await writeAtomic(join(feed, 'timestamp.json'), json(signAll(new Metadata(ts), await roleKeys(opts.keysDir, root, 'timestamp'))));
  return { targets: targetsVersion, snapshot: snapshotVersion, timestamp: ts.version };
}

export interface RootJson {
  keys: Record<string, unknown>;
  roles: Record<string, { keyids: string[]; threshold: number }>;
}

/** A new root: `change` edits keys and roles; signed by the old root's keys and the new one's. */
export async function rotateRootMetadata(
  feed: string,
  keysDir: string,
  change: (root: RootJson) => void,
  opts: { expires?: Date; extraSigners?: SigningKey[] } = {},
): Promise<Metadata<Root>> {
  const old = await readRole(feed, MetadataKind.Root);
  const oldSigners = await roleKeys(keysDir, old.signed, 'root');
  const data = structuredClone(old.signed.toJSON()) as unknown as RootJson & Record<string, unknown>;
  change(data);
  // Drop keys no role uses any more.
  const used = new Set(Object.values(data.roles).flatMap((r) => r.keyids));
  for (const id of Object.keys(data.keys)) if (!used.has(id)) delete data.keys[id];
  data.version = old.signed.version + 1;
  data.expires = opts.expires ? tufDate(opts.expires) : expiresIn(DEFAULT_EXPIRY_DAYS.root);
  const root = Root.fromJSON(data as unknown as Parameters<typeof Root.fromJSON>[0]);
  const md = new Metadata(root);
  // A client trusts the new root only if the old root's threshold signed it (rotation) and the
  // new root's threshold signed it too (TUF client workflow 5.3.4–5.3.5).
  const newRootIds = data.roles.root!.keyids;
  const signers = new Map<string, SigningKey>();
  for (const k of [...oldSigners, ...(opts.extraSigners ?? []), ...(await loadKeys(keysDir, 'root'))]) {
    if (old.signed.roles.root!.keyIDs.includes(k.key.keyID) || newRootIds.includes(k.key.keyID)) signers.set(k.key.keyID, k);
  }
  for (const k of signers.values()) md.sign(k.signer, true);
  await writeRoot(feed, md);
  return md;
}
