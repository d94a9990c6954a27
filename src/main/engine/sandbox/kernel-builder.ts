/**
 * Builds synthetic kernel images with real x64 / arm64 headers (never bootable).
 *
 * Used for the sandbox's demo kernel and by tests; the layouts mirror `make_bzimage` and
 * `make_arm64_image` in the conformance suite. The filler is a deterministic 64 KiB pseudo-random
 * block repeated, so a 256 MiB image is built (or written chunk by chunk) quickly.
 */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import type { Arch } from '../../../shared/types';
import type { Fs } from '../machine/fs-port';

export interface BzImageOptions {
  /** E.g. `5.15.153.1-microsoft-standard-WSL2`. */
  release: string;
  /** File size in bytes; default 1 MiB. */
  size?: number;
  /** Filler seed; default the release. */
  seed?: string | number;
  /** ASCII text placed at 0x600 (inside the setup sectors), e.g. a "demo" label. */
  note?: string;
}

export interface Arm64ImageOptions {
  release: string;
  size?: number;
  /** Filler seed; default the release + "arm". */
  seed?: string | number;
  /** Where the `Linux version` banner goes; default 0x8000. */
  bannerOffset?: number;
  /** ASCII text placed at 0x1000, e.g. a "demo" label. */
  note?: string;
}

interface Patch {
  offset: number;
  bytes: Buffer;
}

const MiB = 1 << 20;
const BLOCK = 1 << 16;

/** The deterministic 64 KiB filler block for a seed (sha256 in counter mode). */
function fillerBlock(seed: string | number): Buffer {
  const block = Buffer.allocUnsafe(BLOCK);
  for (let i = 0; i < BLOCK / 32; i++) {
    createHash('sha256').update(`${seed}:${i}`).digest().copy(block, i * 32);
  }
  return block;
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
}

function bzPatches(opts: BzImageOptions): Patch[] {
  const text = `${opts.release} (builder@wslk) #1 SMP Thu Jan 1 00:00:00 UTC 2026\0`;
  const patches: Patch[] = [
    { offset: 0, bytes: Buffer.from('MZ', 'latin1') },
    { offset: 0x1f1, bytes: Buffer.from([4]) }, // setup_sects
    { offset: 0x1fe, bytes: Buffer.from([0x55, 0xaa]) }, // boot flag 0xAA55
    { offset: 0x202, bytes: Buffer.from('HdrS', 'latin1') },
    { offset: 0x206, bytes: u16(0x020f) }, // boot protocol 2.15
    { offset: 0x20e, bytes: u16(0x400 - 0x200) }, // kernel_version: string at 0x400
    { offset: 0x400, bytes: Buffer.from(text, 'latin1') },
  ];
  if (opts.note !== undefined) patches.push({ offset: 0x600, bytes: Buffer.from(`${opts.note}\0`, 'latin1') });
  return patches;
}

function arm64Patches(opts: Arm64ImageOptions, size: number): Patch[] {
  const header = Buffer.alloc(0x40);
  header.writeUInt32LE(0x91005a4d, 0); // code0: "MZ" + add x13, x18, #0x16
  header.writeUInt32LE(0x14000000, 4); // code1: branch
  header.writeBigUInt64LE(0n, 8); // text_offset
  header.writeBigUInt64LE(BigInt(size), 0x10); // image_size
  header.writeBigUInt64LE(2n, 0x18); // flags: 4K pages
  header.writeUInt32LE(0x644d5241, 0x38); // "ARM\x64"
  header.writeUInt32LE(0, 0x3c);
  const banner = `Linux version ${opts.release} (builder@wslk) #1 SMP PREEMPT 2026\n\0`;
  const patches: Patch[] = [
    { offset: 0, bytes: header },
    { offset: opts.bannerOffset ?? 0x8000, bytes: Buffer.from(banner, 'latin1') },
  ];
  if (opts.note !== undefined) patches.push({ offset: 0x1000, bytes: Buffer.from(`${opts.note}\0`, 'latin1') });
  return patches;
}

function checkFits(size: number, patches: Patch[]): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Invalid image size ${size}`);
  for (const p of patches) {
    if (p.offset + p.bytes.length > size) {
      throw new RangeError(`An image of ${size} bytes is too small for its header (needs ${p.offset + p.bytes.length})`);
    }
  }
}

/** Copy the parts of `patches` that fall inside [at, at + chunk.length) into chunk. */
function applyPatches(chunk: Buffer, at: number, patches: Patch[]): void {
  for (const p of patches) {
    const start = Math.max(p.offset, at);
    const end = Math.min(p.offset + p.bytes.length, at + chunk.length);
    if (start < end) p.bytes.copy(chunk, start - at, start - p.offset, end - p.offset);
  }
}

function build(size: number, seed: string | number, patches: Patch[]): Buffer {
  checkFits(size, patches);
  const buf = Buffer.allocUnsafe(size);
  if (size > 0) buf.fill(fillerBlock(seed));
  applyPatches(buf, 0, patches);
  return buf;
}

/** Write the image chunk by chunk: memory stays at about 2 MiB whatever the size. */
async function writeChunked(path: string, size: number, seed: string | number, patches: Patch[]): Promise<void> {
  checkFits(size, patches);
  const plain = Buffer.allocUnsafe(Math.min(size, MiB));
  if (plain.length > 0) plain.fill(fillerBlock(seed));
  const patched = Buffer.allocUnsafe(plain.length);
  const handle = await fsp.open(path, 'w');
  try {
    for (let at = 0; at < size; at += MiB) {
      const len = Math.min(MiB, size - at);
      // Chunks start at multiples of 1 MiB, a multiple of the 64 KiB block: same filler as build().
      const touched = patches.some((p) => p.offset < at + len && p.offset + p.bytes.length > at);
      let chunk = plain.subarray(0, len);
      if (touched) {
        plain.copy(patched, 0, 0, len);
        chunk = patched.subarray(0, len);
        applyPatches(chunk, at, patches);
      }
      for (let off = 0; off < len; ) off += (await handle.write(chunk, off, len - off, at + off)).bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

/** An x64 bzImage-shaped buffer whose header reports `release`. */
export function buildBzImage(opts: BzImageOptions): Buffer {
  return build(opts.size ?? MiB, opts.seed ?? opts.release, bzPatches(opts));
}

/** The same bytes as buildBzImage, written to `path` without holding the image in memory. */
export function writeBzImage(path: string, opts: BzImageOptions): Promise<void> {
  return writeChunked(path, opts.size ?? MiB, opts.seed ?? opts.release, bzPatches(opts));
}

/** An arm64 `Image`-shaped buffer with a `Linux version <release> ` banner at 0x8000. */
export function buildArm64Image(opts: Arm64ImageOptions): Buffer {
  const size = opts.size ?? MiB;
  return build(size, opts.seed ?? `${opts.release}arm`, arm64Patches(opts, size));
}

/** The same bytes as buildArm64Image, written to `path` chunk by chunk. */
export function writeArm64Image(path: string, opts: Arm64ImageOptions): Promise<void> {
  const size = opts.size ?? MiB;
  return writeChunked(path, size, opts.seed ?? `${opts.release}arm`, arm64Patches(opts, size));
}

/** The version the demo kernel reports when none is given. */
export const DEMO_VERSION = '5.15.153.1';

/** The demo kernel's release for a version: `5.15.153.1` → `5.15.153.1-wslk-demo`. */
export function demoRelease(version: string = DEMO_VERSION): string {
  return `${version}-wslk-demo`;
}

const DEMO_NOTE = 'WSL Kernel Setup demo kernel: a labelled placeholder for the sandbox, not bootable.';

/** True for a release made by demoRelease (and any other `-demo` release). */
export function isDemoRelease(release: string): boolean {
  return release.includes('-demo');
}

/** The sha256 of the demo kernel `writeDemoKernel` writes with these options (presets name it in machine.json). */
export function demoKernelSha256(arch: Arch, opts: { version?: string; size?: number } = {}): string {
  const release = demoRelease(opts.version ?? DEMO_VERSION);
  const size = opts.size ?? MiB;
  const image = arch === 'x64' ? buildBzImage({ release, size, note: DEMO_NOTE }) : buildArm64Image({ release, size, note: DEMO_NOTE });
  return createHash('sha256').update(image).digest('hex');
}

/**
 * Write a clearly labelled demo kernel (release `<version>-wslk-demo`) through the Fs port and
 * flush it. For the sandbox only: it has a real header, so every flow can be tried with it.
 */
export async function writeDemoKernel(
  fs: Fs,
  path: string,
  arch: Arch,
  opts: { version?: string; size?: number } = {},
): Promise<{ release: string; size: number }> {
  const release = demoRelease(opts.version ?? DEMO_VERSION);
  const size = opts.size ?? MiB;
  const image =
    arch === 'x64'
      ? buildBzImage({ release, size, note: DEMO_NOTE })
      : buildArm64Image({ release, size, note: DEMO_NOTE });
  const handle = await fs.open(path, 'w');
  try {
    for (let at = 0; at < image.length; ) {
      const n = await handle.write(image, at, Math.min(MiB, image.length - at), at);
      if (n <= 0) throw new Error(`Short write to ${path}`);
      at += n;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { release, size };
}
