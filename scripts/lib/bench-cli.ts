/**
 * CLI helpers for `npm run bench`: the timing breakdown a CLI run prints with WSLK_TRACE_TIMING=1
 * (src/main/engine/machine/timing.ts), summed up in one line, and a history of N entries written
 * as the tool writes them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimingReport } from '../../src/main/engine/machine/timing';

/** The WSLK-TIMING line of a run's stderr. */
export function timingOf(stderr: string): TimingReport {
  const line = stderr.split('\n').find((l) => l.startsWith('WSLK-TIMING '));
  if (!line) throw new Error(`no timing report in: ${stderr.slice(0, 300)}`);
  return JSON.parse(line.slice('WSLK-TIMING '.length)) as TimingReport;
}

/**
 * One line: start-up phases (Node ready, the CLI's code loaded, the machine opened, the command
 * done), then the calls that cost time, with counts.
 */
export function breakdown(r: TimingReport): string {
  const at = (name: string) => r.phases.find((p) => p.name === name)?.atMs ?? NaN;
  const node = at('node-ready');
  const loaded = at('cli-loaded');
  const opened = at('machine-opened');
  const done = at('command-done');
  const c = (k: string, label: string) => {
    const t = r.calls[k];
    return t ? `${t.n} ${label} ${t.ms.toFixed(1)}` : `0 ${label}`;
  };
  return [
    `node ${node.toFixed(0)}`,
    `load +${(loaded - node).toFixed(0)}`,
    `open +${(opened - loaded).toFixed(0)}`,
    `command +${(done - opened).toFixed(0)} ms:`,
    [
      c('kernel.inspect-hash', 'payload/slot reads'),
      c('kernel.copy-flush-verify', 'copy+flush+verify'),
      c('fs.fsync', 'fsync'),
      c('fs.folder-flush', 'folder flushes'),
      c('fs.rename', 'renames'),
      c('state.journal-write', 'journal writes'),
      c('state.state-write', 'state writes'),
      c('state.cache-write', 'cache writes'),
      c('registry.write', 'registry writes'),
      c('state.history-read', 'history reads'),
    ].join(', '),
  ].join(' ');
}

/** A history.jsonl of `n` entries like the tool's own, newest last. */
export function writeHistory(stateDir: string, n: number): void {
  const lines: string[] = [];
  const t0 = Date.UTC(2020, 0, 1);
  for (let i = 0; i < n; i++) {
    const ok = i % 10 !== 0;
    lines.push(
      JSON.stringify({
        id: `${(t0 + i * 86_400_000).toString(36)}-${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}`,
        op: i % 3 ? 'check-update' : 'install',
        at: new Date(t0 + i * 86_400_000).toISOString(),
        ok,
        code: ok ? null : 'feed-unreachable',
        message: ok ? 'Kernel 6.6.36.6 is up to date.' : 'The kernel feed could not be reached.',
        kernel: '6.6.36.6',
        rollbackKernel: '5.15.153.1',
        rollbackActive: false,
      }),
    );
  }
  writeFileSync(join(stateDir, 'history.jsonl'), lines.join('\n') + '\n');
}
