/**
 * The reliability harness checks itself: the invariant checker reports each kind of violation,
 * the power-loss model loses what was not flushed (and so catches a missing flush in the engine),
 * and fault plans fire exactly where they are told to.
 */
import { mkdirSync, writeFileSync, unlinkSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/main/engine/engine';
import type { Fs } from '../../src/main/engine/machine/fs-port';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import { FaultPlan, faultFs, withoutFlush } from '../helpers/fault-fs';
import { checkInvariants } from '../helpers/invariants';
import { badRollbackEntries } from '../helpers/rollback-entries';
import { makeSeedKernels } from '../helpers/kernels';
import type { SeedKernels } from '../helpers/kernels';
import { PowerLossFs } from '../helpers/power-loss-fs';
import { OPERATIONS, Templates } from '../helpers/scenarios';
import { stateDirOf, takeSnapshot, toolsDirOf } from '../helpers/snapshot';

let dir: string;
let kernels: SeedKernels;
let templates: Templates;
let n = 0;
const copy = (start: string) => templates.copy(start, join(dir, `case-${n++}`));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wslk-rel-support-'));
  mkdirSync(join(dir, 'k'));
  kernels = await makeSeedKernels(join(dir, 'k'), 192 * 1024);
  templates = new Templates(dir, kernels);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the invariant checker', () => {
  it('passes an untouched machine and an operation run to its end', async () => {
    const root = await copy('installed');
    const before = await takeSnapshot(root);
    expect(await checkInvariants(root, { before })).toEqual([]);
    await new Engine(await openSandbox(root)).rollback();
    const after = await takeSnapshot(root);
    expect(await checkInvariants(root, { before, after })).toEqual([]);
  });

  it('reports a state that is neither before nor after, a missing kernel, temps and writes outside', async () => {
    const root = await copy('rolled-back');
    const before = await takeSnapshot(root);
    unlinkSync(join(toolsDirOf(root), 'kernel.rollback')); // RollbackKernel set, nothing to boot
    writeFileSync(join(toolsDirOf(root), '.wslk-abc.payload.tmp'), 'x');
    writeFileSync(join(stateDirOf(root), 'journal.json.0123456789ab.tmp'), '{');
    writeFileSync(join(root, 'stray.txt'), 'x');
    const v = (await checkInvariants(root, { before })).join('\n');
    expect(v).toMatch(/not bootable/);
    expect(v).toMatch(/neither before nor after/);
    expect(v).toMatch(/temp files left in the tools folder: \.wslk-abc\.payload\.tmp/);
    expect(v).toMatch(/left in the state folder: journal\.json\.0123456789ab\.tmp/);
    expect(v).toMatch(/written outside the tools and state folders: stray\.txt/);
  });

  it('reports a bad version that entered kernel.rollback, and an unparsable machine.reg', async () => {
    const root = await copy('installed');
    const before = await takeSnapshot(root);
    // kernel.rollback := kernel (B), then B marked bad.
    writeFileSync(join(toolsDirOf(root), 'kernel.rollback'), readFileSync(join(toolsDirOf(root), 'kernel')));
    const statePath = join(stateDirOf(root), 'state.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { badVersions: string[] };
    state.badVersions = [kernels.B.version];
    writeFileSync(statePath, JSON.stringify(state));
    writeFileSync(join(root, 'machine.reg'), 'not a registry file');
    const v = (await checkInvariants(root, { before, phase: 'instant' })).join('\n');
    expect(v).toMatch(/kernel\.rollback now holds 5\.15\.153\.1, a version marked bad/);
    expect(v).toMatch(/machine\.reg does not parse/);
  });

  it('judges a bad kernel.rollback per operation over several: marked bad where it sits is not an entry', async () => {
    const root = await copy('installed'); // kernel = B, kernel.rollback = A
    const before = await takeSnapshot(root);
    const history = join(stateDirOf(root), 'history.jsonl');
    const lines = () => readFileSync(history, 'utf8').split('\n').filter(Boolean);
    const skip = lines().length;
    const engine = new Engine(await openSandbox(root));
    const versionOf = (sha: string) => Object.values(kernels).find((k) => k.sha256 === sha)?.version ?? '?';
    const install = (k: (typeof kernels)['A']) => ({ op: 'install' as const, sha256: k.sha256, version: k.version, force: false, allowDowngrade: true });
    const cmds = [install(kernels.A), { op: 'rollback' as const }, install(kernels.B), { op: 'rollback' as const }];
    expect((await engine.install({ payload: kernels.A.path, allowDowngrade: true })).ok).toBe(true); // B kept in kernel.rollback
    expect((await engine.rollback()).ok).toBe(true); // A marked bad
    expect((await engine.install({ payload: kernels.B.path, allowDowngrade: true })).ok).toBe(true); // both slots B
    expect((await engine.rollback()).ok).toBe(true); // B marked bad where it sits
    // The before/after check alone sees a bad B that was not in kernel.rollback before…
    expect((await checkInvariants(root, { before, compareState: false })).join('\n')).toMatch(/kernel\.rollback now holds 5\.15\.153\.1, a version marked bad/);
    // …and the per-operation check finds that no install put it there while bad.
    expect(badRollbackEntries(root, skip, before, cmds, versionOf)).toEqual([]);
    // An install whose entry shows a bad version entering kernel.rollback is reported.
    const all = lines();
    all[skip + 2] = JSON.stringify({ ...(JSON.parse(all[skip + 2]!) as object), rollbackKernel: kernels.A.version }); // A was bad then
    writeFileSync(history, all.join('\n') + '\n');
    expect(badRollbackEntries(root, skip, before, cmds, versionOf)).toEqual([`install (command 3 of the round) put ${kernels.A.version}, a version marked bad, into kernel.rollback`]);
  });

  it('judges a bad release by its exact name: another release of the same version is not bad', async () => {
    const marked = async (badReleases: string[]) => {
      const root = await copy('installed');
      const before = await takeSnapshot(root);
      writeFileSync(join(toolsDirOf(root), 'kernel.rollback'), readFileSync(join(toolsDirOf(root), 'kernel')));
      const statePath = join(stateDirOf(root), 'state.json');
      const state = JSON.parse(readFileSync(statePath, 'utf8')) as { badVersions: string[]; badReleases: string[] };
      Object.assign(state, { badVersions: [], badReleases });
      writeFileSync(statePath, JSON.stringify(state));
      return (await checkInvariants(root, { before, phase: 'instant' })).join('\n');
    };
    const release = kernels.B.release;
    expect(await marked([release])).toMatch(/kernel\.rollback now holds 5\.15\.153\.1, a version marked bad/);
    // The engine's rule (docs/design.md §6): only the named release is bad, as a hand-edited state may say.
    expect(await marked([release.replace('wslk', 'wsSk')])).not.toMatch(/marked bad/);
  });
});

describe('the power-loss model', () => {
  it('loses data that was not flushed and directory changes that were not flushed', async () => {
    const root = await copy('fresh');
    const pl = await new PowerLossFs(nodeFs, root).init();
    const state = stateDirOf(root);
    const a = await pl.open(join(state, 'a'), 'wx');
    await a.write(Buffer.from('flushed'), 0, 7, 0);
    await a.sync();
    await a.write(Buffer.from('-later'), 0, 6, 7);
    await a.close();
    await pl.syncDir(state);
    const b = await pl.open(join(state, 'b'), 'wx');
    await b.write(Buffer.from('b'), 0, 1, 0);
    await b.sync();
    await b.close();
    await pl.rename(join(root, 'machine.json'), join(root, 'moved.json'));
    await pl.materialize('lose');
    expect(readFileSync(join(state, 'a'), 'utf8')).toBe('flushed');
    expect(() => readFileSync(join(state, 'b'))).toThrow(); // its folder was never flushed after it
    expect(readFileSync(join(root, 'machine.json'), 'utf8')).toContain('elevated'); // the rename is undone
    expect(() => readFileSync(join(root, 'moved.json'))).toThrow();
  });

  it('catches a missing flush: without flushing the tools folder, installs break the invariants', async () => {
    const op = OPERATIONS.find((o) => o.id === 'update-good')!;
    const before = await takeSnapshot(await templates.template(op.start));
    const done = await copy(op.start);
    await op.run(new Engine(await openSandbox(done)), kernels);
    const after = await takeSnapshot(done);
    const found: string[] = [];
    for (let crashAt = 40; crashAt < 200 && !found.length; crashAt += 3) {
      const root = await copy(op.start);
      const pl = await new PowerLossFs(withoutFlush(nodeFs), root).init();
      pl.crashAt = crashAt;
      // The engine as it would be if it forgot to flush the tools folder.
      const forgetful: Fs = { ...bind(pl), syncDir: (p) => (p === toolsDirOf(root) ? Promise.resolve() : pl.syncDir(p)) };
      await op.run(new Engine(await openSandbox(root, forgetful)), kernels).catch(() => undefined);
      await pl.materialize('lose');
      await new Engine(await openSandbox(root)).status();
      found.push(...(await checkInvariants(root, { before, after })));
    }
    expect(found.join('\n')).toMatch(/neither before nor after|not bootable/);
  });
});

/** The methods of a class-based Fs as a plain object (so one of them can be replaced). */
function bind(fs: PowerLossFs): Fs {
  return {
    open: fs.open.bind(fs),
    readFile: fs.readFile.bind(fs),
    stat: fs.stat.bind(fs),
    rename: fs.rename.bind(fs),
    link: fs.link.bind(fs),
    unlink: fs.unlink.bind(fs),
    readdir: fs.readdir.bind(fs),
    mkdir: fs.mkdir.bind(fs),
    syncDir: fs.syncDir.bind(fs),
  };
}

describe('fault plans', () => {
  it('fail the nth call once, a number of times, or from then on', async () => {
    const root = await copy('fresh');
    const file = join(root, 'machine.json');
    const run = async (repeat: 'once' | 'sticky' | number) => {
      const plan = new FaultPlan([{ kind: 'readFile', nth: 2, errno: 'EBUSY', repeat }]);
      const fs = faultFs(nodeFs, plan);
      const out: string[] = [];
      for (let i = 0; i < 5; i++) out.push(await fs.readFile(file).then(() => 'ok', (e: NodeJS.ErrnoException) => e.code ?? '?'));
      return out;
    };
    expect(await run('once')).toEqual(['ok', 'EBUSY', 'ok', 'ok', 'ok']);
    expect(await run(2)).toEqual(['ok', 'EBUSY', 'EBUSY', 'ok', 'ok']);
    expect(await run('sticky')).toEqual(['ok', 'EBUSY', 'EBUSY', 'EBUSY', 'EBUSY']);
  });
});
