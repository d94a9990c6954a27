/**
 * The electronegativity gate (scripts/electronegativity.mts): it fails on findings and on files it
 * could not analyse, accepts only the reviewed findings, and the app's own code passes it.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { judge, passed } from '../../scripts/lib/electronegativity-report';
import type { CspFinding, ScanIssue, ScanReport } from '../../scripts/lib/electronegativity-report';
import { CSP_PRODUCTION } from '../../src/main/app/security';
import { ROOT, tempDir } from '../helpers/sandbox';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const csp = require('@doyensec/csp-evaluator') as {
  CspParser: new (p: string) => { csp: unknown };
  CspEvaluator: new (c: unknown, v: unknown) => { evaluate(): CspFinding[] };
  Version: { CSP3: unknown };
};
const cspFindings = (policy: string) => new csp.CspEvaluator(new csp.CspParser(policy).csp, csp.Version.CSP3).evaluate();

function issue(over: Partial<ScanIssue>): ScanIssue {
  return { id: 'X', file: 'main/window.ts', line: 1, column: 0, severity: 'MEDIUM', confidence: 'FIRM', manualReview: false, description: '', ...over };
}

function report(issues: ScanIssue[], errors: ScanReport['targets'][number]['errors'] = []): ScanReport {
  return { tool: 'electronegativity', electronVersion: '45.0.0', excludedChecks: [], targets: [{ name: 't', input: '/x', checks: { global: 5, atomic: 36 }, issues, errors }] };
}

async function scan(args: string[]): Promise<{ code: number; stdout: string; report: ScanReport }> {
  const t = await tempDir('wslk-en-report-');
  const reportPath = join(t.dir, 'report.json');
  try {
    const r = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'electronegativity.mts'), '--report', reportPath, ...args], { cwd: ROOT, maxBuffer: 1 << 24 }).then(
      (out) => ({ code: 0, stdout: out.stdout }),
      (err: { code?: number; stdout?: string }) => ({ code: err.code ?? 1, stdout: err.stdout ?? '' }),
    );
    return { ...r, report: JSON.parse(await readFile(reportPath, 'utf8')) as ScanReport };
  } finally {
    await t.cleanup();
  }
}

describe('reading the report', () => {
  it('fails on any finding that is not accepted, and on files that were not analysed', () => {
    expect(passed(judge(report([]), cspFindings))).toBe(true);
    expect(passed(judge(report([issue({ id: 'NODE_INTEGRATION_JS_CHECK' })]), cspFindings))).toBe(false);
    expect(passed(judge(report([issue({ id: 'PRELOAD_JS_CHECK', file: 'main/other.ts' })]), cspFindings))).toBe(false);
    expect(passed(judge(report([], [{ file: 'a.js', message: 'Unexpected token', tolerable: false }]), cspFindings))).toBe(false);
    expect(passed(judge(report([], [{ file: 'a.js', message: 'recovered', tolerable: true }]), cspFindings))).toBe(true);
  });

  it("accepts the reviewed preload and a policy whose only note is script-src 'self', nothing weaker", () => {
    const ok = judge(report([issue({ id: 'PRELOAD_JS_CHECK' }), issue({ id: 'CSP_GLOBAL_CHECK', file: 'x.html', sample: CSP_PRODUCTION })]), cspFindings);
    expect(ok.accepted).toHaveLength(2);
    expect(passed(ok)).toBe(true);
    for (const weak of ["default-src 'self'; script-src 'self' 'unsafe-inline'", "script-src 'self' https:; object-src 'none'", 'not a policy ;;;', '']) {
      expect(passed(judge(report([issue({ id: 'CSP_GLOBAL_CHECK', sample: weak })]), cspFindings)), weak).toBe(false);
    }
    expect(passed(judge(report([issue({ id: 'CSP_GLOBAL_CHECK', file: 'N/A', description: 'No CSP has been detected' })]), cspFindings))).toBe(false);
  });
});

describe('the scan script', () => {
  let fixture: { dir: string; cleanup(): Promise<void> };
  beforeEach(async () => {
    fixture = await tempDir('wslk-en-fixture-');
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  it('fails on an insecure app and names the findings (the tool itself exits 0 on them)', async () => {
    await mkdir(join(fixture.dir, 'src'));
    await writeFile(
      join(fixture.dir, 'src', 'main.ts'),
      "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
    );
    await writeFile(join(fixture.dir, 'src', 'broken.js'), 'const = ;\n');
    const r = await scan(['--input', fixture.dir]);
    expect(r.code).toBe(1);
    const ids = r.report.targets[0]!.issues.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'CSP_GLOBAL_CHECK']));
    expect(r.report.targets[0]!.errors.map((e) => e.file)).toEqual([expect.stringContaining('broken.js')]);
    expect(r.stdout).toContain('electronegativity FAILED');
  });

  it('passes on the app’s sources (src/main, the page, the header CSP) with only the reviewed acceptances', async () => {
    const r = await scan(['--no-built']);
    expect(r.stdout).toContain('electronegativity passed');
    expect(r.code).toBe(0);
    const target = r.report.targets[0]!;
    expect(target.checks.atomic).toBeGreaterThan(30);
    expect(target.errors.filter((e) => !e.tolerable)).toEqual([]);
    expect(new Set(target.issues.map((i) => i.id))).toEqual(new Set(['PRELOAD_JS_CHECK', 'CSP_GLOBAL_CHECK', 'OPEN_EXTERNAL_JS_CHECK']));
    expect(r.report.excludedChecks.map((c) => c.id)).toEqual(['AvailableSecurityFixesGlobalCheck']);
  });
});
