/**
 * The history (src/main/engine/state/history.ts): tail reads on real files of 10 to 200,000
 * entries, torn and overlong lines, the older history.1.jsonl, and rotation, also when the process
 * doing it is killed.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendHistory, HISTORY_MAX_BYTES, readHistory, rotateHistory } from '../../../../src/main/engine/state/history';
import { removeWriteLeftovers } from '../../../../src/main/engine/state/leftovers';
import type { FileHandle, Fs } from '../../../../src/main/engine/machine/fs-port';
import { nodeFs } from '../../../../src/main/engine/machine/fs-port';
import type { Machine } from '../../../../src/main/engine/machine/machine';
import type { HistoryEntry } from '../../../../src/shared/types';
import { ROOT, tempDir } from '../../../helpers/sandbox';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('wslk-history-'));
});
afterEach(() => cleanup());

/** A machine whose state folder is `dir`; `bytes` counts what its Fs reads. */
function machineAt(stateDir: string): { machine: Machine; bytes: () => number } {
  let read = 0;
  const fs: Fs = {
    ...nodeFs,
    async open(path, mode) {
      const h = await nodeFs.open(path, mode);
      const counted: FileHandle = {
        read: async (b, o, l, p) => {
          const n = await h.read(b, o, l, p);
          read += n;
          return n;
        },
        write: (b, o, l, p) => h.write(b, o, l, p),
        sync: () => h.sync(),
        stat: () => h.stat(),
        close: () => h.close(),
      };
      return counted;
    },
  };
  return { machine: { stateDir, root: null, kind: 'sandbox', fs } as unknown as Machine, bytes: () => read };
}

const entry = (seq: number, message = `entry ${seq}`): HistoryEntry => ({ id: `e${seq}`, op: 'install', at: '2026-01-01T00:00:00.000Z', ok: true, code: null, message });
const line = (seq: number, message?: string) => JSON.stringify(entry(seq, message)) + '\n';

/** A history.jsonl of `n` entries, written in one go (200,000 lines in well under a second). */
function writeHistory(path: string, n: number, from = 0): void {
  const parts: string[] = [];
  for (let i = from; i < from + n; i++) parts.push(line(i));
  writeFileSync(path, parts.join(''));
}

const ids = (es: HistoryEntry[]) => es.map((e) => e.id);
const seqs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `e${from + i}`);

describe('reading the history from its end', () => {
  it('returns the newest entries, newest last, reading about the same bytes for 10 and for 200,000 entries', async () => {
    const small = join(dir, 'small');
    const big = join(dir, 'big');
    for (const [d, n] of [[small, 10], [big, 200_000]] as const) {
      await nodeFs.mkdir(d);
      writeHistory(join(d, 'history.jsonl'), n);
    }
    expect(statSync(join(big, 'history.jsonl')).size).toBeGreaterThan(15 * 1024 * 1024);
    const s = machineAt(small);
    const b = machineAt(big);
    expect(ids(await readHistory(s.machine, 200))).toEqual(seqs(0, 9));
    expect(ids(await readHistory(b.machine, 200))).toEqual(seqs(199_800, 199_999));
    // 200 entries of ~110 bytes: one 64 KiB block, whatever lies before them.
    expect(b.bytes()).toBeLessThanOrEqual(64 * 1024);
    expect(ids(await readHistory(b.machine, 1000))).toEqual(seqs(199_000, 199_999));
    expect(b.bytes()).toBeLessThan(64 * 1024 + 3 * 64 * 1024);
  });

  it('skips a torn last line and reads a complete last line that lost only its newline', async () => {
    const path = join(dir, 'history.jsonl');
    writeHistory(path, 5);
    appendFileSync(path, line(5).slice(0, 30));
    const { machine } = machineAt(dir);
    expect(ids(await readHistory(machine, 10))).toEqual(seqs(0, 4));
    writeHistory(path, 5);
    appendFileSync(path, line(5).trimEnd());
    expect(ids(await readHistory(machine, 10))).toEqual(seqs(0, 5));
  });

  it('starts the next entry on a line of its own after a torn line, so it is not lost', async () => {
    const path = join(dir, 'history.jsonl');
    writeHistory(path, 3);
    appendFileSync(path, line(3).slice(0, 25));
    const { machine } = machineAt(dir);
    await appendHistory(machine, entry(4));
    expect(ids(await readHistory(machine, 10))).toEqual(['e0', 'e1', 'e2', 'e4']);
  });

  it('reads lines that cross block boundaries, and skips a line too long to be an entry without holding it', async () => {
    const path = join(dir, 'history.jsonl');
    const long = (n: number) => 'm'.repeat(n);
    writeFileSync(path, line(0) + line(1, long(100_000)) + JSON.stringify({ junk: long(600_000) }) + '\n' + line(2, long(70_000)) + line(3) + '\n\n');
    const { machine } = machineAt(dir);
    const got = await readHistory(machine, 10);
    expect(ids(got)).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(got[1]!.message.length).toBe(100_000);
    expect(ids(await readHistory(machine, 2))).toEqual(['e2', 'e3']);
  });

  it('skips lines that are JSON but not entries, and has none for a missing history or a folder in its place', async () => {
    const path = join(dir, 'history.jsonl');
    writeFileSync(path, line(0) + '{"id":1}\n[]\nnull\n' + line(1));
    const { machine } = machineAt(dir);
    expect(ids(await readHistory(machine))).toEqual(['e0', 'e1']);
    const empty = join(dir, 'empty');
    await nodeFs.mkdir(join(empty, 'history.jsonl'));
    expect(await readHistory(machineAt(empty).machine)).toEqual([]);
    expect(await readHistory(machineAt(join(dir, 'none')).machine)).toEqual([]);
  });

  it('continues into history.1.jsonl when history.jsonl holds fewer entries than asked', async () => {
    writeHistory(join(dir, 'history.1.jsonl'), 100, 0);
    writeHistory(join(dir, 'history.jsonl'), 20, 100);
    const { machine } = machineAt(dir);
    expect(ids(await readHistory(machine, 50))).toEqual(seqs(70, 119));
    expect(ids(await readHistory(machine, 10))).toEqual(seqs(110, 119));
  });
});

describe('keeping the history bounded', () => {
  it('moves history.jsonl aside past the bound, only for the lock holder, and keeps every recent entry', async () => {
    const { machine } = machineAt(dir);
    const max = 4096;
    for (let i = 0; i < 400; i++) await appendHistory(machine, entry(i), { rotate: true, maxBytes: max });
    const size = (name: string) => (existsSync(join(dir, name)) ? statSync(join(dir, name)).size : 0);
    expect(size('history.jsonl')).toBeLessThanOrEqual(max + 200);
    expect(size('history.1.jsonl')).toBeLessThanOrEqual(max + 200);
    expect(size('history.1.jsonl')).toBeGreaterThan(max);
    // At least `max` bytes of the newest entries are always kept (~37 entries of ~110 bytes here).
    expect(ids(await readHistory(machine, 30))).toEqual(seqs(370, 399));
    expect((await readHistory(machine, 1000)).length).toBeGreaterThanOrEqual(37);
    // Without the lock (rotate not set) a history only grows.
    for (let i = 400; i < 500; i++) await appendHistory(machine, entry(i), { maxBytes: max });
    expect(size('history.jsonl')).toBeGreaterThan(max);
    expect(ids(await readHistory(machine, 130))).toEqual(seqs(370, 499));
    // The default bound is what the product uses.
    expect(HISTORY_MAX_BYTES).toBe(1024 * 1024);
  });

  it('cuts a history from before the bound (200,000 entries) to its newest part when moving it aside', async () => {
    writeHistory(join(dir, 'history.jsonl'), 200_000);
    const { machine } = machineAt(dir);
    await rotateHistory(machine);
    expect(existsSync(join(dir, 'history.jsonl'))).toBe(false);
    const old = statSync(join(dir, 'history.1.jsonl')).size;
    expect(old).toBeLessThanOrEqual(HISTORY_MAX_BYTES);
    expect(old).toBeGreaterThan(HISTORY_MAX_BYTES - 200);
    await appendHistory(machine, entry(200_000));
    expect(ids(await readHistory(machine, 300))).toEqual(seqs(199_701, 200_000));
    expect(readdirSync(dir).sort()).toEqual(['history.1.jsonl', 'history.jsonl']);
  });
});

/** Run the writer child until it has written `after` entries and `extraMs` passed (or it died at a failpoint). */
function runWriter(stateDir: string, maxBytes: number, first: number, opts: { after?: number; extraMs?: number; failpoint?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'history-writer.ts'), stateDir, String(maxBytes), String(first)], {
      cwd: ROOT,
      env: { ...process.env, WSLK_FAILPOINT: opts.failpoint ?? '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last = first - 1;
    let out = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /wrote (\d+)\n(?![\s\S]*wrote)/.exec(out);
      if (m) last = Number(m[1]);
      if (opts.after !== undefined && last >= first + opts.after && !timer) timer = setTimeout(() => child.kill('SIGKILL'), opts.extraMs ?? 0);
    });
    child.on('error', reject);
    child.on('close', () => resolve(last));
  });
}

describe('rotation when the process is killed', () => {
  it('leaves a readable history with no entry lost or reordered among the newest, at random kill instants', async () => {
    const { machine } = machineAt(dir);
    const max = 8192; // a rotation every ~35 entries; at least ~25 of the newest are always kept
    let next = 0;
    for (let round = 0; round < 4; round++) {
      const last = await runWriter(dir, max, next, { after: 16 + round * 7, extraMs: Math.floor(Math.random() * 40) });
      // Written but killed before it said so: at most one more entry than reported.
      const got = ids(await readHistory(machine, 15));
      const newest = Number(got.at(-1)!.slice(1));
      expect(newest === last || newest === last + 1).toBe(true);
      expect(got).toEqual(seqs(newest - 14, newest));
      // Past the bound by at most two lines (each under 400 bytes): a kill between an append and
      // its rotation leaves one line over, and the next append adds one more before it rotates.
      for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(max + 2 * 400);
      next = newest + 1;
    }
  }, 120_000);

  it('after a kill right after the move or in the middle of cutting a long history, reads the same newest entries', async () => {
    const { machine } = machineAt(dir);
    for (const failpoint of ['history.rotated', 'history.compacted']) {
      writeHistory(join(dir, 'history.jsonl'), 50_000);
      await runWriter(dir, 64 * 1024, 50_000, { failpoint });
      const got = ids(await readHistory(machine, 100));
      // The entry whose append started the rotation was written before the move.
      expect(got).toEqual(seqs(49_901, 50_000));
      // A cut interrupted before its rename leaves at most a temp file, which recovery removes.
      await removeWriteLeftovers({ ...machine, kind: 'sandbox', root: null } as Machine);
      expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      await cleanupState(dir);
    }
  }, 120_000);
});

async function cleanupState(d: string): Promise<void> {
  for (const name of readdirSync(d)) await nodeFs.unlink(join(d, name));
}
