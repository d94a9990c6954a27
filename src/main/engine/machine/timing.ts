/**
 * An opt-in timing trace of one process (`WSLK_TRACE_TIMING=1`, or the CLI's `--trace-timing`):
 * how many file-system calls of each kind (flushes, folder flushes, renames …) and state writes
 * (journal, state.json, facts cache, history, registry, lock) a command made and how long they
 * took, and when each start-up phase (Node ready, CLI loaded, a lazily loaded part) ended.
 *
 * Off by default; when off, every hook is one boolean test. The CLI prints the report on stderr, so
 * `--json` output stays one object (docs/design.md §7).
 */

interface Tally {
  n: number;
  ms: number;
}

const state = {
  on: !!process.env.WSLK_TRACE_TIMING && process.env.WSLK_TRACE_TIMING !== '0',
  tallies: new Map<string, Tally>(),
  /**
   * Phase name → process.hrtime.bigint() at its end. Not performance.now(): its first call loads
   * Node's whole performance API (11 internal modules, about 2 ms), on every command's start-up path.
   */
  marks: [] as [string, bigint][],
};

export function timingEnabled(): boolean {
  return state.on;
}

/** Turn the trace on (the CLI's `--trace-timing`); the marks taken so far are kept. */
export function enableTiming(): void {
  state.on = true;
}

function add(kind: string, ms: number): void {
  const t = state.tallies.get(kind);
  if (t) {
    t.n++;
    t.ms += ms;
  } else state.tallies.set(kind, { n: 1, ms });
}

/** Time one awaited call under `kind` (when the trace is on). */
export async function timed<T>(kind: string, fn: () => Promise<T>): Promise<T> {
  if (!state.on) return fn();
  const start = performance.now();
  try {
    return await fn();
  } finally {
    add(kind, performance.now() - start);
  }
}

/** Record the end of a start-up phase, in milliseconds since the process started. */
export function markPhase(name: string): void {
  state.marks.push([name, process.hrtime.bigint()]);
}

export interface TimingReport {
  /** Phases in order, each with the time since the process started (ms). */
  phases: { name: string; atMs: number }[];
  /** By kind: how many calls, and their total time (ms). Nested kinds overlap (a state write includes its flush). */
  calls: Record<string, { n: number; ms: number }>;
}

export function timingReport(): TimingReport {
  const round = (x: number) => Math.round(x * 100) / 100;
  const boot = (performance as Performance & { nodeTiming?: { bootstrapComplete?: number } }).nodeTiming?.bootstrapComplete;
  // The marks in milliseconds since the process started: both clocks read now give the offset.
  const hrNow = process.hrtime.bigint();
  const now = performance.now();
  const sinceStart = (at: bigint) => now - Number(hrNow - at) / 1e6;
  const marks = state.marks.map(([name, at]): [string, number] => [name, sinceStart(at)]);
  const phases = [...(typeof boot === 'number' ? [['node-ready', boot] as [string, number]] : []), ...marks].map(([name, at]) => ({ name, atMs: round(at) }));
  const calls: TimingReport['calls'] = {};
  for (const [k, t] of [...state.tallies].sort((a, b) => b[1].ms - a[1].ms)) calls[k] = { n: t.n, ms: round(t.ms) };
  return { phases, calls };
}

/** The report as lines for a person, then one `WSLK-TIMING {json}` line for scripts (npm run bench). */
export function formatTimingReport(r: TimingReport = timingReport()): string {
  const lines = ['timing (ms since the process started):'];
  let prev = 0;
  for (const p of r.phases) {
    lines.push(`  ${p.name.padEnd(28)} ${p.atMs.toFixed(1).padStart(8)}  (+${(p.atMs - prev).toFixed(1)})`);
    prev = p.atMs;
  }
  lines.push('calls (count, total ms; a state write includes its own flushes and rename):');
  for (const [k, t] of Object.entries(r.calls)) lines.push(`  ${k.padEnd(28)} ${String(t.n).padStart(5)} ${t.ms.toFixed(2).padStart(9)}`);
  lines.push(`WSLK-TIMING ${JSON.stringify(r)}`);
  return lines.join('\n') + '\n';
}
