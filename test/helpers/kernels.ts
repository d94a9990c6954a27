/** Synthetic kernel files for the reliability suites, with the facts the invariant checks compare. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Arch } from '../../src/shared/types';
import { demoRelease, writeArm64Image, writeBzImage } from '../../src/main/engine/sandbox/kernel-builder';

export interface KernelFile {
  path: string;
  version: string;
  release: string;
  arch: Arch;
  sha256: string;
  size: number;
}

/** Streaming sha256 of a file (hex). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Write a kernel image of `version` and `size` bytes into `dir`, named after both. */
export async function makeKernel(dir: string, version: string, size: number, arch: Arch = 'x64'): Promise<KernelFile> {
  const release = demoRelease(version);
  const path = join(dir, `kernel-${arch}-${version}-${size}`);
  if (arch === 'x64') await writeBzImage(path, { release, size });
  else await writeArm64Image(path, { release, size });
  return { path, version, release, arch, sha256: await sha256File(path), size };
}

/** The versions of the seed's story: A (.104 in the seed; the older kernel), B (rolled back from), C (the update). */
export const SEED_VERSIONS = { A: '5.10.102.1', B: '5.15.153.1', C: '6.1.21.1' } as const;

export type SeedKernels = Record<keyof typeof SEED_VERSIONS, KernelFile>;

/** The three seed kernels, of distinct sizes so a size alone tells which one a slot holds. */
export async function makeSeedKernels(dir: string, baseSize: number): Promise<SeedKernels> {
  return {
    A: await makeKernel(dir, SEED_VERSIONS.A, baseSize),
    B: await makeKernel(dir, SEED_VERSIONS.B, baseSize + 4096),
    C: await makeKernel(dir, SEED_VERSIONS.C, baseSize + 8192),
  };
}
