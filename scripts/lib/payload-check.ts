/**
 * The packaging gate: a packaged app ships a real kernel for the architecture being built, imported
 * with `npm run payload` (so it has a manifest), never the sandbox's demo kernel.
 *
 * electron-builder runs `checkPayload` as its beforePack hook from the bundle scripts/build-cli.mts
 * writes (out/build/before-pack.cjs); scripts/check-payload.mts runs it by hand.
 */
import { join } from 'node:path';
import { ERRORS, KernelSetupError } from '../../src/shared/errors';
import type { Arch, PayloadInfo } from '../../src/shared/types';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { isDemoRelease } from '../../src/main/engine/sandbox/kernel-builder';
import { resolvePayload } from '../../src/main/engine/kernel/payload';

export const IMPORT_HINT = 'Import a real kernel before packaging: npm run payload -- <kernel file> (add --arch-folder to bundle one per architecture).';

/** A refusal of the packaging check, with the error code and the remedy in its message. */
export class PayloadCheckError extends Error {
  constructor(
    readonly code: keyof typeof ERRORS,
    detail: string,
  ) {
    super(`Packaging refused [${code}]: ${ERRORS[code].title}.\n  ${detail}\n  Remedy: ${IMPORT_HINT}`);
    this.name = 'PayloadCheckError';
  }
}

/** The payload folder the app will use on `arch`: `<dir>/<arch>/` first, then `<dir>/`. */
async function folderFor(payloadDir: string, arch: Arch): Promise<string | null> {
  for (const folder of [join(payloadDir, arch), payloadDir]) {
    if ((await nodeFs.stat(join(folder, 'kernel')))?.isFile) return folder;
  }
  return null;
}

/** Check the payload for one architecture; returns what it holds or throws PayloadCheckError. */
export async function checkPayloadFor(payloadDir: string, arch: Arch): Promise<PayloadInfo> {
  const folder = await folderFor(payloadDir, arch);
  if (!folder) throw new PayloadCheckError('kernel-missing', `${payloadDir} holds no kernel (looked for ${join(arch, 'kernel')} and kernel).`);
  if (!(await nodeFs.stat(join(folder, 'manifest.json')))?.isFile) {
    throw new PayloadCheckError('checksum-mismatch', `${join(folder, 'kernel')} has no manifest.json, so its hash cannot be checked at install time.`);
  }
  let info: PayloadInfo;
  try {
    info = await resolvePayload(nodeFs, folder);
  } catch (err) {
    if (err instanceof KernelSetupError) throw new PayloadCheckError(err.code, err.message);
    throw err;
  }
  if (info.demo || isDemoRelease(info.release)) {
    throw new PayloadCheckError('not-a-kernel', `${info.path} is the sandbox's demo kernel (${info.release}), not a real kernel.`);
  }
  if (info.arch !== arch) {
    throw new PayloadCheckError('wrong-architecture', `${info.path} is an ${info.arch} kernel (${info.release}), but this build is for ${arch}.`);
  }
  return info;
}

/** Electron-builder's Arch enum (builder-util): only x64 (1) and arm64 (3) are built. */
export function builderArchName(arch: unknown): Arch {
  if (arch === 1 || arch === 'x64') return 'x64';
  if (arch === 3 || arch === 'arm64') return 'arm64';
  throw new Error(`Packaging refused: WSL 2 kernels exist for x64 and arm64 only, not for architecture ${String(arch)}.`);
}

/** What electron-builder passes to beforePack (the fields read here), or the by-hand options. */
export interface PackContext {
  arch?: unknown;
  packager?: { projectDir?: string };
  payloadDir?: string;
}

/** The hook: throws (and so stops electron-builder) when the payload is missing or not real. */
export async function checkPayload(context: PackContext = {}): Promise<PayloadInfo> {
  const projectDir = context.packager?.projectDir ?? process.cwd();
  const payloadDir = context.payloadDir ?? join(projectDir, 'assets', 'payload');
  const info = await checkPayloadFor(payloadDir, builderArchName(context.arch ?? 'x64'));
  console.log(`  • bundled kernel ${info.release} (${info.arch}) sha256 ${info.sha256}`);
  return info;
}

/** The name electron-builder looks for in the hook module. */
export { checkPayload as beforePack };
