/**
 * diagnose on sandboxes built in every broken state the repair wizard handles: each finding, its evidence and its
 * fixes (safest first); healthy machines have no error; diagnose itself changes nothing.
 */
import { spawn } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../src/main/engine/machine/atomic-write';
import { nodeFs } from '../../../../src/main/engine/machine/fs-port';
import { FINDING_ORDER } from '../../../../src/main/engine/repair/findings';
import { DISM_VMP, DISM_WSL } from '../../../../src/main/engine/repair/fix-catalog';
import { machineRegText } from '../../../../src/main/engine/sandbox/presets';
import type { CommandResult } from '../../../../src/shared/types';
import { BUNDLED_VERSION, box, errors, finding, ids, stateDir, tools, tree, writeKernel } from '../../../helpers/repair-fixtures';
import type { Box } from '../../../helpers/repair-fixtures';

const boxes: Box[] = [];
afterEach(async () => {
  while (boxes.length) await boxes.pop()!.cleanup();
});

async function diagnose(preset: string, breakIt?: (b: Box) => Promise<void>): Promise<{ b: Box; d: CommandResult }> {
  const b = await box(preset);
  boxes.push(b);
  if (breakIt) await breakIt(b);
  const d = await (await b.fresh()).diagnose();
  expect(d.ok, d.message).toBe(true);
  expect(d.exitCode).toBe(0);
  return { b, d };
}

const fixIds = (d: CommandResult, id: string) => finding(d, id).fixes.map((f) => f.id);

describe('healthy machines', () => {
  it.each(['installed', 'rolled-back'])('%s: no finding at all', async (preset) => {
    const { d } = await diagnose(preset);
    expect(d.findings).toEqual([]);
    expect(d.message).toBe('No problems found.');
    expect(d.checks?.every((c) => c.status === 'pass')).toBe(true);
  });
});

describe('the kernel file', () => {
  it('fresh (no kernel, no rollback): kernel-missing, install the bundled kernel or from an MSI', async () => {
    const { b, d } = await diagnose('fresh');
    expect(ids(d)).toEqual(['kernel-missing']);
    const f = finding(d, 'kernel-missing');
    expect(f.severity).toBe('error');
    expect(f.observed).toContain(tools(b.root, 'kernel'));
    expect(f.cause).toContain('WSL 2 requires an update to its kernel component');
    expect(fixIds(d, 'kernel-missing')).toEqual(['install-bundled', 'install-from-msi']);
    expect(f.fixes[0]!.title).toContain(BUNDLED_VERSION);
  });

  it('kernel-missing preset: restoring kernel.rollback comes first', async () => {
    const { d } = await diagnose('kernel-missing');
    expect(ids(d)).toEqual(['kernel-missing']);
    expect(fixIds(d, 'kernel-missing')).toEqual(['restore-rollback', 'install-bundled', 'install-from-msi']);
    expect(finding(d, 'kernel-missing').observed).toMatch(/kernel\.rollback: .*5\.10\.102\.1.*sha256 [0-9a-f]{64}/);
  });

  it('kernel missing while rolled back: WSL still boots kernel.rollback, so only a warning', async () => {
    const { d } = await diagnose('rolled-back', (b) => fsp.unlink(tools(b.root, 'kernel')));
    expect(finding(d, 'kernel-missing').severity).toBe('warning');
    expect(errors(d)).toEqual([]);
  });

  it('without a bundled kernel, only the MSI route is offered', async () => {
    const { d } = await diagnose('fresh', async (b) => {
      await fsp.unlink(b.payload);
    });
    expect(fixIds(d, 'kernel-missing')).toEqual(['install-from-msi']);
  });

  it('truncated kernel (its header still reads fine): kernel-invalid, though status thinks it valid', async () => {
    const { b, d } = await diagnose('corrupt-kernel');
    const status = await (await b.fresh()).status();
    expect(status.status?.kernel).toMatchObject({ present: true, valid: true });
    expect(ids(d)).toEqual(['kernel-invalid']);
    const f = finding(d, 'kernel-invalid');
    expect(f.severity).toBe('error');
    expect(f.observed).toContain('truncated');
    expect(f.observed).toContain('1048576 of 2097152 bytes');
    expect(fixIds(d, 'kernel-invalid')).toEqual(['reinstall', 'restore-rollback', 'install-from-msi']);
  });

  it('a kernel for another architecture: kernel-invalid naming both', async () => {
    const { d } = await diagnose('wrong-arch-kernel');
    const f = finding(d, 'kernel-invalid');
    expect(f.observed).toMatch(/kernel for arm64 .* this computer is x64/);
  });

  it('not a kernel at all: kernel-invalid', async () => {
    const { d } = await diagnose('installed', (b) => fsp.writeFile(tools(b.root, 'kernel'), 'MZ this is not a kernel'.repeat(100)));
    expect(finding(d, 'kernel-invalid').observed).toContain('not a Linux kernel');
  });

  it('kernel replaced behind the tool (hash differs from its record): warning, reinstall or accept', async () => {
    const { d } = await diagnose('tampered');
    const f = finding(d, 'kernel-modified');
    expect(f.severity).toBe('warning');
    expect(f.observed).toMatch(/sha256 ([0-9a-f]{64}).*sha256 (?!\1)[0-9a-f]{64}/);
    expect(fixIds(d, 'kernel-modified')).toEqual(['reinstall', 'record-current']);
    expect(errors(d)).toEqual([]);
  });

  it('kernel.rollback replaced behind the tool: warning, accept it', async () => {
    const { d } = await diagnose('installed', (b) => writeKernel(tools(b.root, 'kernel.rollback'), '5.10.102.1', { size: 2 << 20, seed: 'other' }).then(() => undefined));
    expect(ids(d)).toEqual(['rollback-kernel-modified']);
    expect(fixIds(d, 'rollback-kernel-modified')).toEqual(['record-current']);
  });

  it('kernel.rollback damaged while not rolled back: warning only (WSL boots kernel)', async () => {
    const { d } = await diagnose('installed', (b) => fsp.writeFile(tools(b.root, 'kernel.rollback'), Buffer.alloc(4096)));
    expect(ids(d)).toEqual(['rollback-kernel-invalid']);
    expect(finding(d, 'rollback-kernel-invalid').severity).toBe('warning');
  });
});

describe('RollbackKernel', () => {
  it('set with kernel.rollback deleted: WSL cannot boot; clear the flag first', async () => {
    const { d } = await diagnose('orphan-flag');
    expect(ids(d)).toEqual(['rollback-flag-orphaned']);
    const f = finding(d, 'rollback-flag-orphaned');
    expect(f.severity).toBe('error');
    expect(f.observed).toContain('RollbackKernel is set');
    expect(fixIds(d, 'rollback-flag-orphaned')).toEqual(['reinstall', 'clear-rollback-flag']);
  });

  it('set with kernel.rollback not a kernel: the same finding', async () => {
    const { d } = await diagnose('rolled-back', (b) => fsp.writeFile(tools(b.root, 'kernel.rollback'), 'garbage'));
    expect(finding(d, 'rollback-flag-orphaned').observed).toContain('not usable');
  });

  it('set, kernel.rollback and kernel both missing: clearing the flag is not offered', async () => {
    const { d } = await diagnose('orphan-flag', (b) => fsp.unlink(tools(b.root, 'kernel')));
    expect(errors(d)).toEqual(['kernel-missing', 'rollback-flag-orphaned']);
    expect(fixIds(d, 'rollback-flag-orphaned')).toEqual(['install-bundled', 'install-from-msi']);
  });
});

describe('journal, state and temps', () => {
  it('interrupted operation: reported, not recovered (the journal is still there afterwards)', async () => {
    const { b, d } = await diagnose('interrupted');
    expect(ids(d)).toEqual(['operation-interrupted']);
    const f = finding(d, 'operation-interrupted');
    expect(f.observed).toMatch(/unfinished installation \(kernel 5\.15\.153\.1\).*after its commit point/);
    expect(f.fixes).toEqual([{ id: 'recover', title: 'Finish the interrupted installation' }]);
    const again = await (await b.fresh()).diagnose();
    expect(ids(again)).toEqual(['operation-interrupted']);
    await expect(fsp.stat(stateDir(b.root, 'journal.json'))).resolves.toBeTruthy();
  });

  it('diagnose changes no file of the machine', async () => {
    const b = await box('interrupted');
    boxes.push(b);
    const before = await tree(b.root);
    await (await b.fresh()).diagnose();
    expect(await tree(b.root)).toEqual(before);
  });

  it('an unreadable journal: journal-unreadable, recover discards it', async () => {
    const { d } = await diagnose('installed', (b) => fsp.writeFile(stateDir(b.root, 'journal.json'), '{"format":1,"op":'));
    expect(ids(d)).toEqual(['journal-unreadable']);
    expect(fixIds(d, 'journal-unreadable')).toEqual(['recover']);
  });

  it('an operation running in another process: info, and its journal is not called interrupted', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      const { d } = await diagnose('interrupted', async (b) => {
        const owner = { pid: sleeper.pid, host: hostname(), op: 'install', since: new Date().toISOString() };
        await fsp.writeFile(stateDir(b.root, 'operation.lock'), JSON.stringify(owner));
      });
      expect(ids(d)).toEqual(['operation-running']);
      expect(finding(d, 'operation-running').severity).toBe('info');
    } finally {
      sleeper.kill();
    }
  });

  it('leftover temps with no journal: temp-files-left lists each file', async () => {
    const { b, d } = await diagnose('leftover-temps');
    expect(ids(d)).toEqual(['temp-files-left']);
    const f = finding(d, 'temp-files-left');
    expect(f.severity).toBe('warning');
    expect(f.observed).toContain(tools(b.root, '.wslk-mqa1b2c3-0badf00d.payload.tmp'));
    expect(f.observed).toContain('state.json.0123456789ab.tmp');
    expect(fixIds(d, 'temp-files-left')).toEqual(['clean-temps']);
  });

  it('a damaged state file: reported with the manual steps, diagnose still works', async () => {
    const { d } = await diagnose('installed', (b) => fsp.writeFile(stateDir(b.root, 'state.json'), '{ not json'));
    const f = finding(d, 'state-damaged');
    expect(f.severity).toBe('error');
    expect(f.fixes[0]).toMatchObject({ id: 'manual-reset-state', manual: true });
    expect(f.fixes[0]!.steps!.join(' ')).toContain('state.json');
  });
});

describe('pre-checks: guided steps', () => {
  const manual = (d: CommandResult, id: string) => {
    const f = finding(d, id);
    expect(f.fixes.every((x) => x.manual === true && (x.steps?.length ?? 0) > 0)).toBe(true);
    return f.fixes[0]!;
  };

  it('old build: Windows Update', async () => {
    const { d } = await diagnose('old-build');
    expect(finding(d, 'windows-build-unsupported').severity).toBe('error');
    expect(finding(d, 'windows-build-unsupported').observed).toContain('17763');
    expect(manual(d, 'windows-build-unsupported').id).toBe('manual-windows-update');
  });

  it('WSL not enabled: the exact dism command, then restart', async () => {
    const { d } = await diagnose('no-wsl');
    expect(errors(d)).toEqual(['wsl-not-enabled', 'kernel-missing']);
    const fix = manual(d, 'wsl-not-enabled');
    expect(fix.steps).toContain(`Run: ${DISM_WSL}`);
    expect(DISM_WSL).toBe('dism.exe /online /enable-feature /featurename:Microsoft-Windows-Subsystem-Linux /all /norestart');
    expect(fix.steps!.join(' ')).toMatch(/Restart Windows/);
  });

  it('WSL enabled but Windows not restarted: restart-pending, not wsl-not-enabled', async () => {
    const { d } = await diagnose('reboot-pending');
    expect(ids(d)).not.toContain('wsl-not-enabled');
    expect(finding(d, 'restart-pending').cause).toContain('not active until Windows restarts');
    expect(manual(d, 'restart-pending').id).toBe('manual-restart');
  });

  it('a restart pending with WSL enabled: restart-pending too', async () => {
    const { d } = await diagnose('installed', (b) => fsp.writeFile(`${b.root}/machine.reg`, machineRegText({ rebootPending: true })));
    expect(ids(d)).toEqual(['restart-pending']);
  });

  it('Virtual Machine Platform missing: its dism command', async () => {
    const { d } = await diagnose('no-vm-platform');
    expect(manual(d, 'vm-platform-missing').steps).toContain(`Run: ${DISM_VMP}`);
  });

  it('not elevated: a warning (diagnosing works), run as administrator', async () => {
    const { d } = await diagnose('not-elevated');
    expect(finding(d, 'not-elevated').severity).toBe('warning');
    expect(manual(d, 'not-elevated').id).toBe('manual-run-as-admin');
  });

  it('low disk: a warning with the cleanup step', async () => {
    const { d } = await diagnose('low-disk');
    expect(manual(d, 'low-disk-space').id).toBe('manual-free-disk-space');
  });

  it('an unsupported processor: unsupported-architecture', async () => {
    const { d } = await diagnose('installed', (b) => writeFileAtomic(nodeFs, `${b.root}/machine.reg`, Buffer.from(machineRegText().replace('"AMD64"', '"x86"'))));
    expect(errors(d)).toContain('unsupported-architecture');
  });
});

describe('finding shape', () => {
  it('ids are stable kebab-case, errors come first, tool fixes are not manual', async () => {
    const { d } = await diagnose('no-wsl', async (b) => {
      await fsp.writeFile(`${b.root}/machine.json`, JSON.stringify({ elevated: false, freeBytes: 1024 }));
      await fsp.writeFile(tools(b.root, '.wslk-abc123-00.payload.tmp'), 'x');
    });
    const all = d.findings!;
    expect(all.length).toBeGreaterThanOrEqual(5);
    const rank = { error: 0, warning: 1, info: 2 };
    for (let i = 1; i < all.length; i++) expect(rank[all[i]!.severity]).toBeGreaterThanOrEqual(rank[all[i - 1]!.severity]);
    for (const f of all) {
      expect(f.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(FINDING_ORDER as readonly string[]).toContain(f.id);
      expect(f.observed.length).toBeGreaterThan(10);
      expect(f.cause.length).toBeGreaterThan(10);
      for (const x of f.fixes) expect(x.id.startsWith('manual-')).toBe(x.manual === true);
    }
  });
});
