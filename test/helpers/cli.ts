/** Running the real CLI as separate processes: failpoints, kills at chosen instants, a small pool. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { CommandResult } from '../../src/shared/types';
import { repoRoot } from './paths';

export function cliBundle(): string {
  return join(repoRoot(), 'out', 'cli', 'wslk.cjs');
}

/** Build the CLI bundle once, so the runs below start it directly (`node out/cli/wslk.cjs`). */
export function buildCli(): void {
  if (process.env.WSLK_CLI_BUILT) return; // the runner built it once for every suite
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot(), 'scripts', 'build-cli.mts')], { cwd: repoRoot(), stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the CLI failed');
}

export interface CliRun {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  json: CommandResult | null;
  /** Failpoints reached, in order (WSLK_FAILPOINT_TRACE). */
  trace: string[];
  /** We killed it (killAfterLockMs). */
  killedByUs: boolean;
  ms: number;
  /** Milliseconds from start to `failpoint:lock.acquired`, when seen. */
  lockAtMs: number | null;
}

export interface CliOptions {
  failpoint?: string;
  /** SIGKILL the process this many milliseconds after it reports taking the operation lock. */
  killAfterLockMs?: number;
  env?: Record<string, string>;
  /** Extra node options (e.g. --require a probe). */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** Run `wslk <args>` and collect what it did. Trace output is always on. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, WSLK_FAILPOINT_TRACE: '1', ...(opts.env ?? {}) };
    delete env.WSLK_FAILPOINT;
    if (opts.failpoint) env.WSLK_FAILPOINT = opts.failpoint;
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), cliBundle(), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killedByUs = false;
    let lockAtMs: number | null = null;
    let killTimer: NodeJS.Timeout | null = null;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wslk ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 120_000} ms (hang)`));
    }, opts.timeoutMs ?? 120_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (lockAtMs === null && stderr.includes('failpoint:lock.acquired\n')) {
        lockAtMs = Date.now() - started;
        if (opts.killAfterLockMs !== undefined) {
          killTimer = setTimeout(() => {
            killedByUs = child.kill('SIGKILL');
          }, opts.killAfterLockMs);
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (killTimer) clearTimeout(killTimer);
      const trace = stderr
        .split('\n')
        .filter((l) => l.startsWith('failpoint:'))
        .map((l) => l.slice('failpoint:'.length));
      let json: CommandResult | null = null;
      try {
        json = stdout.trim() ? (JSON.parse(stdout) as CommandResult) : null;
      } catch {
        json = null;
      }
      resolve({ pid: child.pid ?? -1, code, signal, stdout, stderr, json, trace, killedByUs: killedByUs && signal === 'SIGKILL', ms: Date.now() - started, lockAtMs });
    });
  });
}

/** `name@k` for every failpoint occurrence of a trace (k counts repeats of the same name). */
export function occurrences(trace: string[]): string[] {
  const seen = new Map<string, number>();
  return trace.map((name) => {
    const k = (seen.get(name) ?? 0) + 1;
    seen.set(name, k);
    return `${name}@${k}`;
  });
}

/** Run `fn` over `items`, `parallel` at a time, in order of start. */
export async function pool<T, R>(items: T[], parallel: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}
