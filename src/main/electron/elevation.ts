/**
 * Relaunch the app elevated on Windows (the "Restart as administrator" button).
 *
 * Uses Windows PowerShell's `Start-Process -Verb RunAs`, which asks UAC through ShellExecute. A
 * cancelled prompt is an outcome the user chose, not an error: it is told apart by its Win32 code
 * ERROR_CANCELLED (1223), never by the (localized) message. Electron-free; the process runner is a
 * parameter so tests can check the command and the outcome mapping.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { KernelSetupError } from '../../shared/errors';
import type { RelaunchOutcome } from '../app/handlers';

/** Win32 ERROR_CANCELLED: the user answered No to the UAC prompt. */
export const ERROR_CANCELLED = 1223;

/** Runs a program and resolves with its exit code (null when it could not start). */
export type ProcessRunner = (file: string, args: string[]) => Promise<number | null>;

/** Quote one argument the way CommandLineToArgvW reads it back (Start-Process joins them unquoted). */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let slashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    if (ch === '"') {
      out += '\\'.repeat(slashes * 2 + 1) + '"';
    } else {
      out += '\\'.repeat(slashes) + ch;
    }
    slashes = 0;
  }
  return out + '\\'.repeat(slashes * 2) + '"';
}

/** A PowerShell single-quoted string literal (no expansion; ' doubled). */
export function psLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The PowerShell script: start `exe` elevated; exit 0, 1223 when UAC was cancelled, else 1. */
export function relaunchScript(exe: string, args: readonly string[], cwd: string): string {
  const argList = args.length ? ` -ArgumentList @(${args.map((a) => psLiteral(quoteWindowsArg(a))).join(', ')})` : '';
  return [
    "$ErrorActionPreference = 'Stop'",
    'try {',
    `  Start-Process -FilePath ${psLiteral(exe)}${argList} -WorkingDirectory ${psLiteral(cwd)} -Verb RunAs`,
    '  exit 0',
    '} catch {',
    '  $e = $_.Exception',
    '  while ($e) {',
    `    if ($e -is [System.ComponentModel.Win32Exception] -and $e.NativeErrorCode -eq ${ERROR_CANCELLED}) { exit ${ERROR_CANCELLED} }`,
    '    $e = $e.InnerException',
    '  }',
    '  exit 1',
    '}',
  ].join('\n');
}

/** The PowerShell command line for the script (encoded, so no quoting can go wrong). */
export function powershellCommand(script: string, env: NodeJS.ProcessEnv = process.env): { file: string; args: string[] } {
  // An absolute path: a powershell.exe earlier on PATH must not be the one that asks for elevation.
  const root = env.SystemRoot ?? env.windir ?? 'C:\\Windows';
  const file = join(root, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  const encoded = Buffer.from(script, 'utf16le').toString('base64');
  return { file, args: ['-NoProfile', '-NonInteractive', '-WindowStyle', 'Hidden', '-EncodedCommand', encoded] };
}

/** Run a program without a console window and resolve with its exit code. */
export const defaultRunner: ProcessRunner = (file, args) =>
  new Promise((resolveCode) => {
    const child = spawn(file, args, { stdio: 'ignore', windowsHide: true });
    child.once('error', () => resolveCode(null));
    child.once('exit', (code) => resolveCode(code));
  });

export interface RelaunchRequest {
  /** The executable to start (process.execPath). */
  exe: string;
  /** Its arguments (the app path in development, then the entry screen flag). */
  args: readonly string[];
  cwd: string;
  platform?: string;
  run?: ProcessRunner;
}

/**
 * Start a new elevated instance. 'relaunched' means it was started (the caller quits this one);
 * 'cancelled' means the user declined the UAC prompt; 'unsupported' off Windows.
 */
export async function relaunchElevated(req: RelaunchRequest): Promise<RelaunchOutcome> {
  if ((req.platform ?? process.platform) !== 'win32') return 'unsupported';
  const { file, args } = powershellCommand(relaunchScript(req.exe, req.args, req.cwd));
  const code = await (req.run ?? defaultRunner)(file, args);
  if (code === 0) return 'relaunched';
  if (code === ERROR_CANCELLED) return 'cancelled';
  // Not a cancellation (e.g. PowerShell missing or blocked by policy): the remedy of
  // `not-elevated` (start it as administrator by hand) is what the user can still do.
  throw new KernelSetupError('not-elevated', `The app could not restart itself as administrator (PowerShell exit code ${code ?? 'none'}).`);
}
