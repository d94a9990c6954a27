// @vitest-environment happy-dom
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoRelease, writeBzImage } from '../../src/main/engine/sandbox/kernel-builder';
import { useProgress } from '../../src/renderer/src/stores/progress-store';
import { useRepair } from '../../src/renderer/src/stores/repair-store';
import { useWizard } from '../../src/renderer/src/stores/wizard-store';
import { installApi, realApi, resetStores, scriptedApi } from '../helpers/renderer';
import type { RealApi } from '../helpers/renderer';

let real: RealApi | null = null;
beforeEach(() => resetStores());
afterEach(async () => {
  installApi(undefined);
  await real?.cleanup();
  real = null;
});

describe('wizard store', () => {
  it('carries a refusal from the engine, and the override the user chose into the install', async () => {
    let picked = '';
    real = await realApi('rolled-back', { dialogs: { openFile: async () => picked } });
    picked = join(real.dir, '..', 'kernel-5.15');
    await writeBzImage(picked, { release: demoRelease('5.15.153.1'), size: 1024 * 1024 });
    installApi(real.api);
    const w = useWizard.getState();
    await w.pickPayload();
    expect(useWizard.getState().picked?.payload?.version).toBe('5.15.153.1');
    await useWizard.getState().goToPrechecks();
    expect(useWizard.getState().precheck?.checks?.every((c) => c.status !== 'fail')).toBe(true);
    await useWizard.getState().goToPlan();
    expect(useWizard.getState().plan).toMatchObject({ ok: false, code: 'version-marked-bad' });

    await useWizard.getState().goToPlan({ force: true });
    expect(useWizard.getState().plan).toMatchObject({ ok: true, kind: 'replace-bad' });
    await useWizard.getState().install();
    expect(useWizard.getState().step).toBe('done');
    expect(useWizard.getState().result).toMatchObject({ ok: true });
    const call = real.calls.find((c) => c.channel === 'install');
    expect(call?.request).toEqual({ payloadId: useWizard.getState().picked?.id, force: true, allowDowngrade: false, allowOlder: false, takeOver: false });
    const s = await real.engine().readStatus();
    expect(s).toMatchObject({ rollbackActive: false, kernel: { version: '5.15.153.1' }, rollbackKernel: { version: '5.10.102.1' } });
  });

  it('goes back step by step, and forgets overrides on Welcome', () => {
    useWizard.setState({ step: 'plan', overrides: { force: true, allowDowngrade: false, allowOlder: false, takeOver: false } });
    useWizard.getState().back();
    expect(useWizard.getState().step).toBe('prechecks');
    expect(useWizard.getState().overrides.force).toBe(true);
    useWizard.getState().back();
    expect(useWizard.getState().step).toBe('welcome');
    expect(useWizard.getState().overrides.force).toBe(false);
  });

  it('keeps an IPC error apart from a failed WSL restart', async () => {
    const s = scriptedApi({ shutdownWsl: () => ({ ok: false, error: { code: 'io-error', title: 'T', message: 'M', remedy: 'R' } }) });
    installApi(s.api);
    useWizard.setState({ step: 'done' });
    await useWizard.getState().restartWsl();
    expect(useWizard.getState().shutdownError?.message).toBe('M');
    expect(useWizard.getState().error).toBeNull();
  });
});

describe('progress store', () => {
  it('keeps one entry per step, in the order steps first reported', () => {
    const p = useProgress.getState();
    p.apply({ step: 'verify', title: 'Checking', done: 0, total: 10 });
    p.apply({ step: 'stage', title: 'Copying', done: 5, total: 10 });
    p.apply({ step: 'verify', title: 'Checking', done: 10, total: 10 });
    expect(useProgress.getState().steps).toEqual([
      { step: 'verify', title: 'Checking', done: 10, total: 10 },
      { step: 'stage', title: 'Copying', done: 5, total: 10 },
    ]);
    useProgress.getState().reset();
    expect(useProgress.getState().steps).toEqual([]);
  });
});

describe('repair store', () => {
  it('keeps the exported bundle across "start over"', async () => {
    const s = scriptedApi({ saveBundle: () => ({ ok: true, value: { path: '/tmp/b.json' } }) });
    installApi(s.api);
    await useRepair.getState().exportBundle();
    useRepair.setState({ step: 'verify' });
    useRepair.getState().startOver();
    expect(useRepair.getState().step).toBe('diagnose');
    expect(useRepair.getState().bundle.path).toBe('/tmp/b.json');
  });
});
