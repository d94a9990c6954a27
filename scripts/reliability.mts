// `npm run test:reliability [-- --full] [--only crash-matrix,faults] [--seed N] [--kills N] …`:
// runs the reliability suites of test/reliability one after another (bounded by default, for CI;
// --full for the long run), prints a summary table, and exits non-zero on any violation.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUITES = ['crash-matrix', 'power-loss', 'faults', 'hostile-input', 'concurrency', 'random-kills', 'store-kills'];
// In-process suites: one process per core, each taking every other operation.
const SHARDED = new Set(['power-loss', 'faults']);
const SHARDS = 2;
const PREFIX = 'RELIABILITY-RESULT ';

interface SuiteResult {
  suite: string;
  metrics: Record<string, unknown>;
  violations: string[];
  notes?: string[];
  ms: number;
}

const argv = process.argv.slice(2).filter((a) => a !== '--bounded');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? (argv.splice(onlyAt, 2)[1] ?? '').split(',') : SUITES;
const passthrough = argv;
const mode = passthrough.includes('--full') ? 'full' : 'bounded';

function runSuite(name: string, extra: string[] = []): Promise<SuiteResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'reliability', `${name}.ts`), ...passthrough, ...extra], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', WSLK_CLI_BUILT: '1' },
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(PREFIX));
      const result: SuiteResult = line ? (JSON.parse(line.slice(PREFIX.length)) as SuiteResult) : { suite: name, metrics: {}, violations: [`the suite ended (exit ${code}) without a result`], ms: Date.now() - started };
      resolve(result);
    });
  });
}

const started = Date.now();
// One build up front, so no suite (or two at once) rebuilds the CLI bundle.
if (spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build-cli.mts')], { stdio: 'inherit' }).status !== 0) process.exit(1);
/** Run the shards of a suite at once and add their results up. */
async function runSharded(name: string): Promise<SuiteResult> {
  const parts = await Promise.all(Array.from({ length: SHARDS }, (_, i) => runSuite(name, ['--shard', `${i}/${SHARDS}`])));
  const metrics: Record<string, unknown> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.metrics)) metrics[k] = typeof v === 'number' && k !== 'seed' ? ((metrics[k] as number | undefined) ?? 0) + v : v;
  return { suite: name, metrics, violations: parts.flatMap((p) => p.violations), notes: parts.flatMap((p) => p.notes ?? []), ms: Math.max(...parts.map((p) => p.ms)) };
}

const results: SuiteResult[] = [];
for (const name of SUITES.filter((s) => only.includes(s))) {
  process.stderr.write(`\n== ${name} (${mode})\n`);
  results.push(SHARDED.has(name) ? await runSharded(name) : await runSuite(name));
}
const wall = (Date.now() - started) / 1000;

const get = (suite: string, key: string): unknown => results.find((r) => r.suite === suite)?.metrics?.[key];
const fmt = (n: unknown): string => (n === undefined ? '–' : String(n));
const rows: [string, string][] = [
  ['crash matrix: operations × failpoints', `${fmt(get('crash-matrix', 'operations'))} operations, ${fmt(get('crash-matrix', 'failpoints'))} failpoints, + ${fmt(get('crash-matrix', 'recoveryKills'))} kills inside recovery (${fmt(get('crash-matrix', 'processes'))} CLI runs)`],
  ['random kills', `${fmt(get('random-kills', 'killInstants'))} kill instants (${fmt(get('random-kills', 'recoveryKills'))} inside recovery, ${fmt(get('random-kills', 'largeKernelKills'))} on large kernels, ${fmt(get('random-kills', 'updateKills'))} during feed updates, ${fmt(get('random-kills', 'tornLockWaits'))} waits out a torn lock) in ${fmt(get('random-kills', 'runs'))} CLI runs, ${fmt(get('random-kills', 'completedChecks'))} checks against the rules`],
  ['power loss', `${fmt(get('power-loss', 'crashStates'))} crash points of ${fmt(get('power-loss', 'fsCalls'))} fs calls, ${fmt(get('power-loss', 'crashes'))} crashes (lost + torn)`],
  ['fault injection', `${fmt(get('faults', 'cases'))} fault cases (${fmt(get('faults', 'calls'))} calls × ENOSPC/EIO/EPERM/EBUSY/EACCES) + ${fmt(get('faults', 'transientRenames'))} transient-lock renames`],
  ['hostile input (fuzz iterations)', `${fmt(get('hostile-input', 'stateFileRuns'))} state files, ${fmt(get('hostile-input', 'payloadCases'))} payloads, ${fmt(get('hostile-input', 'manifestRuns'))} manifests, ${fmt(get('hostile-input', 'headerRuns'))} kernel headers, ${fmt(get('hostile-input', 'regRuns'))} .reg files, ${fmt(get('hostile-input', 'cabinetRuns'))} cabinets, ${fmt(get('hostile-input', 'cliRuns'))} CLI runs`],
  ['random kills on store WSL', `${fmt(get('store-kills', 'killInstants'))} kill instants (${fmt(get('store-kills', 'recoveryKills'))} inside recovery, ${fmt(get('store-kills', 'modulesKills'))} installing a kernel with its modules disk) in ${fmt(get('store-kills', 'runs'))} CLI runs, ${fmt(get('store-kills', 'statusChecks'))} checks of what boots`],
  ['concurrency', `${fmt(get('concurrency', 'rounds'))} rounds, ${fmt(get('concurrency', 'processes'))} processes, ${fmt(get('concurrency', 'lockHolders'))} lock holders, ${fmt(get('concurrency', 'inProgress'))} operation-in-progress, ${fmt(get('concurrency', 'takeovers'))} stale-lock takeovers`],
];
const violations = results.reduce((n, r) => n + r.violations.length, 0);

const line = (a: string, b: string): string => `${a.padEnd(38)} ${b}`;
console.log(`\nReliability (${mode}), ${wall.toFixed(0)} s wall time`);
console.log(line('suite', 'covered'));
console.log(line('-'.repeat(38), '-'.repeat(60)));
for (const [a, b] of rows) console.log(line(a, b));
console.log(line('violations', String(violations)));
console.log('\nper suite:', results.map((r) => `${r.suite} ${(r.ms / 1000).toFixed(0)} s${r.violations.length ? ` (${r.violations.length} violations)` : ''}`).join(', '));
mkdirSync(join(root, 'test-results'), { recursive: true });
writeFileSync(join(root, 'test-results', 'reliability.json'), JSON.stringify({ mode, wallSeconds: wall, results }, null, 2) + '\n');
process.exitCode = violations ? 1 : 0;
