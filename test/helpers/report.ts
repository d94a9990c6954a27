/** How a reliability suite reports: progress on stderr, one result line on stdout for the runner. */

export interface SuiteResult {
  suite: string;
  /** Counts shown in the summary table. */
  metrics: Record<string, number>;
  violations: string[];
  ms: number;
  notes?: string[];
}

export const RESULT_PREFIX = 'RELIABILITY-RESULT ';

export interface SuiteArgs {
  bounded: boolean;
  full: boolean;
  parallel: number;
  /** Extra numeric options: `--kills 2000` → { kills: 2000 }. */
  numbers: Record<string, number>;
  seed: number;
  /** `--shard k/n`: this process runs the k-th of n slices of the operations. */
  shard: { index: number; count: number };
}

export function parseSuiteArgs(argv = process.argv.slice(2)): SuiteArgs {
  const numbers: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && next !== undefined && /^\d+$/.test(next)) {
      numbers[a.slice(2)] = Number(next);
      i++;
    }
  }
  const shardArg = argv[argv.indexOf('--shard') + 1];
  const shardMatch = argv.includes('--shard') && shardArg ? /^(\d+)\/(\d+)$/.exec(shardArg) : null;
  return {
    shard: shardMatch ? { index: Number(shardMatch[1]), count: Number(shardMatch[2]) } : { index: 0, count: 1 },
    bounded: !argv.includes('--full'),
    full: argv.includes('--full'),
    parallel: numbers.parallel ?? 2,
    numbers,
    seed: numbers.seed ?? Date.now() % 1_000_000,
  };
}

export function progress(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

/** Print the result line and set the exit code (non-zero on any violation). */
export function emitResult(r: SuiteResult): void {
  for (const v of r.violations.slice(0, 50)) process.stderr.write(`VIOLATION ${r.suite}: ${v}\n`);
  if (r.violations.length > 50) process.stderr.write(`… and ${r.violations.length - 50} more\n`);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(r)}\n`);
  process.exitCode = r.violations.length ? 1 : 0;
}

/** Run a suite's main, turning a crash of the harness itself into a violation. */
export function runSuite(suite: string, main: (args: SuiteArgs) => Promise<Omit<SuiteResult, 'suite' | 'ms'>>): void {
  const started = Date.now();
  const args = parseSuiteArgs();
  main(args).then(
    (r) => emitResult({ suite, ms: Date.now() - started, ...r }),
    (err: unknown) => emitResult({ suite, ms: Date.now() - started, metrics: {}, violations: [`harness error: ${(err as Error)?.stack ?? String(err)}`] }),
  );
}

/** A small, seedable PRNG (mulberry32), so a failing run can be replayed with --seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
