/** Summarise the axe-core results of every screen of this run in e2e/screenshots/axe-summary.md. */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface AxeFile {
  screen: string;
  violations: { id: string; impact: string | null; nodes: string[] }[];
}

export default function globalTeardown(): void {
  const dir = join(__dirname, 'screenshots', 'axe');
  if (!existsSync(dir)) return;
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const rows = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as AxeFile);
  const count = (r: AxeFile, impacts: string[]) => r.violations.filter((v) => impacts.includes(v.impact ?? '')).length;
  const lines = [
    '# axe-core results (WCAG 2.0/2.1/2.2 A and AA, best practices)',
    '',
    '| screen | critical + serious | moderate + minor | rules |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.screen} | ${count(r, ['critical', 'serious'])} | ${count(r, ['moderate', 'minor'])} | ${r.violations.map((v) => `${v.id} (${v.impact})`).join(', ') || '-'} |`),
    '',
    `${rows.length} screens checked.`,
    '',
  ];
  writeFileSync(join(__dirname, 'screenshots', 'axe-summary.md'), lines.join('\n'));
}
