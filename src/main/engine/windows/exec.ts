/**
 * Running a Windows tool (`reg.exe`, `wsl.exe`, `fltmc.exe`) without a shell and without a window.
 */
import { execFile } from 'node:child_process';

export interface RunResult {
  /** The exit code; null when the process was killed (timeout) or never started. */
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
  /** The executable does not exist (for example wsl.exe on a machine without WSL). */
  notFound: boolean;
  timedOut: boolean;
}

export type Runner = (file: string, args: readonly string[], timeoutMs: number) => Promise<RunResult>;

/** execFile with no shell (arguments are never re-parsed by cmd.exe), hidden, with a timeout. */
export const runFile: Runner = (file, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { encoding: 'buffer', windowsHide: true, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: unknown; killed?: boolean; signal?: string | null }) | null;
        const out = Buffer.isBuffer(stdout) ? stdout : Buffer.from(stdout ?? '');
        const errOut = Buffer.isBuffer(stderr) ? stderr : Buffer.from(stderr ?? '');
        if (!e) return resolve({ code: 0, stdout: out, stderr: errOut, notFound: false, timedOut: false });
        const notFound = e.code === 'ENOENT';
        const timedOut = Boolean(e.killed) && !notFound;
        const code = typeof e.code === 'number' ? e.code : null;
        resolve({ code, stdout: out, stderr: errOut, notFound, timedOut });
      },
    );
  });

/** `%SystemRoot%\System32`, seen from this process: a 32-bit process must say Sysnative to reach it. */
export function system32Dir(env: NodeJS.ProcessEnv = process.env, arch: string = process.arch): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows';
  return `${root}\\${arch === 'ia32' ? 'Sysnative' : 'System32'}`;
}
