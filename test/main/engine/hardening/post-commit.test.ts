/**
 * Failures after the commit point (docs/design.md §6): the command undoes what it did before it
 * returns, or says what is done; `status` always answers and reports a pending operation.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine/engine';
import { nodeFs } from '../../../../src/main/engine/machine/fs-port';
import { openSandbox } from '../../../../src/main/engine/sandbox/sandbox-machine';
import { FaultPlan, faultFs, faultRegistry } from '../../../helpers/fault-fs';
import { kernel, sandbox } from '../../../helpers/sandbox';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

async function box(preset: string) {
  const b = await sandbox(preset);
  cleanups.push(b.cleanup);
  return b;
}

async function withRegistryFault(root: string, plan: FaultPlan): Promise<Engine> {
  const m = await openSandbox(root);
  return new Engine({ ...m, registry: faultRegistry(m.registry, plan) });
}

describe('a failure after the commit point', () => {
  it('rollback with an unwritable registry: undone in-process, Bad unchanged, nothing left for the next command', async () => {
    const b = await box('installed');
    const before = (await b.engine.status()).status!;
    const e = await withRegistryFault(b.root, new FaultPlan([{ kind: 'setValue', nth: 1, errno: 'EACCES', repeat: 'sticky' }]));
    const r = await e.rollback();
    expect(r).toMatchObject({ ok: false, code: 'access-denied' });
    expect(r.message).toContain('nothing was changed');
    expect(r.status).toMatchObject({ rollbackActive: false, badVersions: before.badVersions, badReleases: before.badReleases });
    expect(existsSync(join(b.engine.machine.stateDir, 'journal.json'))).toBe(false);
    const s = await b.engine.status();
    expect(s.recovery).toBeUndefined();
    expect(s.status).toEqual(before);
  });

  it('install with kernel.rollback that cannot be replaced: the old kernel is put back before returning', async () => {
    const b = await box('installed');
    const before = (await b.engine.status()).status!;
    const m = await openSandbox(b.root, faultFs(nodeFs, new FaultPlan([{ kind: 'rename', nth: 1, errno: 'EBUSY', repeat: 'sticky', where: (p) => p.endsWith('kernel.rollback') }])));
    const r = await new Engine(m).install({ payload: await kernel(b.work, '6.6.50.1') });
    expect(r).toMatchObject({ ok: false, code: 'file-locked' });
    expect(r.message).toContain('nothing was changed');
    expect(r.status?.kernel).toEqual(before.kernel);
    expect(r.status?.rollbackKernel).toEqual(before.rollbackKernel);
    expect(readdirSync(b.engine.machine.toolsDir).filter((n) => n.startsWith('.wslk-'))).toEqual([]);
    expect(existsSync(join(b.engine.machine.stateDir, 'journal.json'))).toBe(false);
  });

  it('status answers while an interrupted operation cannot be finished, and reports it as a finding', async () => {
    const b = await box('interrupted');
    const m = await openSandbox(b.root, faultFs(nodeFs, new FaultPlan([{ kind: 'rename', nth: 1, errno: 'EBUSY', repeat: 'sticky', where: (p) => p.includes('lxss') }])));
    const r = await new Engine(m).status();
    expect(r.ok, r.message).toBe(true);
    expect(r.status).not.toBeNull();
    expect(r.findings?.map((f) => f.id)).toEqual(['interrupted-operation']);
    // Once the cause is gone, the next command finishes it.
    const done = await b.engine.status();
    expect(done.recovery?.length).toBeGreaterThan(0);
    expect(done.findings).toBeUndefined();
  });
});
