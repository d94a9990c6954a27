// Benchmarks (npm run bench): times are medians measured in this run, next to a baseline measured
// in the same run, because machines are noisy. Prints a table; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')]);
const CLI = join(root, 'out', 'cli', 'wslk.cjs');
const RSS = join(root, 'scripts', 'bench-rss.cjs');
const work = mkdtempSync(join(tmpdir(), 'wslk-bench-'));
const quick = process.argv.includes('--quick');
const MiB = 1024 * 1024;

function run(args, opts = {}) {
  const r = spawnSync(process.execPath, [...(opts.node ?? []), CLI, ...args], { encoding: 'utf8', env: { ...process.env, WSLK_FAILPOINT: '' } });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
  return r;
}
function ms(fn) {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Kernels are written by a tiny helper through the engine's own builder (tsx runs TypeScript).
function makeKernel(version, size) {
  const path = join(work, `k-${version}-${size}`);
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'bench-kernel.mts'), path, version, String(size)], { cwd: root });
  return path;
}
function sandbox(name, preset = 'fresh') {
  const dir = join(work, name);
  run(['sandbox', 'init', dir, '--preset', preset]);
  return dir;
}

const rows = [];
const n = quick ? 3 : 5;

// 1. Install a 64 MiB kernel vs cp + sync + sha256sum of the same file.
const k64 = makeKernel('6.6.36.6', 64 * MiB);
const installs = [];
const engineInstalls = [];
const baselines = [];
for (let i = 0; i < n; i++) {
  const m = sandbox(`install-${i}`);
  installs.push(ms(() => run(['install', '--payload', k64, '--machine', m, '--json'])));
  const m2 = sandbox(`install-engine-${i}`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'bench-install.mts'), m2, k64], { cwd: root, encoding: 'utf8' });
  engineInstalls.push(JSON.parse(out).ms);
  const dst = join(work, `copy-${i}`);
  baselines.push(ms(() => execFileSync('bash', ['-c', `cp "${k64}" "${dst}" && sync "${dst}" && sha256sum "${dst}" >/dev/null`])));
}
const inst = median(installs);
const base = median(baselines);
const eng = median(engineInstalls);
rows.push(['install 64 MiB kernel (engine)', `${eng.toFixed(0)} ms`, `cp+sync+sha256sum ${base.toFixed(0)} ms`, `${(eng / base).toFixed(2)}×`, '≤ 1.5×']);
rows.push(['install 64 MiB kernel (whole CLI process)', `${inst.toFixed(0)} ms`, `cp+sync+sha256sum ${base.toFixed(0)} ms`, `${(inst / base).toFixed(2)}×`, '']);

// 2. Rollback / undo for an 8 MiB and a 256 MiB kernel: the engine's own time, in-process.
for (const size of [8, 256]) {
  const m = sandbox(`rb-${size}`);
  run(['install', '--payload', makeKernel('5.10.102.1', size * MiB), '--machine', m]);
  run(['install', '--payload', makeKernel('5.15.153.1', size * MiB), '--machine', m]);
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'bench-rollback.mts'), m, String(quick ? 7 : 15)], { cwd: root, encoding: 'utf8' });
  const { rollback, undo } = JSON.parse(out);
  rows.push([`rollback, ${size} MiB kernel (engine)`, `${rollback.toFixed(1)} ms`, '', '', '≤ 20 ms']);
  rows.push([`undo-rollback, ${size} MiB kernel (engine)`, `${undo.toFixed(1)} ms`, '', '', '≤ 20 ms']);
}

// 3. status --json cold start, next to an empty Node process.
const sm = sandbox('status', 'installed');
run(['status', '--machine', sm, '--json']);
const statuses = [];
const empties = [];
for (let i = 0; i < (quick ? 5 : 11); i++) {
  statuses.push(ms(() => run(['status', '--machine', sm, '--json'])));
  empties.push(ms(() => execFileSync(process.execPath, ['-e', '0'])));
}
rows.push(['status --json (CLI process)', `${median(statuses).toFixed(0)} ms`, `node -e 0 ${median(empties).toFixed(0)} ms`, `+${(median(statuses) - median(empties)).toFixed(0)} ms`, '≤ 200 ms']);

// 4. Peak RSS while installing a 256 MiB kernel.
const big = makeKernel('6.6.36.6', 256 * MiB);
const rm = sandbox('rss', 'installed');
const r = run(['install', '--payload', big, '--machine', rm, '--json'], { node: ['-r', RSS] });
const rss = Number(/maxRSS=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
rows.push(['peak RSS installing a 256 MiB kernel', `${rss.toFixed(0)} MB`, '', '', '≤ 100 MB']);

const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c].length), ['measure', 'time', 'baseline', 'ratio', 'target'][c].length));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(['measure', 'result', 'baseline (same run)', 'ratio', 'target']));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
rmSync(work, { recursive: true, force: true });
