/** Small display helpers: sizes, dates, hashes. */

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB'] as const;

export function formatBytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} bytes` : `${v.toFixed(v >= 100 ? 0 : 1)} ${UNITS[i]}`;
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The first 12 hex digits of a hash, enough to tell files apart at a glance. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 12);
}

export function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Human names of the engine's operations in the history. */
export function opLabel(op: string): string {
  const labels: Record<string, string> = {
    install: 'Install',
    rollback: 'Rollback',
    'undo-rollback': 'Undo rollback',
    repair: 'Repair',
    recover: 'Recovery after an interruption',
  };
  return labels[op] ?? op;
}
