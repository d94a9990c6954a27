/**
 * A real x64 bzImage from Debian's linux-image package, cached in /tmp/wslk-real-kernel (the same
 * folder and steps as `real_debian_kernel()` in the conformance suite's wslk.py).
 */
import { execFile } from 'node:child_process';
import type { Dirent } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REAL_KERNEL_CACHE = '/tmp/wslk-real-kernel';

let problem: string | null = null;

/** Why the last realDebianKernel() call returned null. */
export function realDebianKernelProblem(): string | null {
  return problem;
}

async function findVmlinuz(dir: string): Promise<string | null> {
  let entries: Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isFile() && e.name.startsWith('vmlinuz-')) return full;
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      const found = await findVmlinuz(path.join(dir, e.name));
      if (found) return found;
    }
  }
  return null;
}

function result(file: string): { path: string; release: string } {
  return { path: file, release: path.basename(file).slice('vmlinuz-'.length) };
}

async function imagePackage(): Promise<string | null> {
  const { stdout } = await run('apt-cache', ['depends', 'linux-image-amd64'], { timeout: 60_000 });
  for (const line of stdout.split('\n')) {
    const m = /^\s*Depends:\s*(linux-image-\S+)/.exec(line);
    if (m) return m[1]!;
  }
  return null;
}

/** The cached or freshly downloaded Debian kernel, or null (see realDebianKernelProblem()). */
export async function realDebianKernel(): Promise<{ path: string; release: string } | null> {
  problem = null;
  const cached = await findVmlinuz(REAL_KERNEL_CACHE);
  if (cached) return result(cached);
  // Work in a private folder beside the cache, then rename: the cache never holds half a package.
  let work: string | null = null;
  try {
    await fsp.mkdir(REAL_KERNEL_CACHE, { recursive: true });
    let pkg = await imagePackage().catch(() => null);
    if (!pkg) {
      await run('apt-get', ['update'], { timeout: 300_000 });
      pkg = await imagePackage();
    }
    if (!pkg) throw new Error('apt-cache depends linux-image-amd64 names no linux-image package');
    work = await fsp.mkdtemp(`${REAL_KERNEL_CACHE}.tmp-`);
    await run('apt-get', ['download', pkg], { cwd: work, timeout: 600_000, maxBuffer: 16 << 20 });
    const deb = (await fsp.readdir(work)).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
    await run('dpkg-deb', ['-x', deb, 'x'], { cwd: work, timeout: 300_000 });
    const file = await findVmlinuz(path.join(work, 'x'));
    if (!file) throw new Error(`${deb} holds no vmlinuz-* file`);
    const expected = pkg.slice('linux-image-'.length).replace(/-unsigned$/, '');
    if (result(file).release !== expected) {
      throw new Error(`${deb} holds ${path.basename(file)}, expected vmlinuz-${expected}`);
    }
    try {
      await fsp.rename(path.join(work, 'x'), path.join(REAL_KERNEL_CACHE, 'x'));
      await fsp.rename(path.join(work, deb), path.join(REAL_KERNEL_CACHE, deb));
    } catch {
      // Someone else filled the cache meanwhile: use theirs.
    }
    const final = await findVmlinuz(REAL_KERNEL_CACHE);
    if (!final) throw new Error(`could not move the kernel into ${REAL_KERNEL_CACHE}`);
    return result(final);
  } catch (err) {
    problem = `could not get a Debian kernel with apt: ${(err as Error).message.split('\n')[0]}`;
    return null;
  } finally {
    if (work) await fsp.rm(work, { recursive: true, force: true });
  }
}
