/**
 * Version order with distro revisions and custom builds, and Bad by full release (docs/design.md,
 * "Version order" and "Which kernels are bad"), through the real engine on sandbox folders.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBzImage } from '../../../../src/main/engine/sandbox/kernel-builder';
import { sandbox } from '../../../helpers/sandbox';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

async function box() {
  const b = await sandbox('fresh');
  cleanups.push(b.cleanup);
  await mkdir(join(b.work, 'k'));
  let n = 0;
  /** A kernel file whose release is exactly `release`. */
  const k = async (release: string) => {
    const path = join(b.work, 'k', `${n++}-${release}`);
    await writeBzImage(path, { release, size: (1 << 20) + n * 4096 });
    return path;
  };
  return { ...b, k };
}

describe('version order with + and distro revisions', () => {
  it('6.12.96+deb13 then 6.12.100+deb13 is an update, keeping 96 as kernel.rollback', async () => {
    const b = await box();
    expect((await b.engine.install({ payload: await b.k('6.12.96+deb13-cloud-amd64') })).ok).toBe(true);
    const r = await b.engine.install({ payload: await b.k('6.12.100+deb13-cloud-amd64') });
    expect(r.ok, r.message).toBe(true);
    expect(r.status).toMatchObject({ kernel: { release: '6.12.100+deb13-cloud-amd64' }, rollbackKernel: { release: '6.12.96+deb13-cloud-amd64' } });
  });

  it('the reverse order is a downgrade (1638), and nothing changes', async () => {
    const b = await box();
    await b.engine.install({ payload: await b.k('6.12.100+deb13-cloud-amd64') });
    const r = await b.engine.install({ payload: await b.k('6.12.96+deb13-cloud-amd64') });
    expect(r).toMatchObject({ ok: false, code: 'downgrade-refused', exitCode: 1638 });
    expect(r.status).toMatchObject({ kernel: { release: '6.12.100+deb13-cloud-amd64' }, rollbackKernel: { present: false } });
  });

  it('a Debian ABI bump of one version (6.1.0-47 → 6.1.0-50) is an update; back is a downgrade', async () => {
    const b = await box();
    await b.engine.install({ payload: await b.k('6.1.0-47-cloud-amd64') });
    expect((await b.engine.install({ payload: await b.k('6.1.0-50-cloud-amd64') })).ok).toBe(true);
    expect((await b.engine.install({ payload: await b.k('6.1.0-47-cloud-amd64') })).code).toBe('downgrade-refused');
  });
});

describe('Bad names full releases', () => {
  it('rolling back between two releases of one version marks only the one rolled back from', async () => {
    const b = await box();
    await b.engine.install({ payload: await b.k('6.1.0-47-cloud-amd64') });
    await b.engine.install({ payload: await b.k('6.1.0-50-rt-amd64') });
    const r = await b.engine.rollback();
    expect(r.ok, r.message).toBe(true);
    expect(r.message).toContain('Rolled back to kernel 6.1.0-47-cloud-amd64; 6.1.0-50-rt-amd64 is marked bad');
    expect(r.status).toMatchObject({ effective: 'kernel.rollback', badReleases: ['6.1.0-50-rt-amd64'], badVersions: ['6.1.0'] });
    // The kernel WSL boots now is not bad: diagnose says so, and it may be installed again.
    const d = await b.engine.diagnose();
    expect(d.findings?.filter((f) => f.severity === 'error')).toEqual([]);
    const again = await b.engine.install({ payload: await b.k('6.1.0-47-cloud-amd64'), allowDowngrade: true });
    expect(again.ok, again.message).toBe(true);
    // The rolled-back-from release is still refused.
    expect((await b.engine.install({ payload: await b.k('6.1.0-50-rt-amd64') })).code).toBe('version-marked-bad');
  });

  it('a custom build (…-WSL2+) is a different kernel from the release it was built from', async () => {
    const b = await box();
    await b.engine.install({ payload: await b.k('5.15.153.1-microsoft-standard-WSL2') });
    await b.engine.install({ payload: await b.k('5.15.153.1-microsoft-standard-WSL2+') });
    await b.engine.rollback();
    const r = await b.engine.status();
    expect(r.status?.badReleases).toEqual(['5.15.153.1-microsoft-standard-WSL2+']);
    await b.engine.undoRollback();
    expect((await b.engine.status()).status).toMatchObject({ badReleases: [], badVersions: [] });
  });

  it('reads a state file of format 1: a bad version is tied to the release recorded with it, others stay version-wide', async () => {
    const b = await box();
    await b.engine.install({ payload: await b.k('6.1.0-47-cloud-amd64') });
    await b.engine.install({ payload: await b.k('6.1.0-50-rt-amd64') });
    const statePath = join(b.engine.machine.stateDir, 'state.json');
    const state = JSON.parse(await readFile(statePath, 'utf8')) as Record<string, unknown>;
    delete state.badReleases;
    await writeFile(statePath, JSON.stringify({ ...state, format: 1, badVersions: ['6.1.0', '5.15.153.1'] }));
    const s = await b.engine.status();
    expect(s.ok, s.message).toBe(true);
    expect(s.status).toMatchObject({ badReleases: ['6.1.0-50-rt-amd64'], badVersions: ['6.1.0', '5.15.153.1'] });
    expect((await b.engine.install({ payload: await b.k('5.15.153.1-microsoft-standard-WSL2+'), allowDowngrade: true })).code).toBe('version-marked-bad');
    const r = await b.engine.install({ payload: await b.k('6.1.0-52-cloud-amd64') });
    expect(r.ok, r.message).toBe(true);
    // 6.1.0-50-rt is bad: it does not enter kernel.rollback (invariant 2); the known-good one stays.
    expect(r.status?.rollbackKernel).toMatchObject({ release: '6.1.0-47-cloud-amd64' });
  });
});
