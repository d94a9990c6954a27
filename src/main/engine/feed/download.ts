/**
 * Downloading a kernel target into the state folder (docs/design.md §12): resumable, bounded by the signed
 * length, and verified against the signed length and hashes (TargetFile.verify) before the folder
 * becomes a payload. A download cut off or killed at any instant leaves only `<name>.partial`,
 * which the next attempt resumes; nothing reaches the tools folder from here.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { TargetFile } from '@tufjs/models';
import { KernelSetupError } from '../../../shared/errors';
import type { Progress } from '../../../shared/types';
import { writeFileAtomic } from '../machine/atomic-write';
import type { FileHandle } from '../machine/fs-port';
import type { Machine } from '../machine/machine';
import { failpoint } from '../machine/failpoints';
import type { FeedKernelTarget, FeedSession } from './feed-client';
import type { FetchOptions } from './fetcher';
import { FeedNetworkError, openUrl, timeoutsFromEnv } from './fetcher';

export function downloadsDir(machine: Machine): string {
  return join(machine.stateDir, 'downloads');
}

async function verifies(path: string, target: TargetFile): Promise<boolean> {
  try {
    await target.verify(createReadStream(path));
    return true;
  } catch {
    return false;
  }
}

interface FetchTargetOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  fetch?: FetchOptions;
  title: string;
}

/** Fetch one target to `dest` (through `dest.partial`), verified; a verified `dest` is kept as is. */
async function fetchTarget(machine: Machine, session: FeedSession, target: TargetFile, dest: string, opts: FetchTargetOptions): Promise<void> {
  const fs = machine.fs;
  if ((await fs.stat(dest)) && (await verifies(dest, target))) return;
  const partial = `${dest}.partial`;
  let offset = (await fs.stat(partial))?.size ?? 0;
  // A partial longer than the signed length can never become the target: start over.
  if (offset > target.length) offset = 0;
  const report = (done: number) => opts.onProgress?.({ step: 'download', title: opts.title, done, total: target.length });
  if (offset < target.length) {
    const { stream, partial: resumed } = await openUrl(session.targetUrl(target), { ...timeoutsFromEnv(), ...(opts.fetch ?? {}) }, offset).catch((err: Error & { statusCode?: number }) => {
      if (err.statusCode === 404 || err.statusCode === 403) {
        throw new KernelSetupError('feed-target-not-found', `The feed names ${target.path} but its file is missing on the server.`);
      }
      throw err;
    });
    if (!resumed) offset = 0;
    let handle: FileHandle | null = await fs.open(partial, offset > 0 ? 'a' : 'w');
    let written = offset;
    let lastReport = 0;
    try {
      report(written);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (opts.signal?.aborted) throw new KernelSetupError('cancelled', 'The download was cancelled; it resumes next time.');
        // Never take more than the signed length: an endless or oversized answer is refused here.
        if (written + chunk.length > target.length) {
          stream.destroy();
          await handle.close();
          handle = null;
          await fs.unlink(partial).catch(() => undefined);
          throw new KernelSetupError('feed-target-invalid', `${target.path} is longer than the ${target.length} bytes the feed signed; it was discarded.`);
        }
        for (let at = 0; at < chunk.length; ) at += await handle.write(chunk, at, chunk.length - at, null);
        written += chunk.length;
        failpoint('download.chunk');
        if (written - lastReport >= 1 << 20 || written === target.length) {
          lastReport = written;
          report(written);
        }
      }
      await handle.sync();
    } finally {
      if (handle) await handle.close().catch(() => undefined);
    }
  }
  if (!(await verifies(partial, target))) {
    await fs.unlink(partial).catch(() => undefined);
    throw new KernelSetupError('feed-target-invalid', `${target.path} does not match the length and checksum the feed signed; it was discarded.`);
  }
  await fs.rename(partial, dest);
}

/**
 * Download a kernel (and its modules VHD) into `downloads/<sha256>/` as a payload folder: `kernel`
 * plus a `manifest.json` of the signed facts, which the install checks against the file itself.
 */
export async function downloadKernel(machine: Machine, session: FeedSession, k: FeedKernelTarget, opts: Omit<FetchTargetOptions, 'title'> = {}): Promise<string> {
  try {
    return await downloadKernelUnmapped(machine, session, k, opts);
  } catch (err) {
    if (err instanceof FeedNetworkError) throw new KernelSetupError('feed-unreachable', `The download stopped: ${err.message.replace(/^feed unreachable: /, '')}. It resumes where it stopped next time.`);
    throw err;
  }
}

async function downloadKernelUnmapped(machine: Machine, session: FeedSession, k: FeedKernelTarget, opts: Omit<FetchTargetOptions, 'title'>): Promise<string> {
  const sha = k.target.hashes.sha256 ?? Object.values(k.target.hashes)[0]!;
  const dir = join(downloadsDir(machine), sha.slice(0, 32));
  await machine.fs.mkdir(dir);
  await fetchTarget(machine, session, k.target, join(dir, 'kernel'), { ...opts, title: `Downloading kernel ${k.kernel.version}` });
  if (k.modules) await fetchTarget(machine, session, k.modules, join(dir, 'modules.vhd'), { ...opts, title: `Downloading modules for ${k.kernel.version}` });
  const manifest = { version: k.custom.version, release: k.custom.release, arch: k.custom.arch, sha256: k.target.hashes.sha256 };
  await writeFileAtomic(machine.fs, join(dir, 'manifest.json'), Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
  return dir;
}

/** Remove a payload folder made by downloadKernel, after it was installed. */
export async function removeDownload(machine: Machine, dir: string): Promise<void> {
  for (const name of ['kernel', 'modules.vhd', 'manifest.json', 'kernel.partial', 'modules.vhd.partial']) await machine.fs.unlink(join(dir, name)).catch(() => undefined);
  await import('node:fs/promises').then((f) => f.rmdir(dir)).catch(() => undefined);
}
