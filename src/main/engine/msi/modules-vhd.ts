/**
 * The kernel modules disk that WSL 2.x ships beside its kernel (`tools\modules.vhd`, docs/design.md §4).
 *
 * Checked by its structure, not its name: a VHD ends in a 512-byte footer ("conectix", big-endian
 * fields, a one's-complement checksum, disk type fixed/dynamic/differencing); a VHDX starts with
 * "vhdxfile". Hashed in one streaming pass.
 */
import { createHash } from 'node:crypto';
import { KernelSetupError } from '../../../shared/errors';
import type { ModulesInfo } from '../../../shared/types';
import type { Fs } from '../machine/fs-port';

const FOOTER = 512;
const CHUNK = 1024 * 1024;

function bad(path: string, why: string): KernelSetupError {
  return new KernelSetupError('invalid-modules-vhd', `The modules disk ${path} is not a usable VHD: ${why}.`, { path });
}

/** Whether a 512-byte VHD footer is well formed. */
export function vhdFooterProblem(footer: Buffer): string | null {
  if (footer.length !== FOOTER || footer.toString('latin1', 0, 8) !== 'conectix') return 'it has no VHD footer';
  let sum = 0;
  for (let i = 0; i < FOOTER; i++) if (i < 64 || i >= 68) sum += footer[i]!;
  if ((~sum >>> 0) !== footer.readUInt32BE(64)) return 'its VHD footer fails its checksum';
  const type = footer.readUInt32BE(60);
  if (type < 2 || type > 4) return `its VHD footer declares disk type ${type}`;
  return null;
}

/** Verify and hash a modules disk. */
export async function inspectModulesVhd(fs: Fs, path: string, signal?: AbortSignal): Promise<ModulesInfo> {
  const stat = await fs.stat(path);
  if (!stat?.isFile) throw bad(path, 'it is not a file');
  if (stat.size < FOOTER) throw bad(path, `it is only ${stat.size} bytes`);
  const handle = await fs.open(path, 'r');
  const hash = createHash('sha256');
  const head = Buffer.alloc(8);
  const footer = Buffer.alloc(FOOTER);
  try {
    const buf = Buffer.alloc(CHUNK);
    for (let at = 0; at < stat.size; ) {
      if (signal?.aborted) throw new KernelSetupError('cancelled', 'Checking the modules disk was cancelled.');
      const n = await handle.read(buf, 0, Math.min(CHUNK, stat.size - at), at);
      if (n <= 0) throw bad(path, 'it ended while it was being read');
      const piece = buf.subarray(0, n);
      hash.update(piece);
      if (at === 0) piece.copy(head, 0, 0, 8);
      // Keep the last 512 bytes seen.
      const tailFrom = Math.max(0, stat.size - FOOTER - at);
      if (tailFrom < n) piece.copy(footer, at + tailFrom - (stat.size - FOOTER), tailFrom, n);
      at += n;
    }
  } finally {
    await handle.close();
  }
  if (head.toString('latin1') === 'vhdxfile') return { path, size: stat.size, sha256: hash.digest('hex'), format: 'vhdx' };
  const problem = vhdFooterProblem(footer);
  if (problem) throw bad(path, problem);
  return { path, size: stat.size, sha256: hash.digest('hex'), format: 'vhd' };
}
