// `npm run security:scan`: run electronegativity over the Electron code and the built app, write
// its findings as JSON, read them back and fail on any finding not accepted (with its reason) in
// scripts/lib/electronegativity-report.ts. Electronegativity's CLI exits 0 even with findings,
// so the verdict comes from the report, never from its exit code.
//
// Targets: "sources" (src/main, the page's index.html, and the CSP that main sends as a response
// header, written out as a meta tag so the CSP check evaluates it too) and "built" (out/, when
// `electron-vite build` has run). `--input DIR` scans only DIR (used by the tests).
// Options: --report FILE (default test-results/electronegativity.json), --no-built.
//
// Check deliberately not run: AvailableSecurityFixesGlobalCheck downloads Electron's release list
// at scan time; it needs the network and its answer changes from day to day, so the scan would not
// be reproducible. Electron's version is kept current through the dependency instead.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP_PRODUCTION } from '../src/main/app/security';
import { formatVerdict, judge, passed } from './lib/electronegativity-report';
import type { ScanReport } from './lib/electronegativity-report';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const EXCLUDED = [
  {
    id: 'AvailableSecurityFixesGlobalCheck',
    reason: "Downloads Electron's release list at scan time: needs the network and is not reproducible.",
  },
];

/** The fields of an electronegativity issue this script reads. */
interface RawIssue {
  id: string;
  file: unknown;
  location?: { line?: number; column?: number };
  severity?: { name?: string };
  confidence?: { name?: string };
  manualReview?: boolean;
  description?: unknown;
  sample?: unknown;
}
interface RawError {
  file: unknown;
  message: unknown;
  tolerable?: boolean;
}
interface Target {
  name: string;
  input: string;
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function toIssue(issue: RawIssue) {
  return {
    id: issue.id,
    file: String(issue.file),
    line: issue.location?.line ?? 0,
    column: issue.location?.column ?? 0,
    severity: issue.severity?.name ?? String(issue.severity),
    confidence: issue.confidence?.name ?? String(issue.confidence),
    manualReview: issue.manualReview === true,
    description: String(issue.description ?? ''),
    ...(issue.sample !== undefined ? { sample: String(issue.sample) } : {}),
  };
}

/** Stage src/main, the page and the header CSP in one folder (electronegativity takes one input). */
async function stageSources(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wslk-electronegativity-'));
  await cp(join(root, 'src', 'main'), join(dir, 'main'), { recursive: true });
  await cp(join(root, 'src', 'shared'), join(dir, 'shared'), { recursive: true });
  const page = join(root, 'src', 'renderer', 'index.html');
  if (existsSync(page)) {
    await mkdir(join(dir, 'renderer'), { recursive: true });
    await cp(page, join(dir, 'renderer', 'index.html'));
  }
  await writeFile(
    join(dir, 'csp-response-header.html'),
    `<!doctype html>\n<!-- The Content-Security-Policy response header main sets (src/main/app/security.ts), for the CSP check. -->\n` +
      `<html><head><meta http-equiv="Content-Security-Policy" content="${CSP_PRODUCTION}"></head><body></body></html>\n`,
  );
  return dir;
}

export async function scan(targets: Target[], electronVersion: string) {
  const run = require('@doyensec/electronegativity') as (opts: object) => Promise<{ globalChecks: number; atomicChecks: number; issues: RawIssue[]; errors: RawError[] }>;
  const out = [];
  for (const target of targets) {
    const result = await run({
      input: target.input,
      electronVersionOverride: electronVersion,
      excludeFromScan: EXCLUDED.map((e) => e.id),
      isRelative: true,
    });
    out.push({
      name: target.name,
      input: target.input,
      checks: { global: result.globalChecks, atomic: result.atomicChecks },
      issues: result.issues.map(toIssue),
      errors: result.errors.map((e) => ({ file: String(e.file), message: String(e.message), tolerable: e.tolerable === true })),
    });
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
  const reportPath = option(argv, '--report') ?? join(root, 'test-results', 'electronegativity.json');
  const input = option(argv, '--input');
  const staged: string[] = [];
  let targets: Target[];
  if (input) {
    targets = [{ name: 'input', input }];
  } else {
    const sources = await stageSources();
    staged.push(sources);
    targets = [{ name: 'sources', input: sources }];
    if (!argv.includes('--no-built') && existsSync(join(root, 'out', 'main', 'index.js'))) targets.push({ name: 'built', input: join(root, 'out') });
  }
  let report;
  try {
    report = { tool: 'electronegativity', electronVersion, excludedChecks: EXCLUDED, targets: await scan(targets, electronVersion) };
  } finally {
    for (const dir of staged) await rm(dir, { recursive: true, force: true });
  }
  await mkdir(dirname(reportPath), { recursive: true });
  await writeFile(reportPath, JSON.stringify(report, null, 2) + '\n');

  // The verdict is read from the report file, exactly as written.
  const written = JSON.parse(readFileSync(reportPath, 'utf8')) as ScanReport;
  const csp = require('@doyensec/csp-evaluator');
  const cspFindings = (policy: string) => new csp.CspEvaluator(new csp.CspParser(policy).csp, csp.Version.CSP3).evaluate();
  const verdict = judge(written, cspFindings);
  const text = formatVerdict(verdict);
  if (text) console.log(text);
  const scanned = written.targets.map((t) => `${t.name} (${t.checks.global} global + ${t.checks.atomic} atomic checks)`).join(', ');
  console.log(
    `electronegativity ${passed(verdict) ? 'passed' : 'FAILED'}: ${verdict.failures.length} finding(s), ${verdict.unreadable.length} unreadable file(s), ` +
      `${verdict.accepted.length} accepted; scanned ${scanned}; report ${reportPath}`,
  );
  return passed(verdict) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
