/**
 * The timing trace (`--trace-timing`, WSLK_TRACE_TIMING=1) and the history through the real CLI:
 * stdout stays one JSON object, the report counts what the install did, and `history --json`
 * answers from the end of a 200,000-entry history.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimingReport } from '../../../src/main/engine/machine/timing';
import type { HistoryEntry } from '../../../src/shared/types';
import { cli, kernel, tempDir } from '../../helpers/sandbox';

let work: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  work = await tempDir('wslk-cli-timing-');
});
afterAll(() => work.cleanup());

function report(stderr: string): TimingReport {
  const line = stderr.split('\n').find((l) => l.startsWith('WSLK-TIMING '));
  expect(line).toBeDefined();
  return JSON.parse(line!.slice('WSLK-TIMING '.length)) as TimingReport;
}

describe('--trace-timing', () => {
  it('reports the start-up phases and every flush and state write of an install, on stderr only', async () => {
    const m = join(work.dir, 'install');
    expect((await cli(['sandbox', 'init', m, '--preset', 'installed', '--json'])).code).toBe(0);
    const k = await kernel(work.dir, '6.6.40.1', 4 << 20);
    const r = await cli(['install', '--payload', k, '--machine', m, '--json', '--trace-timing']);
    expect(r.code).toBe(0);
    expect(r.json.ok).toBe(true);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const t = report(r.stderr);
    expect(t.phases.map((p) => p.name)).toEqual(['node-ready', 'cli-loaded', 'machine-opened', 'command-done']);
    for (let i = 1; i < t.phases.length; i++) expect(t.phases[i]!.atMs).toBeGreaterThanOrEqual(t.phases[i - 1]!.atMs);
    // An update that keeps the previous kernel (docs/design.md §6): journal prepare and commit, the
    // staged copy, state.json, machine.reg and the lock are flushed; the facts cache is not.
    expect(t.calls['state.journal-write']?.n).toBe(2);
    expect(t.calls['state.state-write']?.n).toBe(1);
    expect(t.calls['registry.write']?.n).toBe(1);
    expect(t.calls['state.cache-write']?.n).toBeLessThanOrEqual(2);
    expect(t.calls['fs.fsync']?.n).toBe(6);
    expect(t.calls['fs.folder-flush']?.n).toBe(7);
    expect(t.calls['kernel.copy-flush-verify']?.n).toBe(1);
    // The payload and `kernel` are read in full; kernel.rollback comes from the facts cache.
    expect(t.calls['kernel.inspect-hash']?.n).toBe(2);
  });

  it('is off without the option, and WSLK_TRACE_TIMING=1 turns it on for any command', async () => {
    const m = join(work.dir, 'status');
    expect((await cli(['sandbox', 'init', m, '--preset', 'installed'])).code).toBe(0);
    const plain = await cli(['status', '--machine', m, '--json']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toContain('WSLK-TIMING');
    const traced = await cli(['status', '--machine', m, '--json'], { WSLK_TRACE_TIMING: '1' });
    expect(traced.json.status).toEqual(plain.json.status);
    const t = report(traced.stderr);
    // status writes nothing on a machine at rest.
    expect(Object.keys(t.calls).filter((k) => /fsync|folder-flush|rename|write/.test(k))).toEqual([]);
  });
});

describe('history --json', () => {
  it('answers with the newest 200 of 200,000 entries, and changing commands keep the history bounded', async () => {
    const m = join(work.dir, 'history');
    expect((await cli(['sandbox', 'init', m, '--preset', 'installed'])).code).toBe(0);
    const state = join(m, 'ProgramData', 'WslKernelSetup');
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i++) lines.push(JSON.stringify({ id: `h${i}`, op: 'check-update', at: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(), ok: true, code: null, message: `check ${i}` }));
    writeFileSync(join(state, 'history.jsonl'), lines.join('\n') + '\n');
    const r = await cli(['history', '--machine', m, '--json', '--trace-timing']);
    expect(r.code).toBe(0);
    const got = (r.json as unknown as { history: HistoryEntry[] }).history;
    expect(got.map((e) => e.id)).toEqual(Array.from({ length: 200 }, (_, i) => `h${199_800 + i}`));
    expect(report(r.stderr).calls['state.history-read']?.n).toBe(1);
    // A changing command (it holds the lock) moves the long history aside and cuts it.
    const rb = await cli(['rollback', '--machine', m, '--json']);
    expect(rb.code).toBe(0);
    expect(readdirSync(state).filter((n) => n.startsWith('history')).sort()).toEqual(['history.1.jsonl']);
    const after = (await cli(['history', '--machine', m, '--json'])).json as unknown as { history: HistoryEntry[] };
    expect(after.history.at(-1)!.op).toBe('rollback');
    expect(after.history.at(-2)!.id).toBe('h199999');
    expect(existsSync(join(state, 'history.jsonl'))).toBe(false);
  });
});
