/**
 * All findings of a snapshot, errors first. The order inside a severity is the order repair
 * applies fixes in: recover, clean up, put a good kernel in place, then fix the flag.
 */
import type { Finding } from '../../../shared/types';
import type { Machine } from '../machine/machine';
import { journalFindings, precheckFindings, stateFindings } from './findings-system';
import { slotFindings } from './findings-slots';
import { wslconfigFindings } from './findings-wslconfig';
import { customKernelInvalidFindings, wslInstallFindings } from './findings-wsl';
import type { Snapshot } from './inspect';

/** Finding ids in repair order (stable, kebab-case: scripts and the UI key on them). */
export const FINDING_ORDER = [
  'operation-running',
  'journal-unreadable',
  'operation-interrupted',
  'state-damaged',
  'temp-files-left',
  'windows-build-unsupported',
  'unsupported-architecture',
  'wsl-not-enabled',
  'restart-pending',
  'vm-platform-missing',
  'custom-kernel-missing',
  'custom-kernel-invalid',
  'wslconfig-kernel-mangled',
  'custom-modules-missing',
  'modules-without-kernel',
  'wsl-install-damaged',
  'wslconfig-bad-escape',
  'kernel-setting-blocked',
  'safe-mode-ignores-kernel',
  'wslconfig-unreadable',
  'kernel-missing',
  'kernel-invalid',
  'kernel-did-not-boot',
  'rollback-flag-orphaned',
  'not-elevated',
  'low-disk-space',
  'kernel-modified',
  'rollback-kernel-invalid',
  'rollback-kernel-modified',
] as const;
export type FindingId = (typeof FINDING_ORDER)[number];

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** Warnings whose first fix repair applies without being asked (harmless and always right). */
const AUTO_WARNINGS = new Set<string>(['temp-files-left']);

export function findingsOf(s: Snapshot, machine: Machine): Finding[] {
  // Store WSL never reads System32's kernel slots (DESIGN §8.1): their state is not a problem there.
  const slots = s.wsl.flavour === 'store' ? [] : slotFindings(s);
  const all = [...journalFindings(s, machine), ...stateFindings(s, machine), ...precheckFindings(s), ...slots, ...wslconfigFindings(s), ...customKernelInvalidFindings(s), ...wslInstallFindings(s)];
  const rank = (f: Finding) => FINDING_ORDER.indexOf(f.id as FindingId);
  return all.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || rank(a) - rank(b));
}

/** The findings `repair` without --fix works on, in the order it works on them. */
export function repairQueue(findings: Finding[]): Finding[] {
  const rank = (f: Finding) => FINDING_ORDER.indexOf(f.id as FindingId);
  return findings.filter((f) => f.severity === 'error' || AUTO_WARNINGS.has(f.id)).sort((a, b) => rank(a) - rank(b));
}

export function summarize(findings: Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  if (!errors.length && !warnings.length) return 'No problems found.';
  const part = (list: Finding[], word: string) => (list.length ? `${list.length} ${word}${list.length > 1 ? 's' : ''} (${list.map((f) => f.id).join(', ')})` : '');
  return `Found ${[part(errors, 'problem'), part(warnings, 'warning')].filter(Boolean).join(' and ')}.`;
}
