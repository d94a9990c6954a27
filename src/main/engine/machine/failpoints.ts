/**
 * Named failpoints: make the process die abruptly at a chosen step, as gofail and SQLite's crash
 * tests do. `WSLK_FAILPOINT=install.after-stage` kills the process (SIGKILL, no cleanup) the first
 * time that step is reached; `name@3` on its third time. Several names may be given, comma-separated.
 */

const env = process.env.WSLK_FAILPOINT ?? '';
const armed = new Map<string, number>();
for (const item of env.split(',').map((s) => s.trim()).filter(Boolean)) {
  const [name, count] = item.split('@');
  armed.set(name!, Math.max(1, Number(count ?? '1') || 1));
}
const hits = new Map<string, number>();
const seen = new Set<string>();

/** Every failpoint name reached in this process, in order (for tests that enumerate them). */
export function reachedFailpoints(): string[] {
  return [...seen];
}

/** Mark a crash point. Dies here when armed by WSLK_FAILPOINT. */
export function failpoint(name: string): void {
  seen.add(name);
  if (process.env.WSLK_FAILPOINT_TRACE) process.stderr.write(`failpoint:${name}\n`);
  const want = armed.get(name);
  if (want === undefined) return;
  const n = (hits.get(name) ?? 0) + 1;
  hits.set(name, n);
  if (n === want) process.kill(process.pid, 'SIGKILL');
}
