/**
 * Kernels inside Microsoft's own packages, recognised by their bytes, never by their names:
 *
 * - a compound file (D0 CF 11 E0 …) is an MSI: the legacy kernel MSI (wsl_update_x64.msi:
 *   `System32\lxss\tools\kernel`), or a WSL 2.x MSI (`INSTALLDIR\tools\kernel` beside
 *   `tools\modules.vhd`, whose ProductVersion is WSL's version);
 * - `MSCF` is a cabinet (the Update Catalog's `.cab`): it holds one of those MSIs, or a kernel.
 *
 * Packages are only read, never run. What is taken out lands as temps in the staging folder;
 * `dispose()` removes them, and a refusal leaves none behind.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { Fs } from '../machine/fs-port';
import { extractCabFile, folderCompression, parseCabinet, type CabFile, type Cabinet } from './cabinet';
import { extractCabEntry, extractMsiFile, kernelRank, listPackageFiles, openPackage, readInput, type ExtractOptions } from './extract-kernel';
import { guardParse, invalidMsi } from './fail';
import type { MsiFile } from './package-files';
import { readTable, type MsiDatabase } from './tables';

import { kindOf } from './sniff';

export type { InputKind } from './sniff';
export { kindOf, sniffFile } from './sniff';

/** Entries of a cabinet that are looked into (by their first bytes) for an MSI or a kernel. */
const MAX_PROBED_ENTRIES = 16;

export interface PackageSource {
  kind: 'msi' | 'cab';
  /** The file the user gave. */
  path: string;
  /** Which package held the kernel. */
  package: 'kernel-msi' | 'wsl-msi' | 'kernel-in-cab';
  /** A WSL 2.x MSI's ProductVersion (the WSL release). */
  wslVersion?: string;
  /** The cabinet entry that was the MSI or the kernel, for a `.cab`. */
  entry?: string;
}

export interface ExtractedPackage {
  kernel: string;
  /** The WSL 2.x MSI's `tools\modules.vhd`, extracted beside the kernel. */
  modules: string | null;
  source: PackageSource;
  /** Remove every temp this extraction wrote. */
  dispose(): Promise<void>;
}

/** Take the kernel (and modules VHD) out of an MSI or a cabinet at `path`. */
export async function extractPackage(fs: Fs, path: string, kind: 'msi' | 'cab', staging: string, opts: ExtractOptions = {}): Promise<ExtractedPackage> {
  const temps: string[] = [];
  const dispose = async (): Promise<void> => {
    for (const t of temps.splice(0)) await fs.unlink(t).catch(() => undefined);
  };
  try {
    if (kind === 'msi') {
      const got = await fromMsi(fs, path, path, staging, temps, opts);
      return { ...got, source: { kind: 'msi', path, ...got.source }, dispose };
    }
    const got = await fromCab(fs, path, staging, temps, opts);
    return { ...got, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

type Found = { kernel: string; modules: string | null; source: Omit<PackageSource, 'kind' | 'path'> };

async function fromMsi(fs: Fs, msiPath: string, shownAs: string, staging: string, temps: string[], opts: ExtractOptions): Promise<Found> {
  const db = await openPackage(fs, msiPath);
  const files = listPackageFiles(db);
  const wsl = wslLayout(files);
  if (wsl) {
    const kernel = await extractMsiFile(fs, shownAs, db, wsl.kernel, staging, 'kernel', opts);
    temps.push(kernel.path);
    const modules = await extractMsiFile(fs, shownAs, db, wsl.modules, staging, 'modules', opts);
    temps.push(modules.path);
    const version = productVersion(db);
    return { kernel: kernel.path, modules: modules.path, source: { package: 'wsl-msi', ...(version ? { wslVersion: version } : {}) } };
  }
  let best: MsiFile | null = null;
  for (const f of files) if (kernelRank(f) > 0 && (best === null || kernelRank(f) > kernelRank(best))) best = f;
  if (best === null) throw invalidMsi('the package does not install a file named "kernel"');
  if (best.size <= 0) throw invalidMsi(`the package declares the kernel "${best.fileKey}" as ${best.size} bytes`);
  const kernel = await extractMsiFile(fs, shownAs, db, best, staging, 'kernel', opts);
  temps.push(kernel.path);
  return { kernel: kernel.path, modules: null, source: { package: 'kernel-msi' } };
}

/** WSL 2.x: `tools\kernel` and `tools\modules.vhd` in the same folder (not System32's lxss). */
function wslLayout(files: MsiFile[]): { kernel: MsiFile; modules: MsiFile } | null {
  for (const kernel of files) {
    if (kernelRank(kernel) !== 2) continue;
    const modules = files.find((f) => f.directory === kernel.directory && f.name.toLowerCase() === 'modules.vhd');
    if (!modules) continue;
    if (kernel.size <= 0 || modules.size <= 0) throw invalidMsi('the package declares its kernel or modules.vhd as empty');
    return { kernel, modules };
  }
  return null;
}

function productVersion(db: MsiDatabase): string | null {
  const row = readTable(db, 'Property').find((r) => r.Property === 'ProductVersion');
  const v = row?.Value;
  return typeof v === 'string' && /^[0-9]+(\.[0-9]+){1,3}$/.test(v) ? v : null;
}

async function fromCab(fs: Fs, cabPath: string, staging: string, temps: string[], opts: ExtractOptions): Promise<Found & { source: PackageSource }> {
  const name = cabPath.split(/[\\/]/).pop() || 'package.cab';
  // The cabinet's bytes are dropped once the entry is out, before an inner MSI is read.
  const inner = await takeFromCab(fs, cabPath, name, staging, opts);
  temps.push(inner.path);
  const base = { kind: 'cab' as const, path: cabPath, entry: inner.entry };
  if (inner.kind === 'kernel') return { kernel: inner.path, modules: null, source: { ...base, package: 'kernel-in-cab' } };
  const got = await fromMsi(fs, inner.path, `${name}\\${inner.entry}`, staging, temps, opts);
  return { ...got, source: { ...base, ...got.source } };
}

/** The first entry (MSIs by name first) whose bytes are an MSI or a kernel, extracted to a temp. */
async function takeFromCab(fs: Fs, cabPath: string, name: string, staging: string, opts: ExtractOptions): Promise<{ path: string; kind: 'msi' | 'kernel'; entry: string }> {
  const bytes = await readInput(fs, cabPath, 'the cabinet');
  const cab = guardParse('the cabinet', () => parseCabinet(bytes));
  const score = (f: CabFile): number => (/\.msi$/i.test(f.name) ? 0 : /(^|[\\/])kernel$/i.test(f.name) ? 1 : 2);
  const ordered = [...cab.files].sort((a, b) => score(a) - score(b)).slice(0, MAX_PROBED_ENTRIES);
  let unsupported: KernelSetupError | null = null;
  for (const entry of ordered) {
    if (entry.size < 512) continue;
    let compression;
    try {
      compression = folderCompression(cab, entry.folder, name);
    } catch (err) {
      // A Quantum folder may hold something else; say so only if nothing readable is found.
      if (err instanceof KernelSetupError && err.code === 'unsupported-compression') {
        unsupported = err;
        continue;
      }
      throw err;
    }
    const head = await probe(cab, entry, compression);
    const kind = kindOf(head) === 'msi' ? 'msi' : looksLikeKernel(head) ? 'kernel' : null;
    if (kind === null) continue;
    const path = await extractCabEntry(fs, cab, entry, compression, staging, kind === 'msi' ? 'package' : 'kernel', opts);
    return { path, kind, entry: entry.name };
  }
  if (unsupported) throw unsupported;
  throw invalidMsi(`the cabinet ${name} holds neither an installer package nor a kernel`);
}

const PROBE_BYTES = 0x240;
class ProbeDone extends Error {}

/** The first bytes of a cabinet entry, decompressing no further than needed. */
async function probe(cab: Cabinet, entry: CabFile, compression: ReturnType<typeof folderCompression>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  try {
    await extractCabFile(cab, entry, compression, async (chunk) => {
      parts.push(chunk.subarray(0, PROBE_BYTES - have));
      have += Math.min(chunk.length, PROBE_BYTES - have);
      if (have >= PROBE_BYTES) throw new ProbeDone();
    });
  } catch (err) {
    if (!(err instanceof ProbeDone)) {
      if (err instanceof KernelSetupError) throw err;
      throw invalidMsi(`the cabinet's data is malformed (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return Buffer.concat(parts);
}

/** An x64 bzImage (0xAA55 at 0x1FE, "HdrS" at 0x202) or an arm64 Image ("ARM\x64" at 0x38) (docs/design.md §4). */
function looksLikeKernel(head: Buffer): boolean {
  const bz = head.length >= 0x206 && head.readUInt16LE(0x1fe) === 0xaa55 && head.toString('latin1', 0x202, 0x206) === 'HdrS';
  const arm = head.length >= 0x3c && head.readUInt32LE(0x38) === 0x644d5241;
  return bz || arm;
}
