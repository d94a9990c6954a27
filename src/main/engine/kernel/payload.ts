/**
 * Payloads (docs/design.md §4): a kernel image file, or a folder with `kernel` and an optional
 * `manifest.json` whose fields, when present, must match the file.
 */
import { join } from 'node:path';
import * as z from 'zod/mini';
import { KernelSetupError } from '../../../shared/errors';
import type { PayloadInfo } from '../../../shared/types';
import type { Fs } from '../machine/fs-port';
import { inspectKernel } from './kernel-image';
import { READ_LIMITS, readRegularFileIfExists, refusal } from '../machine/bounded-read';

export const manifestSchema = z.looseObject({
  version: z.optional(z.string().check(z.maxLength(64))),
  arch: z.optional(z.enum(['x64', 'arm64'])),
  sha256: z.optional(z.string().check(z.regex(/^[0-9a-fA-F]{64}$/))),
  release: z.optional(z.string().check(z.maxLength(256))),
});
export type Manifest = z.infer<typeof manifestSchema>;

const payloadRule = (what: string, maxBytes: number) => ({ code: 'not-a-kernel' as const, what, maxBytes });

/** Where the kernel file of a payload is, and its manifest if any. */
async function locate(fs: Fs, path: string): Promise<{ kernel: string; manifest: Manifest | null }> {
  const stat = await fs.stat(path);
  if (!stat) throw new KernelSetupError('not-a-kernel', `The payload ${path} does not exist.`, { path });
  if (stat.isFile) return { kernel: path, manifest: null };
  // A device, a FIFO or a socket (or a link to one) is neither a kernel file nor a payload folder.
  if (!stat.isDirectory) throw new KernelSetupError('not-a-kernel', `The payload ${path} is not a kernel file or a folder: ${refusal(stat, READ_LIMITS.kernel)}.`, { path });
  const kernel = join(path, 'kernel');
  const kStat = await fs.stat(kernel);
  if (!kStat) throw new KernelSetupError('not-a-kernel', `The folder ${path} has no file named "kernel".`, { path });
  const why = refusal(kStat, READ_LIMITS.kernel);
  if (why) throw new KernelSetupError('not-a-kernel', `The payload's kernel (${kernel}) cannot be used: ${why}.`, { path: kernel });
  const manifestPath = join(path, 'manifest.json');
  const raw = await readRegularFileIfExists(fs, manifestPath, payloadRule("The payload's manifest.json", READ_LIMITS.manifest));
  if (!raw) return { kernel, manifest: null };
  let data: unknown;
  try {
    data = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new KernelSetupError('checksum-mismatch', `${manifestPath} is not valid JSON.`, { path: manifestPath });
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    throw new KernelSetupError('checksum-mismatch', `${manifestPath} is malformed: ${parsed.error.issues[0]?.message}.`, { path: manifestPath });
  }
  return { kernel, manifest: parsed.data };
}

/** Read, hash and validate a payload. One full pass over the kernel file. */
export async function resolvePayload(
  fs: Fs,
  path: string,
  opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<PayloadInfo> {
  const { kernel, manifest } = await locate(fs, path);
  const facts = await inspectKernel(fs, kernel, opts);
  const info: PayloadInfo = {
    path: kernel,
    version: facts.header.version,
    release: facts.header.release,
    arch: facts.header.arch,
    sha256: facts.sha256,
    size: facts.size,
    demo: /-demo\b/.test(facts.header.release),
  };
  if (manifest) {
    const mismatch: string[] = [];
    if (manifest.sha256 && manifest.sha256.toLowerCase() !== info.sha256) mismatch.push(`sha256 ${manifest.sha256} (file: ${info.sha256})`);
    // Any field present must match (docs/design.md §4), an empty one too.
    if (manifest.version !== undefined && manifest.version !== info.version) mismatch.push(`version ${manifest.version} (file: ${info.version})`);
    if (manifest.arch && manifest.arch !== info.arch) mismatch.push(`arch ${manifest.arch} (file: ${info.arch})`);
    if (manifest.release !== undefined && manifest.release !== info.release) mismatch.push(`release ${manifest.release} (file: ${info.release})`);
    if (mismatch.length) {
      throw new KernelSetupError('checksum-mismatch', `The payload's manifest does not match its kernel: ${mismatch.join('; ')}.`, { path });
    }
  }
  return info;
}
