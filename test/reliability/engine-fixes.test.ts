/**
 * Regression tests for what the reliability suites found in the engine: each case is the smallest
 * reproduction of a violation, fixed in the engine.
 */
import { mkdirSync, readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/main/engine/engine';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import { acquireLock } from '../../src/main/engine/state/lock';
import { FaultPlan, faultFs } from '../helpers/fault-fs';
import { bzImageWithSyssize } from '../helpers/fuzz-parsers';
import { makeSeedKernels } from '../helpers/kernels';
import type { SeedKernels } from '../helpers/kernels';
import { Templates } from '../helpers/scenarios';
import { stateDirOf, takeSnapshot, toolsDirOf } from '../helpers/snapshot';

let dir: string;
let kernels: SeedKernels;
let templates: Templates;
let n = 0;
const copy = (start: string) => templates.copy(start, join(dir, `case-${n++}`));
const engineAt = async (root: string, fs = nodeFs) => new Engine(await openSandbox(root, fs));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdirOf(), 'wslk-rel-fixes-'));
  mkdirSync(join(dir, 'k'));
  kernels = await makeSeedKernels(join(dir, 'k'), 192 * 1024);
  templates = new Templates(dir, kernels);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function tmpdirOf(): string {
  return process.env.TMPDIR ?? '/tmp';
}

describe('renames of state files ride out a transient lock (atomic-write.ts)', () => {
  it('a rollback succeeds when state.json and machine.reg are each held open for two attempts', async () => {
    const root = await copy('installed');
    const held = (name: string) => ({ kind: 'rename' as const, nth: 1, errno: 'EBUSY' as const, repeat: 2, where: (p: string) => p.endsWith(name) });
    const plan = new FaultPlan([held('state.json'), held('machine.reg'), { ...held('journal.json'), errno: 'EPERM' }]);
    const r = await (await engineAt(root, faultFs(nodeFs, plan))).rollback();
    expect(r.ok, r.message).toBe(true);
    expect(plan.log.injected).toBe(6);
    expect(r.status?.rollbackActive).toBe(true);
  });

  it('a kernel held open for good ends in file-locked after a bounded number of attempts, nothing changed', async () => {
    const root = await copy('installed');
    const before = await takeSnapshot(root);
    const plan = new FaultPlan([{ kind: 'rename', nth: 1, errno: 'EBUSY', repeat: 'sticky', where: (p) => p === join(toolsDirOf(root), 'kernel') }]);
    const r = await (await engineAt(root, faultFs(nodeFs, plan))).install({ payload: kernels.C.path });
    expect(r.code).toBe('file-locked');
    expect(r.remedy).toMatch(/wsl --shutdown/);
    expect(plan.log.injected).toBe(7);
    expect((await takeSnapshot(root)).tools).toEqual(before.tools);
  });
});

describe('the operation lock (state/lock.ts)', () => {
  it("takes over this process's own leftover lock (a release whose unlink failed)", async () => {
    const root = await copy('installed');
    const plan = new FaultPlan([{ kind: 'unlink', nth: 1, errno: 'EBUSY', where: (p) => p.endsWith('operation.lock') }]);
    expect((await (await engineAt(root, faultFs(nodeFs, plan))).rollback()).ok).toBe(true);
    expect(existsSync(join(stateDirOf(root), 'operation.lock'))).toBe(true);
    const r = await (await engineAt(root)).undoRollback();
    expect(r.ok, r.message).toBe(true);
  });

  it('still excludes a second operation of the same process while the first holds the lock', async () => {
    const root = await copy('installed');
    const machine = await openSandbox(root);
    const held = await acquireLock(machine, 'install');
    const r = await new Engine(machine).rollback();
    expect(r.code).toBe('operation-in-progress');
    await held.release();
  });

  it('takes over a lock from before the last restart even when its pid is alive now', async () => {
    const root = await copy('installed');
    const boot = Date.now() - uptime() * 1000;
    writeFileSync(join(stateDirOf(root), 'operation.lock'), JSON.stringify({ pid: 1, host: hostname(), op: 'install', since: new Date(boot - 3600_000).toISOString(), boot: boot - 86_400_000 }));
    expect((await (await engineAt(root)).rollback()).ok).toBe(true);
  });

  it('does not spin when a leftover lock cannot be examined or moved aside', async () => {
    const dead = { pid: 2 ** 22 + 17, host: hostname(), op: 'install', since: new Date().toISOString() };
    const locked = (p: string) => p.includes('operation.lock');
    const root = await copy('installed');
    writeFileSync(join(stateDirOf(root), 'operation.lock'), JSON.stringify(dead));
    const unreadable = new FaultPlan([{ kind: 'stat', nth: 1, errno: 'EACCES', repeat: 'sticky', where: locked }]);
    expect((await (await engineAt(root, faultFs(nodeFs, unreadable))).rollback()).code).toBe('access-denied');
    const immovable = new FaultPlan([{ kind: 'rename', nth: 1, errno: 'EACCES', repeat: 'sticky', where: locked }]);
    expect((await (await engineAt(root, faultFs(nodeFs, immovable))).rollback()).code).toBe('operation-in-progress');
    expect((await (await engineAt(root)).rollback()).ok).toBe(true);
  });

  it('removes a lock it could not finish writing (no empty lock blocks the next command)', async () => {
    const root = await copy('installed');
    const plan = new FaultPlan([{ kind: 'write', nth: 1, errno: 'ENOSPC', where: (p) => p.includes('operation.lock.') && p.endsWith('.new') }]);
    expect((await (await engineAt(root, faultFs(nodeFs, plan))).rollback()).code).toBe('insufficient-disk-space');
    expect(plan.log.injected).toBe(1);
    expect(readdirSync(stateDirOf(root)).filter((n) => n.startsWith('operation.lock'))).toEqual([]);
    expect((await (await engineAt(root)).rollback()).ok).toBe(true);
  });

  it('a process killed while writing the lock leaves no lock, and its pending file is swept', async () => {
    const root = await copy('installed');
    const deadPid = 2 ** 22 + 19;
    const pending = join(stateDirOf(root), `operation.lock.${deadPid}.0123456789abcdef.new`);
    writeFileSync(pending, '{"pid":');
    const r = await (await engineAt(root)).rollback();
    expect(r.ok, r.message).toBe(true);
    expect(existsSync(pending)).toBe(false);
    expect(existsSync(join(stateDirOf(root), 'operation.lock'))).toBe(false);
  });
});

describe('recovery removes the temp files of writes cut short (state/leftovers.ts)', () => {
  it('status removes a journal temp and a machine.reg temp left by a killed process', async () => {
    const root = await copy('installed');
    writeFileSync(join(stateDirOf(root), 'journal.json.0123456789ab.tmp'), '{"format":1');
    writeFileSync(join(root, 'machine.reg.0123456789ab.tmp'), 'Windows Registry');
    expect((await (await engineAt(root)).status()).ok).toBe(true);
    expect(readdirSync(stateDirOf(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('journals recovery cannot act on are discarded (state/journal.ts)', () => {
  const journal = (over: Record<string, unknown>) => ({
    format: 1, id: 'abcdef-12', op: 'install', phase: 'commit', startedAt: 'x', pid: 1, temps: [],
    before: { kernel: null, rollback: null, flag: false, badVersions: [] }, ...over,
  });

  it('an install journal without its payload: discarded, not an error on every command', async () => {
    const root = await copy('installed');
    writeFileSync(join(stateDirOf(root), 'journal.json'), JSON.stringify(journal({ payload: null, installCase: 'fresh' })));
    const r = await (await engineAt(root)).status();
    expect(r.ok, r.message).toBe(true);
    expect(existsSync(join(stateDirOf(root), 'journal.json'))).toBe(false);
  });

  it('a rollback journal whose version the state file could not hold: the state stays readable', async () => {
    const root = await copy('installed');
    writeFileSync(join(stateDirOf(root), 'journal.json'), JSON.stringify(journal({ op: 'rollback', version: '9'.repeat(70) })));
    expect((await (await engineAt(root)).status()).ok).toBe(true);
    const again = await (await engineAt(root)).status();
    expect(again.ok, again.message).toBe(true);
  });
});

describe('the sandbox registry (registry/sandbox-registry.ts)', () => {
  it('a machine.reg that parses but cannot be written back is invalid-machine and left as it is', async () => {
    const root = await copy('rolled-back');
    const path = join(root, 'machine.reg');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(path, 'utf8').replace('Services\\LxssManager', 'Serv\0ces\\LxssManager'), 'utf16le')]);
    writeFileSync(path, bytes);
    const r = await (await engineAt(root)).undoRollback();
    expect(r.code).toBe('invalid-machine');
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });
});

describe('payloads and slots (kernel-image.ts, ops/install.ts)', () => {
  it('a bzImage cut short is not a kernel, though its header reads fine', async () => {
    const full = bzImageWithSyssize('6.2.1.1', 256 * 1024);
    const path = join(dir, 'truncated');
    writeFileSync(path, full.subarray(0, full.length - 4096));
    const root = await copy('installed');
    const r = await (await engineAt(root)).install({ payload: path });
    expect(r.code).toBe('not-a-kernel');
    writeFileSync(path, full);
    expect((await (await engineAt(root)).install({ payload: path })).ok).toBe(true);
  });

  it('an update reads the kernel in full: a stale facts cache cannot put a bad version in kernel.rollback', async () => {
    const root = await copy('rolled-back'); // kernel B (bad), kernel.rollback A, RollbackKernel set
    await (await engineAt(root)).status();
    const cachePath = join(stateDirOf(root), 'facts-cache.json');
    const cache = JSON.parse(readFileSync(cachePath, 'utf8')) as Record<string, { header: { version: string; release: string } }>;
    cache.kernel!.header = { ...cache.kernel!.header, version: '5.10.102.1', release: '5.10.102.1-wslk-demo' };
    writeFileSync(cachePath, JSON.stringify(cache));
    // With the flag cleared by hand, a cached "good" version would make the update keep B as kernel.rollback.
    const reg = join(root, 'machine.reg');
    writeFileSync(reg, readFileSync(reg, 'utf8').replace(/"RollbackKernel"=dword:00000001\r?\n/, ''));
    const r = await (await engineAt(root)).install({ payload: kernels.C.path });
    expect(r.ok, r.message).toBe(true);
    // The file itself (the status would read the same stale cache).
    expect((await takeSnapshot(root)).tools['kernel.rollback']).toBe(kernels.A.sha256);
  });
});
