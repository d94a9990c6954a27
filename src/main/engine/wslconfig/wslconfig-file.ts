/**
 * Reading and rewriting a user's `.wslconfig` file.
 *
 * Reads refuse anything but a regular file of at most 1 MiB (a FIFO would block, a device would
 * never end). Writes go through `writeFileAtomic`, so the file holds the old text or the new one
 * in full, never a mix (DESIGN §6, invariant 3), in the encoding it had.
 */
import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { KernelSetupError } from '../../../shared/errors';
import { writeFileAtomic } from '../machine/atomic-write';
import type { Fs } from '../machine/fs-port';
import { editWsl2Text, setWsl2Paths, type KeyEdit, type Wsl2PathKey } from './wslconfig-edit';
import { parseWslConfig, type WslConfigDocument } from './wslconfig-parse';
import { decodeWslConfig, encodeWslConfig, type DecodedText } from './wslconfig-text';

export const WSLCONFIG_MAX_BYTES = 1024 * 1024;

export interface LoadedWslConfig {
  /** Where the file is on this machine (a sandbox path in a sandbox). */
  path: string;
  /** The Windows path WSL prints in its messages. */
  windowsPath: string;
  exists: boolean;
  bytes: Buffer;
  decoded: DecodedText;
  doc: WslConfigDocument;
}

function unreadable(path: string, why: string): KernelSetupError {
  return new KernelSetupError('wslconfig-unreadable', `${path}: ${why}.`, { path });
}

/** The file's bytes, or null when there is none; refuses non-regular and oversized files. */
export async function readWslConfigBytes(path: string): Promise<Buffer | null> {
  let handle: fsp.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked right after.
    handle = await fsp.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'EISDIR') throw unreadable(path, 'it is a folder, not a file');
    throw unreadable(path, `it cannot be opened (${code ?? String(err)})`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw unreadable(path, 'it is not a regular file');
    if (st.size > WSLCONFIG_MAX_BYTES) throw unreadable(path, `it is ${st.size} bytes, more than ${WSLCONFIG_MAX_BYTES}`);
    const buf = Buffer.alloc(WSLCONFIG_MAX_BYTES + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n > WSLCONFIG_MAX_BYTES) throw unreadable(path, `it grew past ${WSLCONFIG_MAX_BYTES} bytes while being read`);
    }
    return buf.subarray(0, n);
  } finally {
    await handle.close();
  }
}

export async function loadWslConfig(path: string, windowsPath: string): Promise<LoadedWslConfig> {
  const bytes = await readWslConfigBytes(path);
  const decoded = decodeWslConfig(bytes ?? Buffer.alloc(0));
  return { path, windowsPath, exists: bytes !== null, bytes: bytes ?? Buffer.alloc(0), decoded, doc: parseWslConfig(decoded.text, windowsPath) };
}

function editable(cfg: LoadedWslConfig): void {
  if (!cfg.decoded.clean) throw unreadable(cfg.path, `its bytes are not valid ${cfg.decoded.encoding === 'utf16le-bom' ? 'UTF-16LE' : 'UTF-8'}`);
}

/** New bytes with the keys set to these Windows paths (null removes a key); same encoding as before. */
export function withWsl2Paths(cfg: LoadedWslConfig, paths: Partial<Record<Wsl2PathKey, string | null>>): Buffer {
  editable(cfg);
  return encodeWslConfig(setWsl2Paths(cfg.decoded.text, paths), cfg.decoded.encoding);
}

/** New bytes with raw edits applied (used to put a user's own lines back). */
export function withWsl2Edits(cfg: LoadedWslConfig, edits: Partial<Record<Wsl2PathKey, KeyEdit>>): Buffer {
  editable(cfg);
  return encodeWslConfig(editWsl2Text(cfg.decoded.text, edits), cfg.decoded.encoding);
}

/** Replaces the file atomically. */
export async function saveWslConfig(fs: Fs, path: string, bytes: Uint8Array, failpointPrefix?: string): Promise<void> {
  await writeFileAtomic(fs, path, bytes, failpointPrefix);
}
