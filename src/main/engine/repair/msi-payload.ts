/**
 * The seed's fix 4 without msiexec: take the kernel out of wsl_update_x64.msi into the state
 * folder's staging area, check it is a kernel for this machine, and hand it over as a payload.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { PayloadInfo } from '../../../shared/types';
import { failpoint } from '../machine/failpoints';
import { assertArch } from '../kernel/kernel-image';
import { extractKernelFromMsi } from '../msi';
import type { OpContext } from '../steps/context';
import { progress } from '../steps/context';
import { removeIfExists } from '../steps/file-steps';
import { resolvePayload } from '../kernel/payload';
import { findTemps, stagingDir } from '../state/temps';

export interface MsiPayload {
  payload: PayloadInfo;
  /** Delete the extracted file (after it was installed, or was refused). */
  dispose(): Promise<void>;
}

/** The Windows route for packages this reader cannot decompress (LZX, Quantum). */
export function msiexecRoute(msiPath: string, target: string): string {
  return `msiexec /a "${msiPath}" /qb TARGETDIR="${target}", then install ${target}\\System32\\lxss\\tools\\kernel with: install --payload "${target}\\System32\\lxss\\tools\\kernel"`;
}

/** Extract and validate; refusals (invalid-msi, unsupported-compression, not-a-kernel, wrong-architecture) leave nothing behind. */
export async function payloadFromMsi(ctx: OpContext, msiPath: string): Promise<MsiPayload> {
  const fs = ctx.machine.fs;
  const staging = stagingDir(ctx.machine);
  // The operation lock is held: any extracted file already there is a leftover of a crash.
  for (const t of await findTemps(ctx.machine)) if (t.where === 'staging') await removeIfExists(fs, t.path);
  const extracted = await extractKernelFromMsi(fs, msiPath, staging, {
    onProgress: (done, total) => progress(ctx, 'extract', 'Extracting the kernel from the installer package', done, total),
  });
  failpoint('repair.msi.extracted');
  const dispose = () => removeIfExists(fs, extracted.path).catch(() => undefined);
  try {
    let payload: PayloadInfo;
    try {
      payload = await resolvePayload(fs, extracted.path, {
        onProgress: (done, total) => progress(ctx, 'verify', 'Checking the extracted kernel', done, total),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    } catch (err) {
      if (err instanceof KernelSetupError && err.code === 'not-a-kernel') {
        throw new KernelSetupError('not-a-kernel', `The file "${extracted.fileKey}" that the package installs as the kernel is not a Linux kernel.`, { msi: msiPath });
      }
      throw err;
    }
    if (ctx.arch) assertArch({ arch: payload.arch, release: payload.release, version: payload.version }, ctx.arch);
    return { payload, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
