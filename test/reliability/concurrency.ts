/**
 * Concurrency (docs/design.md §6 invariant 5): many CLI processes started at once on one
 * sandbox. Exactly one changing operation holds the lock at a time (checked from the order of lock
 * events, recorded by a preloaded probe, and from history.jsonl); the others get
 * operation-in-progress (1618; the shell sees 82) or, with --wait, wait and run; the final state is
 * the one the rules give for the operations in the order they held the lock. Also: a stale lock of
 * a dead process, and a lock from before the last restart whose pid now belongs to a live process,
 * are taken over; a live lock is respected.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';
import type { CliRun } from '../helpers/cli';
import { buildCli, runCli } from '../helpers/cli';
import { checkInvariants } from '../helpers/invariants';
import { badRollbackEntries } from '../helpers/rollback-entries';
import { SEED_VERSIONS, makeKernel } from '../helpers/kernels';
import type { KernelFile } from '../helpers/kernels';
import type { Command } from '../helpers/model';
import { apply, keyOf, logicalOf } from '../helpers/model';
import { repoRoot, scratch } from '../helpers/paths';
import { progress, runSuite } from '../helpers/report';
import { Templates } from '../helpers/scenarios';
import { stateDirOf, takeSnapshot } from '../helpers/snapshot';

const CHANGING = new Set(['install', 'rollback', 'undo-rollback']);

interface Proc {
  argv: string[];
  cmd: Command;
}

function mix(kernels: KernelFile[], n: number, round: number): Proc[] {
  const out: Proc[] = [];
  for (let i = 0; i < n; i++) {
    const kind = (i + round) % 6;
    if (kind <= 1) {
      const k = kernels[(i + round) % kernels.length]!;
      out.push({ argv: ['install', '--payload', k.path, '--allow-downgrade'], cmd: { op: 'install', sha256: k.sha256, version: k.version, force: false, allowDowngrade: true } });
    } else if (kind === 2 || kind === 3) {
      out.push({ argv: ['rollback'], cmd: { op: 'rollback' } });
    } else if (kind === 4) {
      out.push({ argv: ['undo-rollback'], cmd: { op: 'undo-rollback' } });
    } else {
      out.push({ argv: ['status'], cmd: { op: 'status' } });
    }
  }
  return out;
}

/** Lock holders from the probe log: their pids in order, or the overlap found. */
function holders(log: string): { order: number[]; overlaps: string[]; takeovers: number } {
  const order: number[] = [];
  const overlaps: string[] = [];
  let holder: number | null = null;
  let takeovers = 0;
  for (const line of log.split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as { pid: number; kind: string };
    if (e.kind === 'acquired') {
      if (holder !== null) overlaps.push(`process ${e.pid} took the lock while process ${holder} held it`);
      holder = e.pid;
      order.push(e.pid);
    } else if (e.kind === 'released') {
      if (holder === e.pid) holder = null;
    } else if (e.kind === 'takeover') {
      takeovers++;
    }
  }
  return { order, overlaps, takeovers };
}

function historyLines(root: string): number {
  try {
    return readFileSync(join(stateDirOf(root), 'history.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

const probeArgs = () => ['--require', join(repoRoot(), 'test', 'helpers', 'lock-probe.cjs')];

runSuite('concurrency', async (args) => {
  buildCli();
  const { dir, cleanup } = await scratch('conc');
  const violations: string[] = [];
  const m = { rounds: 0, processes: 0, lockHolders: 0, inProgress: 0, waited: 0, takeovers: 0 };
  try {
    await mkdir(join(dir, 'kernels'));
    const kd = join(dir, 'kernels');
    const seed = { A: await makeKernel(kd, SEED_VERSIONS.A, 1 << 20), B: await makeKernel(kd, SEED_VERSIONS.B, (1 << 20) + 4096), C: await makeKernel(kd, SEED_VERSIONS.C, (1 << 20) + 8192) };
    const kernels = [seed.A, seed.B, seed.C, await makeKernel(kd, '6.6.36.1', (1 << 20) + 12288)];
    const versionOf = (sha: string) => kernels.find((k) => k.sha256 === sha)?.version ?? '?';
    const templates = new Templates(dir, seed);
    const rounds = args.numbers.rounds ?? (args.full ? 20 : 6);
    const width = args.numbers.processes ?? 12;

    for (let round = 0; round < rounds; round++) {
      const wait = round % 3 === 2; // every third round: --wait
      const root = await templates.copy('installed', join(dir, `round-${round}`));
      const before = await takeSnapshot(root);
      const log = join(dir, `round-${round}.log`);
      writeFileSync(log, '');
      const procs = mix(kernels, width, round);
      const historyBefore = historyLines(root);
      const runs: CliRun[] = await Promise.all(
        procs.map((p) => runCli([...p.argv, ...(wait && CHANGING.has(p.cmd.op) ? ['--wait', '120'] : []), '--machine', root, '--json'], { nodeArgs: probeArgs(), env: { WSLK_LOCK_PROBE: log } })),
      );
      m.rounds++;
      m.processes += runs.length;
      const where = `round ${round}${wait ? ' (--wait)' : ''}`;
      const { order, overlaps, takeovers } = holders(readFileSync(log, 'utf8'));
      violations.push(...overlaps.map((o) => `${where}: ${o}`));
      m.takeovers += takeovers;
      const byPid = new Map<number, Proc>();
      const ranChanging = new Set<number>();
      runs.forEach((run, i) => {
        const p = procs[i]!;
        const json = run.json;
        if (!json) {
          violations.push(`${where}: ${p.argv[0]} ended without a result (${run.signal ?? run.code}): ${run.stderr.slice(-200)}`);
          return;
        }
        if (json.code === 'operation-in-progress') {
          m.inProgress++;
          if (wait) violations.push(`${where}: ${p.argv[0]} with --wait still got operation-in-progress`);
          if (!CHANGING.has(p.cmd.op)) violations.push(`${where}: ${p.argv[0]} got operation-in-progress`);
          if (json.exitCode !== 1618 || run.code !== 1618 % 256) violations.push(`${where}: operation-in-progress exited ${run.code} (JSON ${json.exitCode}), expected 82 (1618)`);
        } else if (json.code === 'io-error' || json.code === 'invalid-machine') {
          violations.push(`${where}: ${p.argv[0]} failed: ${json.code} ${json.message}`);
        } else if (CHANGING.has(p.cmd.op)) {
          if (wait && json.ok) m.waited++;
        }
      });
      // Which process each lock holder was: the probe gives pids; the runs' stderr trace does not,
      // so match holders to commands by their order of taking the lock and the history they wrote.
      const pids = runs.map((r) => r.pid);
      procs.forEach((p, i) => byPid.set(pids[i]!, p));
      for (const pid of order) if (CHANGING.has(byPid.get(pid)?.cmd.op ?? '')) ranChanging.add(pid);
      m.lockHolders += order.length;
      const changingRan = runs.filter((r, i) => CHANGING.has(procs[i]!.cmd.op) && r.json && r.json.code !== 'operation-in-progress').length;
      if (ranChanging.size !== changingRan) violations.push(`${where}: ${changingRan} changing commands ran but ${ranChanging.size} took the lock`);
      const written = historyLines(root) - historyBefore;
      if (written !== changingRan) violations.push(`${where}: history.jsonl gained ${written} lines for ${changingRan} changing commands that ran`);
      // The final state is what the rules give for the commands in the order they held the lock.
      let expected = logicalOf(before);
      for (const pid of order) {
        const p = byPid.get(pid);
        if (p && CHANGING.has(p.cmd.op)) expected = apply(expected, p.cmd, versionOf);
      }
      const after = await takeSnapshot(root);
      if (keyOf(logicalOf(after)) !== keyOf(expected)) violations.push(`${where}: final state ${keyOf(logicalOf(after))}, the rules give ${keyOf(expected)}`);
      violations.push(...badRollbackEntries(root, historyBefore, before, order.map((pid) => byPid.get(pid)?.cmd).filter((c): c is Command => !!c && CHANGING.has(c.op)), versionOf).map((v) => `${where}: ${v}`));
      // Invariant 2 is judged per operation just above: across a round, a kernel may enter
      // kernel.rollback while good and be marked bad there by a later rollback.
      for (const v of await checkInvariants(root, { before, compareState: false, checkRollbackEntry: changingRan <= 1 })) violations.push(`${where}: ${v}`);
      progress(`concurrency: ${where}: ${order.length} lock holders, ${runs.filter((r) => r.json?.code === 'operation-in-progress').length} operation-in-progress`);
    }

    // Stale and live locks.
    const lockCase = async (name: string, owner: Record<string, unknown>, expectTakeover: boolean, extra: string[] = []) => {
      const root = await templates.copy('installed', join(dir, `lock-${name}`));
      writeFileSync(join(stateDirOf(root), 'operation.lock'), JSON.stringify(owner));
      const r = await runCli(['rollback', ...extra, '--machine', root, '--json']);
      m.processes++;
      const took = r.json?.ok === true;
      if (took !== expectTakeover) violations.push(`lock ${name}: expected ${expectTakeover ? 'a takeover' : 'operation-in-progress'}, got ${r.json?.code ?? r.signal} (exit ${r.code})`);
      if (!expectTakeover && (r.code !== 82 || r.json?.exitCode !== 1618)) violations.push(`lock ${name}: exit ${r.code} / ${r.json?.exitCode}, expected 82 / 1618`);
      if (expectTakeover) m.takeovers++;
    };
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const boot = Date.now() - uptime() * 1000;
    const since = new Date().toISOString();
    await lockCase('dead-pid', { pid: dead, host: hostname(), op: 'install', since }, true);
    await lockCase('before-restart', { pid: 1, host: hostname(), op: 'install', since: new Date(boot - 3600_000).toISOString(), boot: boot - 86_400_000 }, true);
    await lockCase('live-pid', { pid: process.pid, host: hostname(), op: 'install', since, boot: Math.round(boot / 1000) * 1000 }, false);
    await lockCase('live-pid-wait', { pid: process.pid, host: hostname(), op: 'install', since, boot: Math.round(boot / 1000) * 1000 }, false, ['--wait', '1']);
    await lockCase('other-host', { pid: 1, host: `not-${hostname()}`, op: 'install', since }, false);
  } finally {
    await cleanup();
  }
  return { metrics: m, violations };
});
