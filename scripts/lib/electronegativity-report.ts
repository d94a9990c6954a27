/**
 * Reading electronegativity's results: every finding fails the scan unless it is one of the few
 * accepted below, each with the reason it does not apply to this app.
 *
 * Electronegativity's CLI exits 0 whatever it finds, so the scan script runs it, writes this
 * report and decides from its contents.
 */

export interface ScanIssue {
  id: string;
  file: string;
  line: number;
  column: number;
  severity: string;
  confidence: string;
  manualReview: boolean;
  description: string;
  /** The code or policy the finding is about (for CSP findings: the policy text). */
  sample?: string;
}

export interface ScanError {
  file: string;
  message: string;
  /** A parser warning (the file was still analysed) rather than a file that could not be read. */
  tolerable: boolean;
}

export interface ScanTarget {
  name: string;
  input: string;
  checks: { global: number; atomic: number };
  issues: ScanIssue[];
  errors: ScanError[];
}

export interface ScanReport {
  tool: string;
  electronVersion: string;
  /** Checks not run at all, and why. */
  excludedChecks: { id: string; reason: string }[];
  targets: ScanTarget[];
}

/** One finding of Google's CSP evaluator (the one electronegativity uses). */
export interface CspFinding {
  severity: number;
  directive: string;
  value?: string;
  description: string;
}

/** csp-evaluator's MEDIUM_MAYBE: findings at or below it (numerically above) are informational. */
const CSP_MEDIUM_MAYBE = 50;

export interface Acceptance {
  id: string;
  reason: string;
  matches(issue: ScanIssue, cspFindings: (policy: string) => CspFinding[]): boolean;
}

/** Findings that were reviewed and do not apply, each with its reason. Everything else fails. */
export const ACCEPTED: Acceptance[] = [
  {
    id: 'PRELOAD_JS_CHECK',
    reason:
      'The one preload (src/main/electron/preload.ts) is the reviewed bridge: it exposes only the domain API built by createApi through contextBridge, never ipcRenderer; the window is sandboxed with context isolation.',
    matches: (issue) => issue.id === 'PRELOAD_JS_CHECK' && /(^|[\\/])window\.ts$/.test(issue.file),
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    reason:
      'The one shell.openExternal call (src/main/electron/system-actions.ts) opens only the ms-settings: pages of the allow-list in src/shared/remedies.ts and refuses any other URI; the page names a page id, never a URI.',
    matches: (issue) => issue.id === 'OPEN_EXTERNAL_JS_CHECK' && /(^|[\\/])system-actions\.ts$/.test(issue.file),
  },
  {
    id: 'CSP_GLOBAL_CHECK',
    reason:
      "The only note on the policy is csp-evaluator's \"'self' can be problematic if you host JSONP, Angular or user uploaded files\": the app's origin serves only its own built files (no JSONP, no Angular, no uploads), and the session cancels every request outside the renderer folder.",
    matches(issue, cspFindings) {
      if (issue.id !== 'CSP_GLOBAL_CHECK' || !issue.sample) return false;
      let findings: CspFinding[];
      try {
        findings = cspFindings(issue.sample).filter((f) => f.severity <= CSP_MEDIUM_MAYBE);
      } catch {
        return false;
      }
      return findings.length > 0 && findings.every((f) => f.directive === 'script-src' && f.value === "'self'");
    },
  },
];

export interface Verdict {
  failures: { target: string; issue: ScanIssue }[];
  accepted: { target: string; issue: ScanIssue; reason: string }[];
  /** Files electronegativity could not parse (so could not check): these fail too. */
  unreadable: { target: string; error: ScanError }[];
  warnings: { target: string; error: ScanError }[];
}

/** Decide the scan: any finding not accepted, or any file not analysed, is a failure. */
export function judge(report: ScanReport, cspFindings: (policy: string) => CspFinding[]): Verdict {
  const verdict: Verdict = { failures: [], accepted: [], unreadable: [], warnings: [] };
  for (const target of report.targets) {
    for (const issue of target.issues) {
      const acceptance = ACCEPTED.find((a) => a.matches(issue, cspFindings));
      if (acceptance) verdict.accepted.push({ target: target.name, issue, reason: acceptance.reason });
      else verdict.failures.push({ target: target.name, issue });
    }
    for (const error of target.errors) {
      if (error.tolerable) verdict.warnings.push({ target: target.name, error });
      else verdict.unreadable.push({ target: target.name, error });
    }
  }
  return verdict;
}

export function passed(verdict: Verdict): boolean {
  return verdict.failures.length === 0 && verdict.unreadable.length === 0;
}

/** The human summary printed by the scan script. */
export function formatVerdict(verdict: Verdict): string {
  const lines: string[] = [];
  for (const { target, issue } of verdict.failures) {
    lines.push(`FAIL  [${target}] ${issue.id} ${issue.file}:${issue.line}:${issue.column} ${issue.severity}/${issue.confidence}: ${issue.description}`);
    if (issue.sample) lines.push(`        ${issue.sample.trim().slice(0, 200)}`);
  }
  for (const { target, error } of verdict.unreadable) lines.push(`FAIL  [${target}] could not analyse ${error.file}: ${error.message}`);
  for (const { target, error } of verdict.warnings) lines.push(`warn  [${target}] ${error.file}: ${error.message}`);
  for (const { target, issue, reason } of verdict.accepted) {
    lines.push(`ok    [${target}] ${issue.id} ${issue.file}:${issue.line} accepted: ${reason}`);
  }
  return lines.join('\n');
}
