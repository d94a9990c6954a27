/**
 * Take the kernel out of a "Windows Subsystem for Linux Update" package (wsl_update_x64.msi).
 *
 * The seed's troubleshooting fix 4 does this with `msiexec /a`; here it is done without
 * Windows Installer: the File table names the kernel, Media names its cabinet, the cabinet holds
 * its bytes. The result is a temporary file in the staging folder that the caller validates as a
 * kernel; nothing is written anywhere else, and a refusal leaves no file behind.
 */
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import type { FileHandle, Fs } from '../machine/fs-port';
import { extractCabFile, folderCompression, parseCabinet, type CabFile, type Cabinet, type Compression } from './cabinet';
import { readMsiStreams } from './compound-file';
import { guardParse, invalidMsi, isPlainFileName } from './fail';
import { kernelRank, listPackageFiles, type MsiFile } from './package-files';
import { openDatabase, type MsiDatabase } from './tables';
import { readRegularFile } from '../machine/bounded-read';

export type { MsiFile } from './package-files';
export { kernelRank, listPackageFiles } from './package-files';

/**
 * An installer package (or external cabinet) larger than this is not the kernel update. The
 * package is read whole, and cfb copies its streams once more, so this also bounds memory.
 */
const MAX_INPUT_BYTES = 600 * 1024 * 1024;
const WRITE_CHUNK = 1024 * 1024;

export interface ExtractedKernel {
  /** The temporary file in the staging folder that holds the kernel. */
  path: string;
  /** The File table key of the kernel. */
  fileKey: string;
  size: number;
  /** The Media row's Cabinet value: `#name` for a cabinet inside the package, else a file beside it. */
  cabinet: string;
  compression: Compression;
}

export interface ExtractOptions {
  onProgress?(done: number, total: number): void;
}

/** Every file the package installs, with its folder and cabinet (for tests and diagnostics). */
export async function listMsiFiles(fs: Fs, msiPath: string): Promise<MsiFile[]> {
  return listPackageFiles(await openPackage(fs, msiPath));
}

/** Extract the package's kernel to `stagingDir/<random>.msi-kernel.tmp` (written, synced, closed). */
export async function extractKernelFromMsi(
  fs: Fs,
  msiPath: string,
  stagingDir: string,
  opts: ExtractOptions = {},
): Promise<ExtractedKernel> {
  const db = await openPackage(fs, msiPath);
  return extractMsiFile(fs, msiPath, db, pickKernel(listPackageFiles(db)), stagingDir, 'kernel', opts);
}

/** Extract one file the package installs to `stagingDir/<random>.msi-<suffix>.tmp` (written, synced, closed). */
export async function extractMsiFile(
  fs: Fs,
  msiPath: string,
  db: MsiDatabase,
  file: MsiFile,
  stagingDir: string,
  suffix: 'kernel' | 'modules' | 'package',
  opts: ExtractOptions = {},
): Promise<ExtractedKernel> {
  const packageName = msiPath.split(/[\\/]/).pop() || 'wsl_update_x64.msi';
  const cabinetName = file.cabinet;
  if (cabinetName === null) {
    throw invalidMsi(
      file.diskId === null
        ? `no Media row covers "${file.name}" (sequence ${file.sequence})`
        : `"${file.name}" is stored uncompressed beside the package, not in a cabinet`,
    );
  }
  const cabBytes = await cabinetBytes(fs, msiPath, db, cabinetName);
  const cab = guardParse('the cabinet', () => parseCabinet(cabBytes));
  const entry = pickCabFile(cab, file);
  const compression = folderCompression(cab, entry.folder, packageName);
  const path = await extractCabEntry(fs, cab, entry, compression, stagingDir, suffix, opts);
  return { path, fileKey: file.fileKey, size: entry.size, cabinet: cabinetName, compression };
}

/** Write one cabinet entry to a new temp file in `stagingDir`; a failure leaves no file behind. */
export async function extractCabEntry(
  fs: Fs,
  cab: Cabinet,
  entry: CabFile,
  compression: Compression,
  stagingDir: string,
  suffix: 'kernel' | 'modules' | 'package',
  opts: ExtractOptions = {},
): Promise<string> {
  await fs.mkdir(stagingDir);
  const path = join(stagingDir, `${randomBytes(8).toString('hex')}.msi-${suffix}.tmp`);
  const handle = await fs.open(path, 'wx');
  try {
    await writeEntry(handle, cab, entry, compression, opts);
    await handle.sync();
  } catch (err) {
    // A refused or failed extraction leaves nothing in the staging folder.
    await handle.close().catch(() => undefined);
    await fs.unlink(path).catch(() => undefined);
    throw err;
  }
  try {
    await handle.close();
  } catch (err) {
    await fs.unlink(path).catch(() => undefined);
    throw err;
  }
  return path;
}

export async function openPackage(fs: Fs, msiPath: string): Promise<MsiDatabase> {
  const file = await readInput(fs, msiPath, 'the package');
  return openDatabase(readMsiStreams(file));
}

/** The File row of the kernel: named `kernel`, best in …\lxss\tools, then the earliest. */
function pickKernel(files: MsiFile[]): MsiFile {
  let best: MsiFile | null = null;
  for (const f of files) {
    const rank = kernelRank(f);
    if (rank > 0 && (best === null || rank > kernelRank(best))) best = f;
  }
  if (best === null) throw invalidMsi('the package does not install a file named "kernel"');
  if (best.size <= 0) throw invalidMsi(`the package declares the kernel "${best.fileKey}" as ${best.size} bytes`);
  return best;
}

async function cabinetBytes(fs: Fs, msiPath: string, db: MsiDatabase, cabinet: string): Promise<Buffer> {
  if (cabinet.startsWith('#')) {
    const stream = db.streams.streams.get(cabinet.slice(1));
    if (!stream) throw invalidMsi(`the embedded cabinet "${cabinet.slice(1)}" is missing from the package`);
    return stream;
  }
  // An external cabinet must sit right beside the package: never a path, a parent or a drive.
  if (!isPlainFileName(cabinet)) throw invalidMsi(`the cabinet name "${cabinet}" is not a plain file name`);
  return readInput(fs, join(dirname(msiPath), cabinet), `the cabinet "${cabinet}"`);
}

/** The cabinet entry named by the File key (as WiX and wixl name it), else by the long name. */
function pickCabFile(cab: Cabinet, kernel: MsiFile): CabFile {
  const key = kernel.fileKey.toLowerCase();
  const entry =
    cab.files.find((f) => f.name === kernel.fileKey) ??
    cab.files.find((f) => f.name.toLowerCase() === key) ??
    cab.files.find((f) => f.name.toLowerCase() === kernel.name.toLowerCase());
  if (!entry) throw invalidMsi(`the cabinet has no file "${kernel.fileKey}"`);
  if (!isPlainFileName(entry.name)) throw invalidMsi(`the cabinet file name "${entry.name}" is not a plain file name`);
  if (entry.size !== kernel.size) {
    throw invalidMsi(`the cabinet holds ${entry.size} bytes of "${entry.name}" but the File table says ${kernel.size}`);
  }
  return entry;
}

export async function readInput(fs: Fs, path: string, what: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const stat = await fs.stat(path);
    if (!stat) throw invalidMsi(`${what} does not exist (${path})`);
    bytes = await readRegularFile(fs, path, { code: 'invalid-msi', what, maxBytes: MAX_INPUT_BYTES });
  } catch (err) {
    if (err instanceof KernelSetupError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') throw invalidMsi(`${what} cannot be opened (${code})`);
    throw err;
  }
  if (bytes.length > MAX_INPUT_BYTES) throw invalidMsi(`${what} is far larger than a kernel package`);
  return bytes;
}

/** Stream a cabinet entry into the open temporary file in chunks of about 1 MiB. */
async function writeEntry(
  handle: FileHandle,
  cab: Cabinet,
  entry: CabFile,
  compression: Compression,
  opts: ExtractOptions,
): Promise<void> {
  let written = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    const chunk = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    for (let off = 0; off < chunk.length; ) {
      const n = await handle.write(chunk, off, chunk.length - off, written);
      if (n <= 0) throw new KernelSetupError('io-error', `Writing the extracted ${entry.name} made no progress.`);
      off += n;
      written += n;
    }
    opts.onProgress?.(written, entry.size);
  };
  opts.onProgress?.(0, entry.size);
  let writeFailed = false;
  const sink = async (chunk: Buffer): Promise<void> => {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes < WRITE_CHUNK) return;
    writeFailed = true;
    await flush();
    writeFailed = false;
  };
  try {
    await extractCabFile(cab, entry, compression, sink);
  } catch (err) {
    // The file system's own errors pass through; anything else is about the cabinet's bytes.
    if (writeFailed || err instanceof KernelSetupError) throw err;
    throw invalidMsi(`the cabinet's data is malformed (${err instanceof Error ? err.message : String(err)})`);
  }
  if (pendingBytes > 0) await flush();
  if (written !== entry.size) throw invalidMsi(`the cabinet gave ${written} of ${entry.size} bytes of "${entry.name}"`);
}
