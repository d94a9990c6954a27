/**
 * The health verdict every screen's banner shows, on real sandboxes from the presets, and what it
 * does to the Settings actions and the install plan's wording.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kernel, sandbox } from '../../../helpers/sandbox';

const open: { cleanup(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.cleanup();
});
async function fresh(preset: string) {
  const s = await sandbox(preset);
  open.push(s);
  return s;
}

describe('health', () => {
  it.each([
    ['installed', 'ok', null],
    ['rolled-back', 'ok', null],
    ['fresh', 'no-kernel', 'install'],
    ['kernel-missing', 'broken', 'repair'],
    ['orphan-flag', 'broken', 'repair'],
    ['wrong-arch-kernel', 'broken', 'repair'],
    ['no-wsl', 'blocked', 'repair'],
    ['reboot-pending', 'blocked', 'repair'],
    ['old-build', 'blocked', 'repair'],
  ])('%s: %s, fixed by %s', async (preset, state, action) => {
    const s = await fresh(preset);
    const r = await s.engine.status();
    expect(r.health).toMatchObject({ state, action });
    if (state !== 'ok') expect(r.health?.message).toMatch(/^WSL/);
  });

  it('just after turning WSL on, with no kernel yet: the restart comes first, not Install (whose pre-checks refuse until then)', async () => {
    const s = await fresh('no-wsl');
    expect((await s.engine.enableFeatures()).ok).toBe(true);
    const r = await s.engine.status();
    expect(r.health).toMatchObject({ state: 'blocked', code: 'reboot-required', finding: 'restart-pending', action: 'repair' });
    expect((await s.engine.precheck()).checks?.find((c) => c.id === 'reboot')).toMatchObject({ status: 'fail' });
  });

  it.each([
    ['store-fresh', 'ok', null, null],
    ['store-missing-custom', 'broken', 'repair', 'custom-kernel-missing'],
  ])('store WSL %s: the verdict is about the kernel store WSL boots (%s)', async (preset, state, action, finding) => {
    const s = await fresh(preset);
    const r = await s.engine.status();
    expect(r.health).toMatchObject({ state, action, finding });
    expect(r.message).toMatch(/^Store WSL 2\.3\.26\.0 boots /);
  });

  it('store WSL: Rollback and Undo are judged on the tool\'s slots', async () => {
    const s = await fresh('store-fresh');
    expect((await s.engine.availability()).rollback?.code).toBe('no-rollback-kernel');
    expect((await s.engine.install({ payload: await kernel(s.work, '6.6.40.1') })).ok).toBe(true);
    expect((await s.engine.install({ payload: await kernel(s.work, '6.6.41.1') })).ok).toBe(true);
    const a = await s.engine.availability();
    expect(a.rollback).toBeNull();
    expect(a.undo?.code).toBe('not-rolled-back');
    expect((await s.engine.status()).message).toBe('Store WSL 2.3.26.0 boots kernel 6.6.41.1 (installed by this tool).');
  });

  it('a broken machine refuses Rollback and Undo with the verdict, not a rule about flags', async () => {
    for (const preset of ['orphan-flag', 'kernel-missing']) {
      const s = await fresh(preset);
      const a = await s.engine.availability();
      expect(a.rollback?.message).toContain('WSL cannot start');
      expect(a.rollback?.message).toContain('Repair it first.');
      expect(a.undo?.message).toContain('Repair it first.');
    }
  });
});

describe('plan wording', () => {
  it('orphan-flag: the plan says the current kernel is removed and that no fallback remains', async () => {
    const s = await fresh('orphan-flag');
    const p = await s.engine.plan(await kernel(s.work, '6.6.40.1'));
    const byId = Object.fromEntries((p.plan ?? []).map((x) => [x.id, x]));
    expect(byId['drop-current']).toMatchObject({ effect: 'remove' });
    expect(byId['drop-current']?.title).toContain('5.15.153.1');
    expect(byId['no-fallback']).toMatchObject({ effect: 'remove' });
    expect(p.change).toMatchObject({ kind: 'update', to: '6.6.40.1' });
  });

  it('fresh: no "next to the current one"; registry paths only in the details', async () => {
    const s = await fresh('fresh');
    const p = await s.engine.plan(await kernel(s.work, '6.6.40.1'));
    expect(p.change).toEqual({ kind: 'install', from: null, to: '6.6.40.1' });
    const titles = (p.plan ?? []).map((x) => x.title).join('\n');
    expect(titles).not.toMatch(/next to the current|HKLM|RollbackKernel|kernel\.rollback/);
    expect((p.plan ?? []).map((x) => x.detail).join('\n')).toContain('HKLM\\SOFTWARE\\WslKernelSetup');
  });

  it('installed: update, downgrade and up to date are told apart', async () => {
    const s = await fresh('installed');
    expect((await s.engine.plan(await kernel(s.work, '6.6.40.1'))).change).toMatchObject({ kind: 'update', from: '5.15.153.1' });
    const older = await s.engine.plan(await kernel(s.work, '5.10.16.3'));
    expect(older).toMatchObject({ code: 'downgrade-refused', change: { kind: 'downgrade', from: '5.15.153.1', to: '5.10.16.3' } });
    const dropped = (await s.engine.plan(await kernel(s.work, '6.6.40.1'))).plan?.find((x) => x.id === 'drop-rollback');
    expect(dropped).toMatchObject({ effect: 'remove' });
    expect(dropped?.title).toContain('5.10.102.1');
  });
});
