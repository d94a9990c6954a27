/** Human output of the CLI: short, readable, with the remedy on failure. */
import { ERRORS } from '../../shared/errors';
import type { CommandResult, HistoryEntry, SlotStatus } from '../../shared/types';
import { formatBytes } from '../engine';

function slot(s: SlotStatus): string {
  if (!s.present) return 'missing';
  if (!s.valid) return `present but not a valid kernel (${s.problem ?? 'unreadable'}, ${formatBytes(s.size)}, sha256 ${s.sha256.slice(0, 12)}…)`;
  return `${s.version}  (${s.release}, ${s.arch}, ${formatBytes(s.size)}, sha256 ${s.sha256.slice(0, 12)}…)`;
}

export function formatResult(command: string, r: CommandResult): string {
  const lines: string[] = [];
  for (const a of r.recovery ?? []) lines.push(`Recovered: ${a}`);
  if (r.ok) lines.push(r.message);
  else {
    const info = r.code ? ERRORS[r.code] : null;
    lines.push(`Error: ${info?.title ?? 'failed'} [${r.code}]`, `  ${r.message}`);
    if (r.remedy) lines.push(`  Remedy: ${r.remedy}`);
  }
  if (r.checks && (command === 'precheck' || !r.ok)) {
    for (const c of r.checks) {
      const mark = c.status === 'pass' ? 'ok  ' : c.status === 'warn' ? 'warn' : 'FAIL';
      lines.push(`  [${mark}] ${c.id.padEnd(14)} ${c.message}`);
      if (c.status !== 'pass' && c.remedy) lines.push(`         ${''.padEnd(14)} → ${c.remedy}`);
    }
  }
  if (r.pastedError) {
    const p = r.pastedError;
    lines.push(
      p.recognised ? `  Pasted error: ${p.code ?? 'recognised by its message'} (${p.kind})${p.errorPath ? ` — ${p.errorPath}` : ''}` : '  Pasted error: not recognised',
      `      means: ${p.meaning}`,
      `      here: ${p.onThisMachine}`,
      `      ${p.aboutKernel === false ? 'not about the kernel; next step' : 'next step'}: ${p.nextStep}`,
    );
  }
  if (r.applied?.length) lines.push(`  Applied: ${r.applied.join(', ')}`);
  if (r.findings) {
    for (const f of r.findings) {
      lines.push(`  [${f.severity}] ${f.id}: ${f.observed}`, `      cause: ${f.cause}`);
      for (const fix of f.fixes) {
        lines.push(`      fix: ${fix.id}${fix.manual ? ' (manual)' : ''} — ${fix.title}`);
        for (const step of fix.steps ?? []) lines.push(`           - ${step}`);
      }
    }
  }
  for (const w of r.warnings ?? []) lines.push(`  Warning [${w.id}]: ${w.message}`);
  if (typeof r.hint === 'string' && !r.shutdown) lines.push(r.hint);
  if (r.shutdown) lines.push(r.shutdown.stopped.length ? `WSL shut down; stopped: ${r.shutdown.stopped.join(', ')}.` : 'WSL shut down.');
  if (command === 'status' && r.status) {
    const s = r.status;
    lines.push(
      `  kernel           ${slot(s.kernel)}`,
      `  kernel.rollback  ${slot(s.rollbackKernel)}`,
      `  RollbackKernel   ${s.rollbackActive ? 'set' : 'not set'}; WSL boots ${s.effective ?? 'nothing'}`,
      `  bad versions     ${s.badVersions.length ? s.badVersions.join(', ') : 'none'}`,
      `  WSL running      ${s.wsl.running.length ? s.wsl.running.join(', ') : 'nothing'}`,
    );
    if (s.flavour) lines.push(`  WSL              ${s.flavour === 'store' ? `store WSL ${s.wslVersion ?? ''} in ${s.wslInstallLocation ?? '?'}` : s.flavour === 'inbox' ? 'inbox WSL (Windows optional component)' : 'not installed'}`);
    if (s.boot) {
      lines.push(`  boots            ${s.boot.path ?? 'nothing'}${s.boot.kernel.present && s.boot.kernel.version ? ` (${s.boot.kernel.version})` : ''}`, `                   ${s.boot.reason}`);
      if (s.boot.error) lines.push(`  WSL will fail    ${s.boot.error.code}: ${s.boot.error.message}`);
    }
    if (s.updateHold) lines.push(`  update hold      ${s.updateHold} (automatic updates do not move past it)`);
  }
  return lines.join('\n') + '\n';
}

/** Warnings about a command that succeeded (stderr): a WSL restart that failed after the change. */
export function formatWarnings(r: CommandResult): string {
  return r.restart && !r.restart.ok ? `Warning: ${r.restart.message}\n` : '';
}

export function formatHistory(entries: HistoryEntry[]): string {
  if (!entries.length) return 'No operations yet.\n';
  return entries.map((e) => `${e.at}  ${e.op.padEnd(14)} ${e.ok ? 'ok    ' : `failed [${e.code}]`}  ${e.message}`).join('\n') + '\n';
}
