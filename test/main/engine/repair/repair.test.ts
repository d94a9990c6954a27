/**
 * repair on sandboxes in each broken state: the recommended fix (and each alternative) turns the
 * machine healthy with the invariants of docs/design.md §6 holding; refusals change nothing.
 */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REG } from '../../../../src/main/engine/machine/machine';
import { openSandbox } from '../../../../src/main/engine/sandbox/sandbox-machine';
import type { CommandResult, Progress } from '../../../../src/shared/types';
import { BUNDLED_VERSION, assertHealthy, box, errors, ids, stateDir, tools, tree } from '../../../helpers/repair-fixtures';
import type { Box } from '../../../helpers/repair-fixtures';

const boxes: Box[] = [];
afterEach(async () => {
  while (boxes.length) await boxes.pop()!.cleanup();
});

async function open(preset: string, breakIt?: (b: Box) => Promise<unknown>): Promise<Box> {
  const b = await box(preset);
  boxes.push(b);
  if (breakIt) await breakIt(b);
  return b;
}

async function repair(b: Box, opts: Parameters<Box['engine']['repair']>[0] = {}): Promise<CommandResult> {
  return (await b.fresh()).repair(opts);
}

/** The content's hash: comparing 2 MiB buffers with toEqual would be slow to diff on failure. */
const read = async (p: string) => createHash('sha256').update(await fsp.readFile(p)).digest('hex');
const version = (r: CommandResult, slot: 'kernel' | 'rollbackKernel') => {
  const s = r.status?.[slot];
  return s?.present ? s.version : null;
};

async function quarantined(b: Box): Promise<string[]> {
  return (await fsp.readdir(stateDir(b.root, 'quarantine')).catch(() => [] as string[])).filter((n) => !n.endsWith('.json') && !n.startsWith('.'));
}

describe('repair without --fix applies the recommended fix', () => {
  it('fresh: installs the bundled kernel', async () => {
    const b = await open('fresh');
    const r = await repair(b);
    expect(r.ok, r.message).toBe(true);
    expect(r.applied).toEqual(['install-bundled']);
    expect(version(r, 'kernel')).toBe(BUNDLED_VERSION);
    expect(r.findings).toEqual([]);
    expect(r.restartNeeded).toBe(true);
    await assertHealthy(b);
  });

  it('kernel-missing: copies kernel.rollback to kernel, byte for byte, and records it', async () => {
    const b = await open('kernel-missing');
    const r = await repair(b);
    expect(r.applied).toEqual(['restore-rollback']);
    expect(await read(tools(b.root, 'kernel'))).toEqual(await read(tools(b.root, 'kernel.rollback')));
    expect(version(r, 'kernel')).toBe('5.10.102.1');
    const detection = await (await openSandbox(b.root)).registry.getValue(REG.detection, REG.detectionValue);
    expect(detection).toEqual({ type: 'REG_SZ', data: '5.10.102.1' });
    await assertHealthy(b);
  });

  it('corrupt-kernel: keeps the damaged file aside, reinstalls, keeps kernel.rollback', async () => {
    const b = await open('corrupt-kernel');
    const damaged = await read(tools(b.root, 'kernel'));
    const rollback = await read(tools(b.root, 'kernel.rollback'));
    const r = await repair(b);
    expect(r.applied).toEqual(['reinstall']);
    expect(version(r, 'kernel')).toBe(BUNDLED_VERSION);
    expect(await read(tools(b.root, 'kernel.rollback'))).toEqual(rollback);
    const [q] = await quarantined(b);
    expect(q).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-kernel$/);
    expect(await read(stateDir(b.root, `quarantine/${q}`))).toEqual(damaged);
    const facts = JSON.parse(await fsp.readFile(stateDir(b.root, `quarantine/${q}.json`), 'utf8')) as { sha256: string; reason: string };
    expect(facts.sha256).toBe(damaged);
    expect(facts.reason).toContain('reinstall');
    await assertHealthy(b);
  });

  it('wrong-arch-kernel: reinstalls', async () => {
    const b = await open('wrong-arch-kernel');
    expect((await repair(b)).applied).toEqual(['reinstall']);
    await assertHealthy(b);
  });

  it('orphan-flag: installs a good kernel rather than booting the bad one again, and keeps the bad list', async () => {
    const b = await open('orphan-flag');
    const r = await repair(b);
    expect(r.applied).toEqual(['reinstall']);
    expect(r.status?.kernel).toMatchObject({ present: true, version: '6.6.36.6' });
    expect(r.status?.rollbackActive).toBe(false);
    expect(r.status?.effective).toBe('kernel');
    expect(r.status?.badVersions).toEqual(['5.15.153.1']);
    await assertHealthy(b);
  });

  it('orphan flag with no kernel either: installing the bundled kernel also clears the flag', async () => {
    const b = await open('orphan-flag', (x) => fsp.unlink(tools(x.root, 'kernel')));
    const r = await repair(b);
    expect(r.applied).toEqual(['install-bundled']);
    expect(r.status?.rollbackActive).toBe(false);
    await assertHealthy(b);
  });

  it('interrupted: recovery finishes the install and says what it did', async () => {
    const b = await open('interrupted');
    const r = await repair(b);
    expect(r.applied).toEqual(['recover']);
    expect(r.recovery?.join(' ')).toContain('Completed the interrupted installation of 5.15.153.1');
    expect([version(r, 'kernel'), version(r, 'rollbackKernel')]).toEqual(['5.15.153.1', '5.10.102.1']);
    await assertHealthy(b);
  });

  it('an unreadable journal: recover discards it', async () => {
    const b = await open('installed', (x) => fsp.writeFile(stateDir(x.root, 'journal.json'), '{"format":'));
    expect((await repair(b)).applied).toEqual(['recover']);
    await assertHealthy(b);
  });

  it('leftover-temps: deletes them', async () => {
    const b = await open('leftover-temps');
    const r = await repair(b);
    expect(r.applied).toEqual(['clean-temps']);
    expect(await fsp.readdir(stateDir(b.root))).not.toContain('state.json.0123456789ab.tmp');
    expect(r.findings).toEqual([]);
    await assertHealthy(b);
  });

  it('a healthy machine: nothing to do', async () => {
    const b = await open('installed');
    const before = await tree(b.root);
    const r = await repair(b);
    expect(r.ok).toBe(true);
    expect(r.applied).toEqual([]);
    expect(r.message).toMatch(/^Nothing to repair/);
    expect(await tree(b.root)).toEqual(before);
  });

  it('warnings are not repaired unasked: tampered stays as it is', async () => {
    const b = await open('tampered');
    const r = await repair(b);
    expect(r.applied).toEqual([]);
    expect(ids(r)).toEqual(['kernel-modified']);
  });
});

describe('repair --fix ID applies that fix', () => {
  it('kernel-missing --fix install-bundled: installs, kernel.rollback untouched', async () => {
    const b = await open('kernel-missing');
    const rollback = await read(tools(b.root, 'kernel.rollback'));
    const r = await repair(b, { fix: 'install-bundled' });
    expect(r.applied).toEqual(['install-bundled']);
    expect(version(r, 'kernel')).toBe(BUNDLED_VERSION);
    expect(await read(tools(b.root, 'kernel.rollback'))).toEqual(rollback);
    await assertHealthy(b);
  });

  it('corrupt-kernel --fix restore-rollback: quarantines, then restores', async () => {
    const b = await open('corrupt-kernel');
    const r = await repair(b, { fix: 'restore-rollback' });
    expect(r.applied).toEqual(['restore-rollback']);
    expect(await quarantined(b)).toHaveLength(1);
    expect(await read(tools(b.root, 'kernel'))).toEqual(await read(tools(b.root, 'kernel.rollback')));
    await assertHealthy(b);
  });

  it('orphan-flag --fix reinstall: new kernel, flag cleared', async () => {
    const b = await open('orphan-flag');
    const r = await repair(b, { fix: 'reinstall' });
    expect(version(r, 'kernel')).toBe(BUNDLED_VERSION);
    expect(r.status?.rollbackActive).toBe(false);
    await assertHealthy(b);
  });

  it('tampered --fix reinstall: the changed file is kept aside, never put in kernel.rollback', async () => {
    const b = await open('tampered');
    const changed = await read(tools(b.root, 'kernel'));
    const rollback = await read(tools(b.root, 'kernel.rollback'));
    const r = await repair(b, { fix: 'reinstall' });
    expect(r.findings).toEqual([]);
    expect(await read(tools(b.root, 'kernel.rollback'))).toEqual(rollback);
    const [q] = await quarantined(b);
    expect(await read(stateDir(b.root, `quarantine/${q}`))).toEqual(changed);
    await assertHealthy(b);
  });

  it('tampered --fix record-current: the file stays, the warning goes', async () => {
    const b = await open('tampered');
    const changed = await read(tools(b.root, 'kernel'));
    const r = await repair(b, { fix: 'record-current' });
    expect(r.findings).toEqual([]);
    expect(await read(tools(b.root, 'kernel'))).toEqual(changed);
    await assertHealthy(b);
  });

  it('--fix recover on an interrupted machine', async () => {
    const b = await open('interrupted');
    const r = await repair(b, { fix: 'recover' });
    expect(r.ok).toBe(true);
    expect(r.applied).toEqual(['recover']);
    expect(r.recovery?.length).toBeGreaterThan(0);
    await assertHealthy(b);
  });

  it('--shutdown-wsl restarts WSL after a fix that changed the kernel', async () => {
    const b = await open('kernel-missing', (x) => fsp.writeFile(join(x.root, 'machine.json'), JSON.stringify({ wsl: { running: ['Ubuntu'], shutdowns: 0 } })));
    const r = await repair(b, { shutdownWsl: true });
    expect(r.shutdown).toEqual({ stopped: ['Ubuntu'] });
  });

  it('reports progress while copying, and records the repair in the history', async () => {
    const b = await open('kernel-missing');
    const seen: Progress[] = [];
    await repair(b, { onProgress: (p) => seen.push(p) });
    expect(seen.some((p) => p.step === 'restore' && p.done === p.total && p.total > 0)).toBe(true);
    const history = await (await b.fresh()).history();
    expect(history.at(-1)).toMatchObject({ op: 'repair', ok: true });
  });
});

describe('refusals change nothing', () => {
  async function refused(b: Box, opts: Parameters<Box['engine']['repair']>[0], code: string, exit: number): Promise<CommandResult> {
    const before = await tree(b.root);
    const r = await repair(b, opts);
    expect(r.ok).toBe(false);
    expect(r.code, r.message).toBe(code);
    expect(r.exitCode).toBe(exit);
    expect(await tree(b.root)).toEqual(before);
    return r;
  }

  it('unknown fix id: usage (1639)', async () => {
    const r = await refused(await open('kernel-missing'), { fix: 'make-it-work' }, 'usage', 1639);
    expect(r.message).toContain('restore-rollback');
  });

  it('a manual fix: usage (1639) with its steps', async () => {
    const r = await refused(await open('no-wsl'), { fix: 'manual-enable-wsl' }, 'usage', 1639);
    expect(r.remedy).toContain('dism.exe /online /enable-feature /featurename:Microsoft-Windows-Subsystem-Linux /all /norestart');
  });

  it('a fix that does not apply now: fix-not-applicable (1603)', async () => {
    const r = await refused(await open('installed'), { fix: 'restore-rollback' }, 'fix-not-applicable', 1603);
    expect(r.message).toContain('does not apply now');
  });

  it('recover with nothing to recover: 1603', async () => {
    await refused(await open('installed'), { fix: 'recover' }, 'fix-not-applicable', 1603);
  });

  it('install-from-msi without a package, --from-msi with another fix: usage', async () => {
    const b = await open('fresh');
    await refused(b, { fix: 'install-from-msi' }, 'usage', 1639);
    await refused(b, { fix: 'clear-rollback-flag', fromMsi: '/nonexistent.msi' }, 'usage', 1639);
  });

  it('not elevated: not-elevated (5)', async () => {
    const b = await open('kernel-missing', (x) => fsp.writeFile(join(x.root, 'machine.json'), JSON.stringify({ elevated: false })));
    await refused(b, {}, 'not-elevated', 5);
  });

  it('a failed pre-check blocks installing, with the checks and the steps left', async () => {
    const b = await open('no-wsl');
    const r = await refused(b, {}, 'wsl-not-enabled', 1603);
    expect(r.checks?.find((c) => c.id === 'wsl-feature')?.status).toBe('fail');
    expect(errors(r)).toEqual(['wsl-not-enabled', 'kernel-missing']);
  });

  it('kernel.rollback holds a version marked bad: it is not restored', async () => {
    const b = await open('kernel-missing', async (x) => {
      const state = JSON.parse(await fsp.readFile(stateDir(x.root, 'state.json'), 'utf8')) as { badVersions: string[] };
      state.badVersions = ['5.10.102.1'];
      await fsp.writeFile(stateDir(x.root, 'state.json'), JSON.stringify(state));
    });
    await refused(b, { fix: 'restore-rollback' }, 'fix-not-applicable', 1603);
    const r = await repair(b);
    expect(r.applied).toEqual(['install-bundled']);
    expect(errors(r)).toEqual([]);
    expect(r.status?.effective).toBe('kernel');
  });

  it('cancelled before anything: 1602', async () => {
    const controller = new AbortController();
    controller.abort();
    await refused(await open('kernel-missing'), { signal: controller.signal }, 'cancelled', 1602);
  });
});
