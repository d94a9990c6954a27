/**
 * Running Windows programs in the suite's Wine prefix: the CLI bundle under Node for Windows,
 * Wine's reg.exe, and the stand-in wsl.exe / fltmc.exe. Set up by scripts/test-windows.mts.
 *
 * A Windows process whose stdout is a Unix pipe dies with EBADF, so output goes to files; exit
 * statuses arrive cut to 8 bits (1603 -> 67), so tests assert on the JSON exitCode.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CommandResult } from '../../../src/shared/types';

export interface WineEnv {
  wine64: string;
  prefix: string;
  node: string;
  standIns: string;
  bundle: string;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run this suite with "npm run test:windows"`);
  return v;
}

export function wineEnv(): WineEnv {
  return {
    wine64: required('WSLK_WINE64'),
    prefix: required('WSLK_WINE_PREFIX'),
    node: required('WSLK_WINE_NODE'),
    standIns: required('WSLK_WINE_STAND_INS'),
    // WSLK_WINE_BUNDLE: another build of the CLI (for example an older one, to see a test fail).
    bundle: process.env.WSLK_WINE_BUNDLE ?? resolve(__dirname, '..', '..', '..', 'out', 'cli', 'wslk.cjs'),
  };
}

/** A path under the prefix's C: drive (`drive('windows/system32/lxss/tools')`; Wine's folders are lower case). */
export function drive(...parts: string[]): string {
  return join(wineEnv().prefix, 'drive_c', ...parts);
}

/** The Windows name of a Linux path (Wine maps `/` to drive Z:). */
export function zPath(linuxPath: string): string {
  return `Z:${linuxPath.replace(/\//g, '\\')}`;
}

export interface WinRun {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  ms: number;
}

let counter = 0;

/** Runs a Windows program (a Linux path or a name Wine finds, like `reg`) with its output in files. */
export async function runWin(program: string, args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 120_000): Promise<WinRun> {
  const env = wineEnv();
  const dir = await fsp.mkdtemp(join(tmpdir(), `wslk-wine-${process.pid}-${counter++}-`));
  const outPath = join(dir, 'stdout');
  const errPath = join(dir, 'stderr');
  const out = openSync(outPath, 'w');
  const err = openSync(errPath, 'w');
  const started = Date.now();
  try {
    const code = await new Promise<number | null>((res, rej) => {
      const child = spawn(env.wine64, [program, ...args], {
        stdio: ['ignore', out, err],
        // Wine hands the Unix environment to the Windows process.
        env: { ...process.env, ...extraEnv, WINEPREFIX: env.prefix, WINEDEBUG: '-all' },
      });
      const guard = setTimeout(() => {
        child.kill('SIGKILL');
        rej(new Error(`${program} ${args.join(' ')} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      child.on('error', rej);
      child.on('close', (c) => {
        clearTimeout(guard);
        res(c);
      });
    });
    return { code, stdout: await fsp.readFile(outPath), stderr: await fsp.readFile(errPath), ms: Date.now() - started };
  } finally {
    closeSync(out);
    closeSync(err);
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

export interface WslkRun extends WinRun {
  json: CommandResult;
  text: string;
}

const READ_ONLY = new Set(['status', 'diagnose', 'history', 'precheck']);

/** `wslk <args> --json` as a Windows process: Node for Windows running the built CLI bundle. */
export async function wslk(args: string[], extraEnv: Record<string, string> = {}): Promise<WslkRun> {
  const env = wineEnv();
  let r = await runWin(env.node, [zPath(env.bundle), ...args, '--json'], extraEnv);
  // Once in a loaded CI run a read-only command exited 1 having written nothing at all, not even an
  // error (never reproduced in three full runs). The CLI always prints one JSON object, so a silent
  // exit is the process not running, not an answer: a read-only command is run again, and says so.
  if (READ_ONLY.has(args[0] ?? '') && r.code !== 0 && r.stdout.length === 0 && r.stderr.length === 0) {
    console.warn(`[windows suite] wslk ${args.join(' ')} exited ${r.code} with no output at all; running it again`);
    r = await runWin(env.node, [zPath(env.bundle), ...args, '--json'], extraEnv);
  }
  const text = r.stdout.toString('utf8');
  let json: CommandResult;
  try {
    json = JSON.parse(text) as CommandResult;
  } catch {
    throw new Error(`wslk ${args.join(' ')}: no JSON on stdout (exit ${r.code}).\nstdout: ${text}\nstderr: ${r.stderr.toString('utf8')}`);
  }
  // The Windows exit status reaches Linux cut to 8 bits: it must agree with the JSON's full code.
  if (r.code !== (json.exitCode & 0xff)) throw new Error(`wslk ${args.join(' ')}: exit ${r.code}, JSON exitCode ${json.exitCode}`);
  return { ...r, json, text };
}

/** `wslk <args>` without --json: the human output. */
export async function wslkHuman(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = wineEnv();
  const r = await runWin(env.node, [zPath(env.bundle), ...args], extraEnv);
  return { code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}
