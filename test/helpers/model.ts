/**
 * The rules of docs/design.md §5 as a small pure model, independent of the engine: what state each
 * command leads to. The random-kill and concurrency suites check the machine against it.
 */
import { compareVersions } from '../../src/main/engine/kernel/kernel-image';
import type { Snapshot } from './snapshot';

/** The meaning of a machine: slot contents (by sha256), flag, bad versions, detection value, slot records. */
export interface Logical {
  k: string | null;
  r: string | null;
  flag: boolean;
  bad: string[];
  det: string | null;
  slotK: string | null;
  slotR: string | null;
}

export type Command =
  | { op: 'install'; sha256: string; version: string; force: boolean; allowDowngrade: boolean }
  | { op: 'rollback' }
  | { op: 'undo-rollback' }
  | { op: 'status' };

export function logicalOf(s: Snapshot): Logical {
  let slots: { kernel?: { sha256?: string } | null; rollback?: { sha256?: string } | null } = {};
  try {
    slots = (JSON.parse(s.state) as { slots: typeof slots }).slots ?? {};
  } catch {
    slots = {};
  }
  return {
    k: s.tools.kernel ?? null,
    r: s.tools['kernel.rollback'] ?? null,
    flag: s.flag,
    bad: s.badVersions,
    det: s.detection,
    slotK: slots.kernel?.sha256 ?? null,
    slotR: slots.rollback?.sha256 ?? null,
  };
}

export function keyOf(l: Logical): string {
  return JSON.stringify(l);
}

/** The state after `cmd` on `s` (a refusal leaves `s`). `versionOf` maps a kernel's sha256 to its version. */
export function apply(s: Logical, cmd: Command, versionOf: (sha: string) => string): Logical {
  switch (cmd.op) {
    case 'status':
      return s;
    case 'rollback': {
      if (s.flag || !s.r) return s; // already-rolled-back, no-rollback-kernel
      const from = s.k ? versionOf(s.k) : null;
      return { ...s, flag: true, bad: from && !s.bad.includes(from) ? [...s.bad, from] : s.bad };
    }
    case 'undo-rollback': {
      if (!s.flag || !s.k) return s; // not-rolled-back, kernel-missing
      const v = versionOf(s.k);
      return { ...s, flag: false, bad: s.bad.filter((b) => b !== v) };
    }
    case 'install': {
      if (s.bad.includes(cmd.version) && !cmd.force) return s; // version-marked-bad
      const kv = s.k ? versionOf(s.k) : null;
      if (kv && !cmd.allowDowngrade && compareVersions(cmd.version, kv) < 0) return s; // downgrade-refused
      if (s.k === cmd.sha256 && !s.flag) return s; // nothing to do
      const keepPrevious = !!s.k && !s.flag && !!kv && !s.bad.includes(kv);
      return {
        ...s,
        k: cmd.sha256,
        r: keepPrevious ? s.k : s.r,
        slotK: cmd.sha256,
        slotR: keepPrevious ? s.k : s.slotR,
        flag: false,
        det: cmd.version,
      };
    }
  }
}
