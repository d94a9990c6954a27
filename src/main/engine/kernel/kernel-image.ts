/**
 * Reads what a kernel image says about itself: architecture, release, version (docs/design.md §4).
 *
 * Everything is streamed through one reused 1 MiB buffer, so memory stays bounded whatever the
 * file size, and `inspectKernel` hashes and parses in the same single pass.
 */
import { createHash } from 'node:crypto';
import { KernelSetupError } from '../../../shared/errors';
import type { Arch } from '../../../shared/types';
import type { FileHandle, Fs } from '../machine/fs-port';
import { declaredX64Size } from './kernel-declared-size';
import { compareReleases } from './release-order';
import { READ_LIMITS, openRegularFile } from '../machine/bounded-read';
import { timed } from '../machine/timing';
import type { ReadRule } from '../machine/bounded-read';

export interface KernelHeader {
  arch: Arch;
  /** E.g. `5.15.153.1-microsoft-standard-WSL2`. */
  release: string;
  /** The release up to the first `-`, e.g. `5.15.153.1`. */
  version: string;
}

export interface InspectOptions {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

export interface KernelInspection {
  header: KernelHeader;
  sha256: string;
  size: number;
}

/** Bytes read per step; the buffer is allocated once per pass and reused. */
export const CHUNK_SIZE = 1 << 20;
/** Enough of the file for any x64 version pointer (u16 + 0x200) and its 256-byte string. */
export const X64_HEAD_SIZE = 0x10000 + 0x200 + 0x200;
const MAX_TEXT = 256;
const ARM64_MAGIC = 0x644d5241;
const BANNER = Buffer.from('Linux version ', 'latin1');

/** The release up to the first `-`: `5.15.153.1-microsoft-standard-WSL2` → `5.15.153.1`. */
export function parseVersion(release: string): string {
  const dash = release.indexOf('-');
  return dash < 0 ? release : release.slice(0, dash);
}

/**
 * Compare two versions (or releases): numeric dotted version first, then the rest segment by
 * segment (release-order.ts; docs/design.md, "Version order").
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  return compareReleases(a, b);
}

/** Kernel files are read only when they are regular files of a plausible size (bounded-read.ts). */
function kernelRule(path: string): ReadRule {
  return { code: 'not-a-kernel', what: `The kernel file ${path.split(/[\\/]/).pop()}`, maxBytes: READ_LIMITS.kernel };
}

function notAKernel(path: string, why: string): KernelSetupError {
  return new KernelSetupError('not-a-kernel', `${path} is not a Linux kernel: ${why}.`, { path, reason: why });
}

function isPrintable(b: number): boolean {
  return b >= 0x20 && b <= 0x7e;
}

type HeadKind = { arch: 'x64'; header: KernelHeader; minSize: number | null } | { arch: 'arm64' };

function checkDeclaredSize(kind: HeadKind, size: number, path: string): void {
  if (kind.arch === 'x64' && kind.minSize !== null && size < kind.minSize) {
    throw notAKernel(path, `it is truncated (its header declares ${kind.minSize} bytes, the file has ${size})`);
  }
}

/** Decide the image type from its first bytes (`head` holds min(file size, X64_HEAD_SIZE) bytes). */
function classifyHead(head: Buffer, path: string): HeadKind {
  if (head.length === 0) throw notAKernel(path, 'it is empty');
  if (head.length >= 0x40 && head.readUInt32LE(0x38) === ARM64_MAGIC) return { arch: 'arm64' };
  if (head.length < 0x210) {
    throw notAKernel(path, `it is too short (${head.length} bytes) to hold a kernel header`);
  }
  if (head.readUInt16LE(0x1fe) !== 0xaa55 || head.toString('latin1', 0x202, 0x206) !== 'HdrS') {
    throw notAKernel(path, 'it has neither an x64 bzImage header nor an ARM64 Image header');
  }
  const field = head.readUInt16LE(0x20e);
  if (field === 0) throw notAKernel(path, 'its bzImage header has no version string');
  const ptr = field + 0x200;
  if (ptr >= head.length) throw notAKernel(path, `its version pointer (0x${ptr.toString(16)}) is outside the file`);
  const end = head.indexOf(0, ptr);
  if (end < 0 || end - ptr > MAX_TEXT) {
    throw notAKernel(path, 'its version string is unterminated or longer than 256 bytes');
  }
  for (let i = ptr; i < end; i++) {
    if (!isPrintable(head[i]!)) throw notAKernel(path, 'its version string contains unprintable bytes');
  }
  const text = head.toString('latin1', ptr, end);
  const space = text.indexOf(' ');
  const release = space < 0 ? text : text.slice(0, space);
  if (!/^[0-9]/.test(release)) throw notAKernel(path, `its version string "${text}" does not start with a release number`);
  return { arch: 'x64', header: { arch: 'x64', release, version: parseVersion(release) }, minSize: declaredX64Size(head) };
}

/** Parse the release after a banner match: a string, or why not. */
function releaseAt(buf: Buffer, start: number): string | 'invalid' | 'incomplete' {
  for (let i = start; i <= start + MAX_TEXT; i++) {
    if (i >= buf.length) return 'incomplete';
    const b = buf[i]!;
    if (b === 0x20 || b === 0x0a || b === 0x00) {
      const release = buf.toString('latin1', start, i);
      return /^[0-9]/.test(release) ? release : 'invalid';
    }
    if (b < 0x21 || b > 0x7e) return 'invalid';
  }
  return 'invalid';
}

/**
 * Finds the first valid `Linux version <release> ` banner in a stream of chunks.
 *
 * A banner may straddle chunks: the few bytes that could start one (or an unfinished candidate) are
 * carried over, never more than ~270 bytes.
 */
export class BannerScanner {
  release: string | null = null;
  private carry: Buffer = Buffer.alloc(0);

  /** Feed the next chunk (only read during the call). Returns true once a banner was found. */
  feed(chunk: Buffer): boolean {
    if (this.release !== null) return true;
    const lookahead = BANNER.length + MAX_TEXT + 1;
    if (this.carry.length > 0 && chunk.length > lookahead) {
      // Matches that start in the carried bytes complete within `lookahead` bytes of the chunk.
      const window = Buffer.concat([this.carry, chunk.subarray(0, lookahead)]);
      if (this.scan(window, this.carry.length) === null) return true;
      this.carry = Buffer.alloc(0);
    } else if (this.carry.length > 0) {
      chunk = Buffer.concat([this.carry, chunk]);
    }
    const keepFrom = this.scan(chunk, chunk.length);
    if (keepFrom === null) return true;
    this.carry = Buffer.from(chunk.subarray(keepFrom));
    return false;
  }

  /** Look at matches starting before `limit`; null when found, else where the carry starts. */
  private scan(buf: Buffer, limit: number): number | null {
    let from = 0;
    for (;;) {
      const m = buf.indexOf(BANNER, from);
      if (m < 0 || m >= limit) break;
      const r = releaseAt(buf, m + BANNER.length);
      if (r === 'incomplete') return m;
      if (r !== 'invalid') {
        this.release = r;
        return null;
      }
      from = m + 1;
    }
    return Math.max(0, buf.length - (BANNER.length - 1));
  }
}

/** Read until `length` bytes or end of file; returns the count read. */
async function readFull(handle: FileHandle, buf: Buffer, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const n = await handle.read(buf, done, length - done, position + done);
    if (n <= 0) break;
    done += n;
  }
  return done;
}

function checkAbort(signal: AbortSignal | undefined, path: string): void {
  if (signal?.aborted) throw new KernelSetupError('cancelled', `Reading ${path} was cancelled.`, { path });
}

/**
 * One streaming pass: sha256 of the whole file and its kernel header.
 *
 * A missing file rejects with the system's ENOENT error unchanged; content that is not a kernel
 * rejects with `not-a-kernel` (after the whole file was read, for an arm64 image without a banner).
 * Timed as `kernel.inspect-hash` (machine/timing.ts).
 */
export function inspectKernel(fs: Fs, path: string, opts: InspectOptions = {}): Promise<KernelInspection> {
  return timed('kernel.inspect-hash', () => inspectKernelUntimed(fs, path, opts));
}

async function inspectKernelUntimed(fs: Fs, path: string, opts: InspectOptions): Promise<KernelInspection> {
  const { handle, stat } = await openRegularFile(fs, path, kernelRule(path));
  try {
    const total = stat.size;
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK_SIZE);
    let kind: HeadKind | null = null;
    const banner = new BannerScanner();
    let size = 0;
    for (;;) {
      checkAbort(opts.signal, path);
      const n = await readFull(handle, buf, CHUNK_SIZE, size);
      const chunk = buf.subarray(0, n);
      if (kind === null) {
        // The first chunk is full unless the file ends, so it holds the whole x64 head.
        kind = classifyHead(chunk.subarray(0, X64_HEAD_SIZE), path);
      }
      if (n === 0) break;
      hash.update(chunk);
      if (kind.arch === 'arm64') banner.feed(chunk);
      size += n;
      if (size > READ_LIMITS.kernel) throw notAKernel(path, 'it grew past the size allowed for a kernel while being read');
      opts.onProgress?.(size, Math.max(total, size));
      if (n < CHUNK_SIZE) break;
    }
    if (kind === null) throw notAKernel(path, 'it is empty');
    // A truncated copy must never pass for a kernel (it would be installed, or kept as a valid slot).
    checkDeclaredSize(kind, size, path);
    let header: KernelHeader;
    if (kind.arch === 'x64') header = kind.header;
    else if (banner.release !== null) header = { arch: 'arm64', release: banner.release, version: parseVersion(banner.release) };
    else throw notAKernel(path, 'it has an ARM64 Image header but no "Linux version" banner');
    return { header, sha256: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}

/**
 * The header only: for x64 just the first ~65 KiB are read; for arm64 the file is scanned for the
 * banner (streaming, stopping where it is found).
 */
export async function readKernelHeader(fs: Fs, path: string): Promise<KernelHeader> {
  const { handle } = await openRegularFile(fs, path, kernelRule(path));
  try {
    const head = Buffer.allocUnsafe(X64_HEAD_SIZE);
    const n = await readFull(handle, head, X64_HEAD_SIZE, 0);
    if (n === 0) throw notAKernel(path, 'it is empty');
    const kind = classifyHead(head.subarray(0, n), path);
    if (kind.arch === 'x64') {
      checkDeclaredSize(kind, (await handle.stat()).size, path);
      return kind.header;
    }
    const banner = new BannerScanner();
    let found = banner.feed(head.subarray(0, n));
    if (!found && n === X64_HEAD_SIZE) {
      const buf = Buffer.allocUnsafe(CHUNK_SIZE);
      for (let pos = n; !found; ) {
        const got = await readFull(handle, buf, CHUNK_SIZE, pos);
        if (got === 0) break;
        found = banner.feed(buf.subarray(0, got));
        pos += got;
        if (got < CHUNK_SIZE) break;
      }
    }
    if (banner.release === null) throw notAKernel(path, 'it has an ARM64 Image header but no "Linux version" banner');
    return { arch: 'arm64', release: banner.release, version: parseVersion(banner.release) };
  } finally {
    await handle.close();
  }
}

/** Throw `wrong-architecture` unless the kernel is built for this machine's architecture. */
export function assertArch(header: KernelHeader, machineArch: Arch): void {
  if (header.arch !== machineArch) {
    throw new KernelSetupError(
      'wrong-architecture',
      `Kernel ${header.release} is built for ${header.arch}, but this computer is ${machineArch}.`,
      { kernelArch: header.arch, machineArch },
    );
  }
}

/** Plain streaming sha256 of a file (hex), through one reused 1 MiB buffer. */
export function hashFile(fs: Fs, path: string, onProgress?: (done: number, total: number) => void): Promise<string> {
  return timed('kernel.hash', () => hashFileUntimed(fs, path, onProgress));
}

async function hashFileUntimed(fs: Fs, path: string, onProgress?: (done: number, total: number) => void): Promise<string> {
  const { handle, stat } = await openRegularFile(fs, path, kernelRule(path));
  try {
    const total = stat.size;
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK_SIZE);
    let size = 0;
    for (;;) {
      const n = await readFull(handle, buf, CHUNK_SIZE, size);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      size += n;
      if (size > READ_LIMITS.kernel) throw notAKernel(path, 'it grew past the size allowed for a kernel while being read');
      onProgress?.(size, Math.max(total, size));
      if (n < CHUNK_SIZE) break;
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/** The sha256 of a file, or null when there is no such file. */
export async function hashIfPresent(fs: Fs, path: string): Promise<string | null> {
  try {
    return await hashFile(fs, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
