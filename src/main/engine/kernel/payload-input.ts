/**
 * Every input the tool accepts as "the kernel to install", recognised by content (docs/design.md §4):
 * a kernel image, a payload folder (`kernel`, optional `manifest.json`, optional `modules.vhd`),
 * an MSI (the legacy kernel MSI or a WSL 2.x MSI) or a cabinet holding one of those or a kernel.
 * Packages are read, never executed; what is taken out of them lives in the staging folder until
 * `dispose()`.
 */
import { join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import type { ModulesInfo, PayloadInfo } from '../../../shared/types';
import type { Fs } from '../machine/fs-port';
import { sniffFile } from '../msi/sniff';
import { inspectModulesVhd } from '../msi/modules-vhd';
import { resolvePayload } from './payload';
import { loadPackageReader } from '../msi/on-demand';

export interface HeldPayload {
  payload: PayloadInfo;
  /** Remove what was extracted (nothing for a plain kernel file or folder). */
  dispose(): Promise<void>;
}

export interface InputOptions {
  /** Where packages are extracted to (the state folder's staging area). */
  staging: string;
  onProgress?: (step: 'extract' | 'verify', done: number, total: number) => void;
  signal?: AbortSignal;
  /** The input was given as a package (`repair --from-msi`): what is not one, nor a kernel, is invalid-msi. */
  asPackage?: boolean;
}

const nothing = async (): Promise<void> => undefined;

/** Resolve any accepted input to a verified payload. */
export async function resolveInput(fs: Fs, path: string, opts: InputOptions): Promise<HeldPayload> {
  try {
    return await resolveAny(fs, path, opts);
  } catch (err) {
    if (opts.asPackage && err instanceof KernelSetupError && err.code === 'not-a-kernel' && !err.details?.fromPackage) {
      throw new KernelSetupError('invalid-msi', `${path} is neither an installer package (.msi), a cabinet (.cab) nor a kernel: ${err.message}`, { path });
    }
    throw err;
  }
}

async function resolveAny(fs: Fs, path: string, opts: InputOptions): Promise<HeldPayload> {
  const stat = await fs.stat(path);
  const verify = {
    ...(opts.onProgress ? { onProgress: (done: number, total: number) => opts.onProgress!('verify', done, total) } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  if (stat?.isDirectory) {
    const payload = await resolvePayload(fs, path, verify);
    const vhd = join(path, 'modules.vhd');
    if (await fs.stat(vhd)) payload.modules = await inspectModulesVhd(fs, vhd, opts.signal);
    return { payload, dispose: nothing };
  }
  const kind = stat?.isFile && stat.size > 0 ? await sniffFile(fs, path) : 'other';
  if (kind === 'other') return { payload: await resolvePayload(fs, path, verify), dispose: nothing };
  const { extractPackage } = await loadPackageReader();
  const ex = await extractPackage(fs, path, kind, opts.staging, {
    ...(opts.onProgress ? { onProgress: (done: number, total: number) => opts.onProgress!('extract', done, total) } : {}),
  });
  try {
    let payload: PayloadInfo;
    try {
      payload = await resolvePayload(fs, ex.kernel, verify);
    } catch (err) {
      if (err instanceof KernelSetupError && err.code === 'not-a-kernel') {
        throw new KernelSetupError('not-a-kernel', `The file that ${path} installs as the kernel is not a Linux kernel.`, { path, fromPackage: true });
      }
      throw err;
    }
    let modules: ModulesInfo | undefined;
    if (ex.modules) modules = await inspectModulesVhd(fs, ex.modules, opts.signal);
    return { payload: { ...payload, source: ex.source, ...(modules ? { modules } : {}) }, dispose: ex.dispose };
  } catch (err) {
    await ex.dispose();
    throw err;
  }
}
