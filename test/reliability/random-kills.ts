/**
 * Random kills: real CLI processes on sandboxes, small kernels and large ones
 * (64 MiB; 128 MiB with --full), SIGKILLed at random instants after they take the operation lock.
 * Each lane walks through random installs (also forced downgrades), rollbacks and undos; every run
 * first recovers what the previous kill left, so kills also land inside recovery. The machine is checked against a model of the
 * rules (test/helpers/model.ts): after every completed command it must be in a state the model
 * allows from the states possible before it, and at every kill WSL must still be bootable.
 *
 * Some installs run with `--verify --auto-rollback` (docs/design.md §10): the lane's WSL runs in
 * Ubuntu and its newest kernel does not boot, so kills also land in the boot check, the rollback
 * that follows a failed one, and the restarts between.
 *
 * Installs also come from a signed feed served over HTTP on 127.0.0.1 (`update --version V`, the
 * same rules as `install`): kills then also land in the download, its verification and the install.
 *
 * `--kills N` sets the number of kill instants (default 700; 5000 with --full), `--seed S` replays.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { addKernel, initFeed } from '../../src/main/publisher/feed-commands';
import { buildCli, runCli } from '../helpers/cli';
import type { FeedServer } from '../helpers/feed-server';
import { serveFeed } from '../helpers/feed-server';
import { checkInvariants } from '../helpers/invariants';
import { SEED_VERSIONS, makeKernel } from '../helpers/kernels';
import type { KernelFile, SeedKernels } from '../helpers/kernels';
import type { Command, Logical } from '../helpers/model';
import { apply, keyOf, logicalOf } from '../helpers/model';
import { scratch } from '../helpers/paths';
import { progress, rng, runSuite } from '../helpers/report';
import { STARTS } from '../helpers/scenarios';
import type { Snapshot } from '../helpers/snapshot';
import { takeSnapshot } from '../helpers/snapshot';

interface Lane {
  name: string;
  dir: string;
  kernels: KernelFile[];
  base: Snapshot;
  /** The machine at the last completed check. */
  last: Snapshot;
  /** Every state the machine may be in now (more than one after a kill). */
  possible: Map<string, Logical>;
  /** Milliseconds from taking the lock to exiting, per command, learned from uninterrupted runs. */
  est: Record<string, number>;
  /** Runs since the last completed one. */
  sinceCheck: number;
  /** The lane's kernels, published in a signed feed served over HTTP. */
  feed: { server: FeedServer; root: string };
  /** The kernel that does not boot (machine.json `wsl.failingKernels`). */
  failing: string;
}

/** A command, and whether a failed boot check may be followed by a rollback (--verify --auto-rollback). */
interface Choice {
  argv: string[];
  cmd: Command;
  est: string;
  fallback?: boolean;
}

const EXTRA_VERSIONS = ['6.6.36.1', '6.6.87.1'];

async function makeLane(root: string, name: string, size: number): Promise<Lane> {
  const kdir = join(root, `${name}-kernels`);
  await mkdir(kdir, { recursive: true });
  const versions = [SEED_VERSIONS.A, SEED_VERSIONS.B, SEED_VERSIONS.C, ...EXTRA_VERSIONS];
  const kernels: KernelFile[] = [];
  // Distinct sizes: a size and a header tell which kernel a slot holds without hashing it.
  for (const [i, v] of versions.entries()) kernels.push(await makeKernel(kdir, v, size + i * 4096));
  const seed: SeedKernels = { A: kernels[0]!, B: kernels[1]!, C: kernels[2]! };
  const feedDir = join(root, `${name}-feed`);
  await initFeed(feedDir, `${feedDir}.keys`);
  for (const k of kernels) await addKernel(feedDir, `${feedDir}.keys`, k.path);
  const feed = { server: await serveFeed(feedDir), root: join(feedDir, '1.root.json') };
  const dir = join(root, name);
  await STARTS.installed!(dir, seed);
  // WSL runs B in Ubuntu; the newest kernel does not boot (docs/design.md §3.1).
  const failing = kernels[kernels.length - 1]!.sha256;
  const mj = join(dir, 'machine.json');
  const json = JSON.parse(readFileSync(mj, 'utf8')) as { wsl?: Record<string, unknown> };
  json.wsl = { ...json.wsl, running: ['Ubuntu'], distributions: ['Ubuntu'], runningRelease: seed.B.release, failingKernels: { [failing]: 'Error code: Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT' } };
  writeFileSync(mj, JSON.stringify(json, null, 2));
  const base = await takeSnapshot(dir);
  const l = logicalOf(base);
  const large = size > 4 * 1024 * 1024;
  return { name, dir, kernels, base, last: base, possible: new Map([[keyOf(l), l]]), est: { install: large ? 1500 : 120, 'install-verify': large ? 1800 : 250, update: large ? 2500 : 250, rollback: 60, 'undo-rollback': 60, status: 60 }, sinceCheck: 0, feed, failing };
}

/** A random command that changes something in at least one of the states the lane may be in. */
function pick(r: () => number, lane: Lane, versionOf: (sha: string) => string): Choice {
  for (let tries = 0; ; tries++) {
    const x = r();
    let choice: Choice;
    if (x < 0.12) {
      // The failing kernel half of the time, so the fallback runs often.
      const k = r() < 0.5 ? lane.kernels.find((c) => c.sha256 === lane.failing)! : lane.kernels[Math.floor(r() * lane.kernels.length)]!;
      choice = {
        argv: ['install', '--payload', k.path, '--verify', '--auto-rollback'],
        cmd: { op: 'install', sha256: k.sha256, version: k.version, force: false, allowDowngrade: false },
        est: 'install-verify',
        fallback: true,
      };
    } else if (x < 0.5) {
      const k = lane.kernels[Math.floor(r() * lane.kernels.length)]!;
      const forced = r() < 0.5;
      // From the feed, the same version follows the same rules as from a file.
      const fromFeed = r() < 0.4;
      const flags = forced ? ['--force', '--allow-downgrade'] : [];
      choice = {
        argv: fromFeed ? ['update', '--version', k.version, '--feed', lane.feed.server.url, '--root', lane.feed.root, ...flags] : ['install', '--payload', k.path, ...flags],
        cmd: { op: 'install', sha256: k.sha256, version: k.version, force: forced, allowDowngrade: forced },
        est: fromFeed ? 'update' : 'install',
      };
    } else if (x < 0.75) {
      choice = { argv: ['rollback'], cmd: { op: 'rollback' }, est: 'rollback' };
    } else {
      choice = { argv: ['undo-rollback'], cmd: { op: 'undo-rollback' }, est: 'undo-rollback' };
    }
    const useful = [...lane.possible.values()].some((s) => keyOf(apply(s, choice.cmd, versionOf)) !== keyOf(s));
    if (useful || tries > 20) return choice;
  }
}

/**
 * The states a command may end in, from one state: the install's, and with --auto-rollback, when the
 * kernel it leaves booting is the one that does not boot, the rollback's after it (docs/design.md §10).
 */
function outcomes(s: Logical, choice: Choice, lane: Lane, versionOf: (sha: string) => string): Logical[] {
  const t = apply(s, choice.cmd, versionOf);
  if (!choice.fallback || t.flag || t.k !== lane.failing) return [t];
  return [t, apply(t, { op: 'rollback' }, versionOf)];
}

runSuite('random-kills', async (args) => {
  buildCli();
  const target = args.numbers.kills ?? (args.full ? 5000 : 700);
  const largeSize = (args.full ? 128 : 64) * 1024 * 1024;
  const r = rng(args.seed);
  const { dir, cleanup } = await scratch('kills');
  const violations: string[] = [];
  const m = { runs: 0, killInstants: 0, recoveryKills: 0, largeKernelKills: 0, updateKills: 0, tornLockWaits: 0, completedChecks: 0, fallbacks: 0, seed: args.seed };
  const lanes: Lane[] = [];
  try {
    for (const [name, size] of [['small-1', 256 * 1024], ['small-2', 320 * 1024], ['large', largeSize]] as const) lanes.push(await makeLane(dir, name, size));
    const versionOf = (sha: string) => lanes.flatMap((l) => l.kernels).find((k) => k.sha256 === sha)?.version ?? `unknown:${sha.slice(0, 8)}`;

    /** Check a completed command: the machine must be in one of `allowed`; then that is the only possibility. */
    const settle = async (lane: Lane, allowed: Map<string, Logical>, where: string) => {
      const snap = await takeSnapshot(lane.dir);
      const now = logicalOf(snap);
      m.completedChecks++;
      if (!allowed.has(keyOf(now))) {
        violations.push(`${where}: state ${keyOf(now)} is none of the ${allowed.size} the rules allow: ${[...allowed.keys()].join(' | ')}`);
      }
      // (Over several runs since the last check, the model checks the rules, kernel.rollback's included.)
      for (const v of await checkInvariants(lane.dir, { before: lane.last, compareState: false, checkRollbackEntry: lane.sinceCheck <= 1 })) violations.push(`${where}: ${v}`);
      lane.possible = new Map([[keyOf(now), now]]);
      lane.last = snap;
    };

    const step = async (lane: Lane, n: number) => {
      const choice = pick(r, lane, versionOf);
      const { argv, est } = choice;
      // Most runs are killed; every few, one runs to the end (recovering what the kills left) and
      // the machine is checked against the model.
      lane.sinceCheck++;
      const kill = lane.sinceCheck < 6;
      const delay = Math.round(r() * lane.est[est]!);
      const journal = existsSync(join(lane.dir, 'ProgramData', 'WslKernelSetup', 'journal.json'));
      const where = `${lane.name} step ${n}: ${argv.join(' ').replace(/\S*kernel-x64-/, '').replace(/ --feed .*$/, '')}${kill ? ` killed ${delay} ms after the lock` : ''}`;
      let run = await runCli([...argv, '--machine', lane.dir, '--json'], kill ? { killAfterLockMs: delay } : {});
      // A kill between the lock file's creation and its first write leaves it empty; docs/design.md §6
      // has such a lock respected for 5 s (a live writer may still be writing it), so a command
      // refused in that window is run again once the grace period is over.
      if (!run.killedByUs && run.json?.code === 'operation-in-progress' && tornLock(lane.dir)) {
        m.tornLockWaits++;
        await new Promise((r) => setTimeout(r, 5_500));
        run = await runCli([...argv, '--machine', lane.dir, '--json']);
      }
      m.runs++;
      if (run.killedByUs) {
        m.killInstants++;
        if (lane.name === 'large') m.largeKernelKills++;
        if (argv[0] === 'update') m.updateKills++;
        // Killed while finishing the previous run's work (between recover.start and recover.done).
        if (journal && run.trace.includes('recover.start') && !run.trace.includes('recover.done')) m.recoveryKills++;
        const oneOp = lane.sinceCheck === 1;
        for (const v of await checkInvariants(lane.dir, { before: lane.last, phase: 'instant', checkRollbackEntry: oneOp })) violations.push(`${where} (at the kill): ${v}`);
        const next = new Map(lane.possible);
        for (const s of lane.possible.values()) for (const t of outcomes(s, choice, lane, versionOf)) next.set(keyOf(t), t);
        lane.possible = next;
        return;
      }
      if (run.signal || !run.json) {
        violations.push(`${where}: ended with ${run.signal ?? `exit ${run.code}`} and no result: ${run.stderr.slice(-300)}`);
        return;
      }
      // Kill instants are spread over how long the command holds the lock (a moving average).
      if (run.lockAtMs !== null) lane.est[est] = 0.7 * lane.est[est]! + 0.3 * (run.ms - run.lockAtMs);
      if (run.json.code === 'kernel-failed-to-boot') m.fallbacks++;
      if (run.json.code === 'io-error' || run.json.code === 'invalid-machine' || run.json.code === 'operation-in-progress' || run.json.code?.startsWith('feed-')) {
        violations.push(`${where}: ${run.json.code}: ${run.json.message}`);
      }
      const allowed = new Map<string, Logical>();
      for (const s of lane.possible.values()) for (const t of outcomes(s, choice, lane, versionOf)) allowed.set(keyOf(t), t);
      await settle(lane, allowed, where);
      lane.sinceCheck = 0;
    };

    let n = 0;
    const worker = async (mine: Lane[], largeShare: number) => {
      while (m.killInstants < target && violations.length < 200) {
        const lane = mine.length > 1 && r() < largeShare ? mine[1]! : mine[0]!;
        await step(lane, ++n);
        if (n % 100 === 0) progress(`random-kills: ${m.runs} runs, ${m.killInstants}/${target} kill instants, ${violations.length} violations`);
      }
    };
    await Promise.all([worker([lanes[0]!], 0), worker([lanes[1]!, lanes[2]!], args.full ? 0.3 : 0.16)]);
    // Finish every lane with a recovery and a last check.
    for (const lane of lanes) {
      const rec = await runCli(['status', '--machine', lane.dir, '--json']);
      m.runs++;
      if (!rec.json?.ok) violations.push(`${lane.name} final recovery failed: ${rec.json?.code}`);
      await settle(lane, lane.possible, `${lane.name} final`);
    }
  } finally {
    for (const lane of lanes) await lane.feed.server.close();
    await cleanup();
  }
  return { metrics: m, violations };
});

/** Whether the state folder's lock file exists but names no owner (torn or empty). */
function tornLock(dir: string): boolean {
  try {
    const owner = JSON.parse(readFileSync(join(dir, 'ProgramData', 'WslKernelSetup', 'operation.lock'), 'utf8')) as { pid?: unknown };
    return typeof owner?.pid !== 'number';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
