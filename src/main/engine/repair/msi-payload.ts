/**
 * The seed's fix 4 without msiexec: take the kernel out of wsl_update_x64.msi into the state
 * folder's staging area, check it is a kernel for this machine, and hand it over as a payload.
 */
import type { PayloadInfo } from '../../../shared/types';
import { failpoint } from '../machine/failpoints';
import { assertArch } from '../kernel/kernel-image';
import type { OpContext } from '../steps/context';
import { progress } from '../steps/context';
import { removeIfExists } from '../steps/file-steps';
import { resolveInput } from '../kernel/payload-input';
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

/**
 * Extract and validate. Accepts what `install --payload` accepts (a kernel, a payload folder, a
 * legacy or WSL 2.x MSI, a cabinet holding one); refusals (invalid-msi, unsupported-compression,
 * not-a-kernel, wrong-architecture) leave nothing behind.
 */
export async function payloadFromMsi(ctx: OpContext, msiPath: string): Promise<MsiPayload> {
  const fs = ctx.machine.fs;
  // The operation lock is held: any extracted file already there is a leftover of a crash.
  for (const t of await findTemps(ctx.machine)) if (t.where === 'staging') await removeIfExists(fs, t.path);
  const held = await resolveInput(fs, msiPath, {
    staging: stagingDir(ctx.machine),
    asPackage: true,
    onProgress: (step, done, total) =>
      step === 'extract'
        ? progress(ctx, 'extract', 'Extracting the kernel from the installer package', done, total)
        : progress(ctx, 'verify', 'Checking the extracted kernel', done, total),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  failpoint('repair.msi.extracted');
  try {
    if (ctx.arch) assertArch({ arch: held.payload.arch, release: held.payload.release, version: held.payload.version }, ctx.arch);
    return { payload: held.payload, dispose: () => held.dispose().catch(() => undefined) };
  } catch (err) {
    await held.dispose().catch(() => undefined);
    throw err;
  }
}
