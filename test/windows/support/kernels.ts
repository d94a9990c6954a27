/** Kernels for the Windows suite, written under the prefix's C: drive so the CLI gets Windows paths. */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { makeKernel, SEED_VERSIONS, type KernelFile } from '../../helpers/kernels';
import { drive } from './wine';

export const PAYLOADS = 'payloads';

export interface WinKernel extends KernelFile {
  /** `C:\payloads\…`, as a Windows user would type it. */
  winPath: string;
}

export async function fileSha(path: string): Promise<string | null> {
  try {
    return createHash('sha256').update(await fsp.readFile(path)).digest('hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** A synthetic kernel of `version` in C:\payloads. */
export async function winKernel(version: string, size: number): Promise<WinKernel> {
  await fsp.mkdir(drive(PAYLOADS), { recursive: true });
  const k = await makeKernel(drive(PAYLOADS), version, size);
  const name = k.path.slice(drive(PAYLOADS).length + 1);
  return { ...k, winPath: `C:\\${PAYLOADS}\\${name}` };
}

/** The seed's A, B and C, of distinct sizes so a slot's size tells which one it holds. */
export async function seedKernels(): Promise<Record<keyof typeof SEED_VERSIONS, WinKernel>> {
  const base = (1 << 20) + 512;
  return {
    A: await winKernel(SEED_VERSIONS.A, base),
    B: await winKernel(SEED_VERSIONS.B, base + 4096),
    C: await winKernel(SEED_VERSIONS.C, base + 8192),
  };
}
