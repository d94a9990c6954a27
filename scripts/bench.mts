// Benchmarks (npm run bench): times are medians measured in this run, next to a baseline measured
// in the same run, because machines are noisy. Prints a table; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBzImage } from '../src/main/engine/sandbox/kernel-builder';
import { bundleSizes, firstUsableMs } from './lib/bench-ui';
import { breakdown, timingOf, writeHistory } from './lib/bench-cli';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TSX = ['--import', 'tsx'];
execFileSync(process.execPath, [...TSX, join(root, 'scripts', 'build-cli.mts')]);
const CLI = join(root, 'out', 'cli', 'wslk.cjs');
// Preloaded into the measured process: prints its peak resident set size when it exits.
const RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxRSS='+process.resourceUsage().maxRSS+'\\n'))`;
const ENGINE = join(root, 'scripts', 'bench-engine.mts');
const work = mkdtempSync(join(tmpdir(), 'wslk-bench-'));
const quick = process.argv.includes('--quick');
const MiB = 1024 * 1024;

function run(args: string[], opts: { node?: string[]; allowFail?: boolean; env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [...(opts.node ?? []), CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, WSLK_FAILPOINT: '', WSLK_TRACE_TIMING: '', ...opts.env } });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
  return r;
}
function ms(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}
/**
 * Write back every dirty page before a timed run: a flush of one small file on ext4 otherwise
 * waits for the write-back of unrelated large files this script has just written (the kernels), and
 * the run would measure those, not itself.
 */
const settle = (): void => void execFileSync('sync');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A synthetic kernel, written by the engine's own builder. */
async function makeKernel(version: string, size: number): Promise<string> {
  const path = join(work, `k-${version}-${size}`);
  await writeBzImage(path, { release: `${version}-microsoft-standard-WSL2`, size });
  return path;
}
function sandbox(name: string, preset = 'fresh'): string {
  const dir = join(work, name);
  run(['sandbox', 'init', dir, '--preset', preset]);
  return dir;
}

const rows: string[][] = [];
const n = quick ? 3 : 5;

// 1. Install a 16 MiB kernel (the size of a real WSL kernel) and a 64 MiB one, as whole CLI
// processes, vs cp + sync + sha256sum of the same file; the 64 MiB one also in the engine alone.
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const traced = { WSLK_TRACE_TIMING: '1' };
const breakdowns: string[][] = [];
for (const size of [16, 64]) {
  const k = await makeKernel('6.6.36.6', size * MiB);
  const installs: number[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = sandbox(`install-${size}-${i}`);
    settle();
    installs.push(ms(() => run(['install', '--payload', k, '--machine', m, '--json'])));
    const dst = join(work, `copy-${size}-${i}`);
    settle();
    baselines.push(ms(() => execFileSync('bash', ['-c', `cp "${k}" "${dst}" && sync "${dst}" && sha256sum "${dst}" >/dev/null`])));
  }
  const inst = median(installs);
  const base = median(baselines);
  rows.push([`install ${size} MiB kernel (whole CLI process)`, `${inst.toFixed(0)} ms`, `cp+sync+sha256sum ${base.toFixed(0)} ms`, ratio(inst, base), size === 16 ? '≤ 1.3×' : '≤ 1.0×']);
  const tm = sandbox(`install-${size}-traced`);
  settle();
  const r = run(['install', '--payload', k, '--machine', tm, '--json'], { env: traced });
  breakdowns.push([`install ${size} MiB, one traced run`, breakdown(timingOf(r.stderr))]);
  if (size === 64) {
    const engineInstalls: number[] = [];
    for (let i = 0; i < n; i++) {
      const em = sandbox(`install-engine-${i}`);
      settle();
      const out = execFileSync(process.execPath, [...TSX, ENGINE, 'install', em, k], { cwd: root, encoding: 'utf8' });
      engineInstalls.push((JSON.parse(out) as { ms: number }).ms);
    }
    rows.push(['install 64 MiB kernel (engine)', `${median(engineInstalls).toFixed(0)} ms`, `cp+sync+sha256sum ${base.toFixed(0)} ms`, ratio(median(engineInstalls), base), '≤ 1.5×']);
  }
}

// 2. Rollback / undo for an 8 MiB and a 256 MiB kernel: the engine's own time, in-process.
const rb: Record<number, { rollback: number; undo: number }> = {};
for (const size of [8, 256]) {
  const m = sandbox(`rb-${size}`);
  run(['install', '--payload', await makeKernel('5.10.102.1', size * MiB), '--machine', m]);
  run(['install', '--payload', await makeKernel('5.15.153.1', size * MiB), '--machine', m]);
  settle();
  const out = execFileSync(process.execPath, [...TSX, ENGINE, 'rollback', m, String(quick ? 7 : 15)], { cwd: root, encoding: 'utf8' });
  rb[size] = JSON.parse(out) as { rollback: number; undo: number };
  rows.push([`rollback, ${size} MiB kernel (engine)`, `${rb[size]!.rollback.toFixed(1)} ms`, '', '', '≤ 20 ms']);
  rows.push([`undo-rollback, ${size} MiB kernel (engine)`, `${rb[size]!.undo.toFixed(1)} ms`, '', '', '≤ 20 ms']);
}
for (const what of ['rollback', 'undo'] as const) {
  rows.push([`${what}: 256 MiB vs 8 MiB kernel`, `${rb[256]![what].toFixed(1)} ms`, `8 MiB ${rb[8]![what].toFixed(1)} ms`, ratio(rb[256]![what], rb[8]![what]), '≤ 1.2×']);
}

// 3. status --json and history --json cold starts, next to an empty Node process; the history with
// 10 and with 200,000 entries.
const sm = sandbox('status', 'installed');
run(['status', '--machine', sm, '--json']);
const hist: Record<number, string> = {};
for (const entries of [10, 200_000]) {
  hist[entries] = sandbox(`history-${entries}`, 'installed');
  writeHistory(join(hist[entries]!, 'ProgramData', 'WslKernelSetup'), entries);
}
const statuses: number[] = [];
const empties: number[] = [];
const histories: Record<number, number[]> = { 10: [], 200_000: [] };
for (let i = 0; i < (quick ? 7 : 15); i++) {
  statuses.push(ms(() => run(['status', '--machine', sm, '--json'])));
  empties.push(ms(() => execFileSync(process.execPath, ['-e', '0'])));
  for (const entries of [10, 200_000]) histories[entries]!.push(ms(() => run(['history', '--machine', hist[entries]!, '--json'])));
}
const empty = median(empties);
rows.push(['status --json (CLI process)', `${median(statuses).toFixed(0)} ms`, `node -e 0 ${empty.toFixed(0)} ms`, `+${(median(statuses) - empty).toFixed(0)} ms`, '≤ +30 ms']);
breakdowns.push(['status --json, one traced run', breakdown(timingOf(run(['status', '--machine', sm, '--json'], { env: traced }).stderr))]);
const h10 = median(histories[10]!);
const h200k = median(histories[200_000]!);
rows.push(['history --json, 200,000 entries (CLI process)', `${h200k.toFixed(0)} ms`, `10 entries ${h10.toFixed(0)} ms`, ratio(h200k, h10), '≤ 1.2×']);
breakdowns.push(['history --json, 200,000 entries, one traced run', breakdown(timingOf(run(['history', '--machine', hist[200_000]!, '--json'], { env: traced }).stderr))]);

// 5. Parsing machine.reg with a 1 MiB value as the tool's writer wraps it (linear, not quadratic).
{
  const { emptyRegTree, parseReg, serializeReg, setValue } = await import('../src/main/engine/registry/reg-file');
  const tree = emptyRegTree();
  setValue(tree, 'SOFTWARE\\Big', 'Blob', { type: 'REG_BINARY', data: new Uint8Array(MiB) });
  const bytes = serializeReg(tree, 'utf8');
  const times: number[] = [];
  for (let i = 0; i < (quick ? 3 : 5); i++) times.push(ms(() => parseReg(bytes)));
  const jsonTimes: number[] = [];
  const text = bytes.toString('utf8');
  for (let i = 0; i < (quick ? 3 : 5); i++) jsonTimes.push(ms(() => JSON.parse(JSON.stringify(text))));
  rows.push(['parse machine.reg with a 1 MiB wrapped value', `${median(times).toFixed(0)} ms`, `JSON round trip of the text ${median(jsonTimes).toFixed(0)} ms`, '', '≤ 1 s']);
}

// 4. Peak RSS while installing a 256 MiB kernel.
const big = await makeKernel('6.6.36.6', 256 * MiB);
const rm = sandbox('rss', 'installed');
const r = run(['install', '--payload', big, '--machine', rm, '--json'], { node: ['--import', RSS] });
const rss = Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
rows.push(['peak RSS installing a 256 MiB kernel', `${rss.toFixed(0)} MB`, '', '', '≤ 100 MB']);

// 5. The UI: first usable screen in Chromium on the browser host, and the gzip size of the bundles.
try {
  const usable = await firstUsableMs(root, quick ? 3 : 7);
  rows.push(['first usable screen (Chromium, browser host)', `${usable.app.toFixed(0)} ms`, `bare React page ${usable.bareReact.toFixed(0)} ms`, `${(usable.app / usable.bareReact).toFixed(2)}×`, '≤ 300 ms']);
} catch (err) {
  rows.push(['first usable screen (Chromium, browser host)', 'not measured', String(err instanceof Error ? err.message.split('\n')[0] : err), '', '≤ 300 ms']);
}
const sizes = bundleSizes(root);
rows.push(['renderer bundle, minified (JS + CSS, gzip)', `${sizes.renderer.toFixed(1)} KB`, '', '', '≤ 120 KB']);
rows.push(['preload bundle, minified (gzip)', `${sizes.preload.toFixed(1)} KB`, '', '', '≤ 10 KB']);

const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c]!.length), ['measure', 'time', 'baseline', 'ratio', 'target'][c]!.length));
const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(['measure', 'result', 'baseline (same run)', 'ratio', 'target']));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
console.log('\nWhere the time goes (WSLK_TRACE_TIMING=1; phases in ms since the process started, then counts and ms):');
for (const [what, text] of breakdowns) console.log(`- ${what}: ${text}`);
const load = process.platform === 'linux' ? (await import('node:os')).loadavg()[0]!.toFixed(2) : 'n/a';
console.log(`\nNode ${process.version}, load average ${load} at the end of the run.`);
rmSync(work, { recursive: true, force: true });
