/**
 * The publisher's commands (`npm run feed -- …`): create a feed, add and remove kernels, re-sign,
 * rotate a key. Kernel facts (version, release, architecture) are read from the image itself.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createReadStream } from 'node:fs';
import { Metadata, MetadataKind, Root, TargetFile } from '@tufjs/models';
import type { Arch } from '../../shared/types';
import type { Channel, KernelCustom } from '../engine/feed/feed-format';
import { DEFAULT_EXPIRY_DAYS, TARGETS_FOLDER, tufDate, kernelCustom, kernelTargetPath, modulesTargetPath } from '../engine/feed/feed-format';
import { compareVersions } from '../engine/kernel/kernel-image';
import { resolvePayload } from '../engine/kernel/payload';
import { nodeFs } from '../engine/machine/fs-port';
import type { RoleName } from './keys';
import { ONLINE_ROLES, generateKey, saveKey, signingKey } from './keys';
import type { Expiry } from './feed-repo';
import { SPEC_VERSION, expiresIn, publish, readRole, rotateRootMetadata, writeRoot } from './feed-repo';

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Where a target's bytes are stored: consistent snapshots name them `<sha256>.<name>`. */
export function targetFilePath(feed: string, target: TargetFile): string {
  const sha = target.hashes.sha256!;
  return join(feed, TARGETS_FOLDER, dirname(target.path), `${sha}.${basename(target.path)}`);
}

export async function initFeed(feed: string, keysDir: string, opts: { expires?: Expiry } = {}): Promise<{ root: string; keys: string[] }> {
  try {
    await stat(join(feed, 'root.json'));
    throw new Error(`${feed} already holds a feed (root.json exists).`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(join(feed, TARGETS_FOLDER), { recursive: true });
  const files = (['root', ...ONLINE_ROLES] as RoleName[]).map((r) => generateKey(r));
  const saved: string[] = [];
  for (const f of files) saved.push(await saveKey(keysDir, f));
  const root = new Root({
    version: 1,
    specVersion: SPEC_VERSION,
    expires: opts.expires?.root ? tufDate(opts.expires.root) : expiresIn(DEFAULT_EXPIRY_DAYS.root),
    consistentSnapshot: true,
  });
  for (const f of files) root.addKey(signingKey(f).key, f.role);
  const md = new Metadata(root);
  md.sign(signingKey(files[0]!).signer);
  await writeRoot(feed, md);
  // No targets, snapshot or timestamp yet: the first publish writes version 1 of each.
  await publish(feed, { keysDir, resignTargets: true, ...(opts.expires ? { expires: opts.expires } : {}) });
  return { root: join(feed, 'root.json'), keys: saved };
}

export interface AddOptions {
  channel?: Channel;
  notes?: string;
  expires?: Expiry;
}

/** Add a kernel (a file, or a folder with `kernel` and an optional `modules.vhd`). */
export async function addKernel(feed: string, keysDir: string, source: string, opts: AddOptions = {}): Promise<KernelCustom & { path: string }> {
  const info = await resolvePayload(nodeFs, source);
  const targets = await readRole(feed, MetadataKind.Targets);
  const path = kernelTargetPath(info.arch, info.version);
  if (targets.signed.targets[path]) throw new Error(`The feed already has kernel ${info.version} for ${info.arch}; remove it first.`);
  const map: Record<string, TargetFile> = { ...targets.signed.targets };
  const custom: KernelCustom = { kind: 'kernel', version: info.version, release: info.release, arch: info.arch, channel: opts.channel ?? 'stable', ...(opts.notes ? { notes: opts.notes } : {}) };
  const modules = (await stat(source)).isDirectory() ? join(source, 'modules.vhd') : null;
  if (modules && (await stat(modules).catch(() => null))?.isFile()) {
    const mpath = modulesTargetPath(info.arch, info.version);
    const mt = new TargetFile({ path: mpath, length: (await stat(modules)).size, hashes: { sha256: await sha256File(modules) } });
    await storeTarget(feed, mt, modules);
    map[mpath] = mt;
    custom.modules = mpath;
  }
  kernelCustom.parse(custom);
  const kt = new TargetFile({ path, length: info.size, hashes: { sha256: info.sha256 }, unrecognizedFields: { custom } });
  await storeTarget(feed, kt, info.path);
  map[path] = kt;
  await publish(feed, { keysDir, targets: map, ...(opts.expires ? { expires: opts.expires } : {}) });
  return { ...custom, path };
}

async function storeTarget(feed: string, target: TargetFile, from: string): Promise<void> {
  const dest = targetFilePath(feed, target);
  await mkdir(dirname(dest), { recursive: true });
  // Copied beside, then renamed: a client never downloads a half-copied file.
  await copyFile(from, `${dest}.publishing`);
  await rename(`${dest}.publishing`, dest);
}

/** Remove a kernel version (all architectures unless one is given) and its modules VHD. */
export async function removeKernel(feed: string, keysDir: string, version: string, opts: { arch?: Arch; expires?: Expiry } = {}): Promise<string[]> {
  const targets = await readRole(feed, MetadataKind.Targets);
  const map: Record<string, TargetFile> = { ...targets.signed.targets };
  const removed: string[] = [];
  for (const [p, t] of Object.entries(map)) {
    const c = kernelCustom.safeParse(t.custom);
    if (!c.success || c.data.version !== version || (opts.arch && c.data.arch !== opts.arch)) continue;
    for (const q of [p, c.data.modules]) {
      if (!q || !map[q]) continue;
      removed.push(q);
      delete map[q];
    }
  }
  if (!removed.length) throw new Error(`The feed has no kernel ${version}${opts.arch ? ` for ${opts.arch}` : ''}.`);
  await publish(feed, { keysDir, targets: map, ...(opts.expires ? { expires: opts.expires } : {}) });
  // The files go after the metadata no longer names them.
  for (const q of removed) await unlink(targetFilePath(feed, targets.signed.targets[q]!)).catch(() => undefined);
  return removed;
}

/** Re-sign: new snapshot and timestamp (and targets with `targets`), with fresh expiry dates. */
export function signFeed(feed: string, keysDir: string, opts: { targets?: boolean; expires?: Expiry } = {}) {
  return publish(feed, { keysDir, resignTargets: opts.targets === true, ...(opts.expires ? { expires: opts.expires } : {}) });
}

/** Replace the key of `role` by a new one: a new root.json version signed by the old root (and the new one). */
export async function rotateKey(feed: string, keysDir: string, role: RoleName): Promise<{ rootVersion: number; keyid: string }> {
  const fresh = generateKey(role);
  const newKey = signingKey(fresh);
  const md = await rotateRootMetadata(
    feed,
    keysDir,
    (root) => {
      root.roles[role] = { keyids: [newKey.key.keyID], threshold: 1 };
      root.keys[newKey.key.keyID] = newKey.key.toJSON();
    },
    { extraSigners: role === 'root' ? [newKey] : [] },
  );
  await saveKey(keysDir, fresh);
  // Online roles signed by the replaced key are re-signed with the new one.
  if (role !== 'root') await publish(feed, { keysDir, resignTargets: true });
  return { rootVersion: md.signed.version, keyid: fresh.keyid };
}

/** The kernels a feed offers, newest first. */
export async function listKernels(feed: string): Promise<(KernelCustom & { path: string; length: number })[]> {
  const targets = await readRole(feed, MetadataKind.Targets);
  const out = [];
  for (const [p, t] of Object.entries(targets.signed.targets)) {
    const c = kernelCustom.safeParse(t.custom);
    if (c.success) out.push({ ...c.data, path: p, length: t.length });
  }
  return out.sort((a, b) => compareVersions(b.version, a.version));
}
