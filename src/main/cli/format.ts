/** Human output of the CLI: short, readable, with the remedy on failure. */
import { ERRORS } from '../../shared/errors';
import type { CommandResult, HistoryEntry, SlotStatus } from '../../shared/types';
import { formatBytes } from '../engine';

/** "kernel 6.6.36.6 booted on 2026-11-30" / "failed to boot": the boot facts of both slots. */
function bootFacts(s: NonNullable<CommandResult['status']>): string[] {
  const out: string[] = [];
  for (const [name, k] of [['kernel', s.kernel], ['kernel.rollback', s.rollbackKernel]] as const) {
    const f = k.present ? k.bootFact : undefined;
    if (!f) continue;
    const text = f.result === 'booted' ? `booted on ${f.at.slice(0, 10)} (known good)` : `failed to boot on ${f.at.slice(0, 10)}${f.error?.code ? ` (${f.error.code})` : ''}${f.bootedAt ? `; booted before on ${f.bootedAt.slice(0, 10)}` : ''}`;
    out.push(`  ${'boot facts'.padEnd(16)} ${name}: ${text}`);
  }
  return out;
}

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
  // A boot check's warning is its own message, shown with the check below.
  for (const w of r.warnings ?? []) if (!(r.boot && w.id.startsWith('boot-') && (w.message === r.boot.message || w.message === r.message))) lines.push(`  Warning [${w.id}]: ${w.message}`);
  if (typeof r.hint === 'string' && !r.shutdown) lines.push(r.hint);
  if (r.shutdown) lines.push(r.shutdown.stopped.length ? `WSL shut down; stopped: ${r.shutdown.stopped.join(', ')}.` : 'WSL shut down.');
  lines.push(...bootLines(r));
  if (command === 'status' && r.status) {
    const s = r.status;
    // Store WSL never reads System32: its lines are the tool's store slots (docs/design.md §11).
    const st = s.flavour === 'store' ? s.storeSlots : null;
    lines.push(
      ...(st
        ? [
            `  kernel           ${slot(st.kernel)}  (tool slot${st.modules.kernel ? ', with its modules disk' : ''})`,
            `  kernel.rollback  ${slot(st.rollbackKernel)}  (tool slot${st.modules.rollbackKernel ? ', with its modules disk' : ''})`,
            `  rollback         ${st.rollbackActive ? 'active' : 'not active'}; boot path ${st.bootPath}${st.users.length ? ` (in .wslconfig of ${st.users.join(', ')})` : ' (in no .wslconfig)'}`,
          ]
        : [
            `  kernel           ${slot(s.kernel)}`,
            `  kernel.rollback  ${slot(s.rollbackKernel)}`,
            `  RollbackKernel   ${s.rollbackActive ? 'set' : 'not set'}; WSL boots ${s.effective ?? 'nothing'}`,
          ]),
      st ? `  bad kernels      ${st.badReleases.length ? st.badReleases.join(', ') : 'none'}` : `  bad versions     ${s.badVersions.length ? s.badVersions.join(', ') : 'none'}`,
      ...bootFacts(s),
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

/** The boot check (docs/design.md §10): its outcome, WSL's error, the steps to take by hand. */
function bootLines(r: CommandResult): string[] {
  const out: string[] = [];
  const one = (label: string, b: NonNullable<CommandResult['boot']>) => {
    const say = b.outcome === 'booted' || r.code || r.message === b.message ? '' : `: ${b.message}`;
    out.push(`  ${label.padEnd(16)} ${b.outcome}${b.running ? ` (WSL runs ${b.running})` : ''}${say}`);
    if (b.error) for (const line of b.error.message.split(/\r?\n/).filter((l) => l.trim())) out.push(`                   | ${line.trim()}`);
    for (const step of b.steps ?? []) out.push(`                   - ${step}`);
  };
  if (r.boot) one('boot check', r.boot);
  if (r.fallback?.boot) one('after rollback', r.fallback.boot);
  return out;
}

/** Warnings about a command that succeeded (stderr): a WSL restart that failed after the change. */
export function formatWarnings(r: CommandResult): string {
  return r.restart && !r.restart.ok ? `Warning: ${r.restart.message}\n` : '';
}

export function formatHistory(entries: HistoryEntry[]): string {
  if (!entries.length) return 'No operations yet.\n';
  return entries.map((e) => `${e.at}  ${e.op.padEnd(14)} ${e.ok ? 'ok    ' : `failed [${e.code}]`}  ${e.message}`).join('\n') + '\n';
}
