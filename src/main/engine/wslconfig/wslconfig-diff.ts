/**
 * A `.wslconfig` change as the plan shows it (docs/design.md §11): the changed lines with one
 * line of context, from jsdiff's structured patch of the decoded texts (any encoding, any line ending).
 */
import { structuredPatch } from 'diff';
import type { PlanDiff } from '../../../shared/types';
import { decodeWslConfig } from './wslconfig-text';
import type { LoadedWslConfig } from './wslconfig-file';

const KIND = { ' ': 'context', '-': 'removed', '+': 'added' } as const;

/** The diff between the file as it is and these new bytes for it. */
export function diffWslConfig(cfg: LoadedWslConfig, after: Uint8Array): PlanDiff {
  const before = cfg.decoded.text.replace(/\r\n?/g, '\n');
  const next = decodeWslConfig(after).text.replace(/\r\n?/g, '\n');
  const patch = structuredPatch(cfg.windowsPath, cfg.windowsPath, before, next, '', '', { context: 1 });
  const lines: PlanDiff['lines'] = [];
  let line = 1;
  for (const hunk of patch.hunks) {
    if (hunk.oldStart > line) lines.push({ kind: 'gap', text: '' });
    for (const l of hunk.lines) {
      const kind = KIND[l[0] as keyof typeof KIND];
      // "\ No newline at end of file" markers say nothing a reader of the plan needs.
      if (kind) lines.push({ kind, text: l.slice(1) });
    }
    line = hunk.oldStart + hunk.oldLines;
  }
  const total = before === '' ? 0 : before.split('\n').length - (before.endsWith('\n') ? 1 : 0);
  if (patch.hunks.length && line <= total) lines.push({ kind: 'gap', text: '' });
  return { file: cfg.windowsPath, created: !cfg.exists, lines };
}
