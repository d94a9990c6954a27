/**
 * libmspack's own test cabinets (normal, LZX, Quantum, spanning and hostile ones), from Debian's
 * `libmspack` source package, cached in /tmp/wslk-libmspack. `apt-get source --download-only`
 * needs deb-src lines: CI adds them (.ci/run); elsewhere a private source list with the system's
 * Debian mirror is used, so nothing under /etc is changed.
 */
import { execFile } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const LIBMSPACK_CACHE = '/tmp/wslk-libmspack';

let problem: string | null = null;

/** Why the last libmspackCabs() call returned null. */
export function libmspackCabsProblem(): string | null {
  return problem;
}

async function findCabd(dir: string): Promise<string | null> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return null;
  }
  for (const n of names) {
    const cabd = path.join(dir, n, 'test', 'test_files', 'cabd');
    if ((await fsp.stat(cabd).catch(() => null))?.isDirectory()) return cabd;
  }
  return null;
}

/** The Debian mirror and release the system's apt already uses (deb lines), for deb-src. */
async function debSrcLine(): Promise<string> {
  const release = /VERSION_CODENAME=(\w+)/.exec(await fsp.readFile('/etc/os-release', 'utf8'))?.[1] ?? 'bookworm';
  let mirror = 'http://deb.debian.org/debian';
  for (const dir of ['/etc/apt/sources.list.d', '/etc/apt']) {
    for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
      if (!/\.(sources|list)$/.test(name)) continue;
      const text = await fsp.readFile(path.join(dir, name), 'utf8').catch(() => '');
      const m = /^(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(\S+\/debian)\/?\s*$/m.exec(text) ?? /^(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(\S+\/debian)\s/m.exec(text);
      if (m) mirror = m[1]!;
    }
  }
  return `deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror} ${release} main\n`;
}

async function download(work: string): Promise<void> {
  try {
    await run('apt-get', ['source', '--download-only', 'libmspack'], { cwd: work, timeout: 300_000 });
    return;
  } catch {
    // No deb-src lines in the system's sources: use a private list.
  }
  const priv = path.join(work, 'apt');
  await fsp.mkdir(path.join(priv, 'lists', 'partial'), { recursive: true });
  await fsp.mkdir(path.join(priv, 'cache', 'archives', 'partial'), { recursive: true });
  await fsp.writeFile(path.join(priv, 'src.list'), await debSrcLine());
  const opts = [
    '-o', `Dir::Etc::SourceList=${path.join(priv, 'src.list')}`,
    '-o', 'Dir::Etc::SourceParts=/nonexistent',
    '-o', `Dir::State::Lists=${path.join(priv, 'lists')}`,
    '-o', `Dir::Cache=${path.join(priv, 'cache')}`,
    '-o', 'APT::Sandbox::User=root',
  ];
  await run('apt-get', [...opts, 'update'], { cwd: work, timeout: 300_000 });
  await run('apt-get', [...opts, 'source', '--download-only', 'libmspack'], { cwd: work, timeout: 300_000 });
}

/** The folder of libmspack's test cabinets, or null (see libmspackCabsProblem()). */
export async function libmspackCabs(): Promise<string | null> {
  problem = null;
  const cached = await findCabd(LIBMSPACK_CACHE);
  if (cached) return cached;
  let work: string | null = null;
  try {
    await fsp.mkdir(LIBMSPACK_CACHE, { recursive: true });
    work = await fsp.mkdtemp(`${LIBMSPACK_CACHE}.tmp-`);
    await download(work);
    const tarball = (await fsp.readdir(work)).find((f) => /^libmspack_.*\.orig\.tar\.\w+$/.test(f));
    if (!tarball) throw new Error('apt-get source produced no libmspack_*.orig.tar.* file');
    await run('tar', ['-xf', tarball], { cwd: work, timeout: 120_000 });
    const cabd = await findCabd(work);
    if (!cabd) throw new Error(`${tarball} has no test/test_files/cabd folder`);
    const top = path.relative(work, cabd).split(path.sep)[0]!;
    await fsp.rename(path.join(work, top), path.join(LIBMSPACK_CACHE, top)).catch(() => undefined);
    const final = await findCabd(LIBMSPACK_CACHE);
    if (!final) throw new Error(`could not move the source into ${LIBMSPACK_CACHE}`);
    return final;
  } catch (err) {
    problem = `could not get libmspack's test cabinets with apt: ${(err as Error).message.split('\n')[0]}`;
    return null;
  } finally {
    if (work) await fsp.rm(work, { recursive: true, force: true });
  }
}
