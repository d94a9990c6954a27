/**
 * diagnose --error on the real engine (docs/design.md §13): each error of docs/design.md §13, pasted as WSL
 * prints it (in English and localized), on the sandbox preset where it happens, leads to the
 * finding and fix that apply on that machine — or says honestly that it is not about the kernel.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMachine } from '../../../../src/main/engine';
import type { CommandResult } from '../../../../src/shared/types';
import { kernel, sandbox } from '../../../helpers/sandbox';
import { TEXTS } from '../../../helpers/wsl-error-texts';

const boxes = new Map<string, Promise<{ root: string; cleanup(): Promise<void> }>>();
afterAll(async () => {
  for (const b of boxes.values()) await (await b).cleanup();
});
/** One sandbox per preset, shared: diagnose only reads. */
const rootOf = async (preset: string): Promise<string> => {
  if (!boxes.has(preset)) boxes.set(preset, sandbox(preset));
  return (await boxes.get(preset)!).root;
};
/** As the CLI and the app open it: the sandbox's demo kernel is the bundled payload. */
const engineOf = async (preset: string) => openMachine({ dir: await rootOf(preset), payloadDirs: [] });
async function paste(preset: string, error: string): Promise<CommandResult> {
  const r = await (await engineOf(preset)).diagnose({ error });
  expect(r.ok, r.message).toBe(true);
  expect(r.pastedError).toBeDefined();
  return r;
}
const firstFix = (r: CommandResult, id: string) => r.findings?.find((f) => f.id === id)?.fixes[0]?.id;

describe('diagnose --error leads to the right finding on the matching preset', () => {
  it.each([
    ['fresh', TEXTS.kernelComponent.en, 'kernel-missing', 'install-bundled'],
    ['fresh', TEXTS.kernelComponent.jaMangled, 'kernel-missing', 'install-bundled'],
    ['kernel-missing', TEXTS.kernelComponent.setDefault, 'kernel-missing', 'restore-rollback'],
    ['kernel-missing', TEXTS.kernelComponent.de, 'kernel-missing', 'restore-rollback'],
    ['orphan-flag', TEXTS.kernelComponent.en, 'rollback-flag-orphaned', 'reinstall'],
    ['corrupt-kernel', TEXTS.kernelComponent.timesSign, 'kernel-invalid', 'reinstall'],
    ['no-wsl', TEXTS.installerPrecheck.en, 'wsl-not-enabled', 'manual-enable-wsl'],
    ['reboot-pending', TEXTS.installerPrecheck.en, 'restart-pending', 'manual-restart'],
    ['old-build', TEXTS.installerPrecheck.en, 'windows-build-unsupported', 'manual-windows-update'],
    ['store-missing-custom', TEXTS.customKernel.en, 'custom-kernel-missing', 'wslconfig-restore-file'],
    ['store-missing-custom', TEXTS.customKernel.de, 'custom-kernel-missing', 'wslconfig-restore-file'],
    ['store-missing-custom', TEXTS.customKernel.fr, 'custom-kernel-missing', 'wslconfig-restore-file'],
    ['store-missing-custom', TEXTS.customKernel.ja, 'custom-kernel-missing', 'wslconfig-restore-file'],
    ['store-bad-escape', TEXTS.invalidEscape.en, 'wslconfig-bad-escape', 'wslconfig-fix-line'],
    ['store-bad-escape', TEXTS.invalidEscape.de, 'wslconfig-bad-escape', 'wslconfig-fix-line'],
    ['store-bad-escape', TEXTS.invalidEscape.fr, 'wslconfig-bad-escape', 'wslconfig-fix-line'],
    ['store-policy-blocked', TEXTS.policy.en, 'kernel-setting-blocked', 'policy-ask-admin'],
    ['store-policy-blocked', TEXTS.policy.de, 'kernel-setting-blocked', 'policy-ask-admin'],
    ['store-policy-blocked', TEXTS.policy.ja, 'kernel-setting-blocked', 'policy-ask-admin'],
    ['store-vmlinux', TEXTS.vmTimeout.en, 'custom-kernel-invalid', 'wslconfig-use-default'],
    ['store-vmlinux', TEXTS.vmTimeout.fr, 'custom-kernel-invalid', 'wslconfig-use-default'],
    ['installed', TEXTS.vmTimeout.hex, 'kernel-did-not-boot', 'rollback-kernel'],
    ['store-kernel-missing', TEXTS.filesMissing.en, 'wsl-install-damaged', 'repair-wsl-msi'],
    ['store-kernel-missing', TEXTS.filesMissing.nl, 'wsl-install-damaged', 'repair-wsl-msi'],
    ['store-kernel-missing', TEXTS.filesMissing.ko, 'wsl-install-damaged', 'repair-wsl-msi'],
    ['fresh', TEXTS.filesMissing.en, 'kernel-missing', 'install-bundled'],
  ])('%s ← %j → %s', async (preset, text, finding, fix) => {
    const r = await paste(preset, text);
    const p = r.pastedError!;
    expect(p.recognised).toBe(true);
    expect(p.findings[0]).toBe(finding);
    expect(r.findings?.map((f) => f.id)).toContain(finding);
    expect(firstFix(r, finding)).toBe(fix);
    expect(r.message).toContain('Next step:');
  });

  it('the aboutKernel verdicts: kernel errors lead to kernel findings, the MSI pre-check to Windows', async () => {
    expect((await paste('fresh', TEXTS.kernelComponent.en)).pastedError).toMatchObject({ aboutKernel: true, kind: 'kernel-component-missing', nextStep: 'Install the bundled kernel 6.6.36.6' });
    expect((await paste('no-wsl', TEXTS.installerPrecheck.en)).pastedError).toMatchObject({ aboutKernel: false, by: 'prose' });
    expect((await paste('store-vmlinux', TEXTS.vmTimeout.en)).pastedError?.onThisMachine).toContain('vmlinux');
  });

  it('installed: a kernel that did not boot is a finding only the pasted error reveals, with the rollback offered', async () => {
    const r = await paste('installed', TEXTS.vmTimeout.en);
    const f = r.findings!.find((x) => x.id === 'kernel-did-not-boot')!;
    expect(f.severity).toBe('error');
    expect(f.fixes[0]).toMatchObject({ title: 'Roll back to kernel 5.10.102.1', manual: true });
    expect(f.observed).toContain('5.15.153.1');
    // Without the paste the same machine is healthy.
    const plain = await (await engineOf('installed')).diagnose();
    expect(plain.findings?.filter((x) => x.severity === 'error')).toEqual([]);
    expect(plain.pastedError).toBeUndefined();
  });
});

describe('errors that are not about the kernel: the one next step that fits this machine', () => {
  it('virtualization: Virtual Machine Platform off → enable it; on → firmware and bcdedit', async () => {
    const off = await paste('no-vm-platform', TEXTS.virtualization.en);
    expect(off.pastedError).toMatchObject({ aboutKernel: false, findings: ['vm-platform-missing'], nextStep: 'Enable the Virtual Machine Platform feature, then restart Windows' });
    for (const t of [TEXTS.virtualization.de, TEXTS.virtualization.registerDistribution, TEXTS.virtualization.serviceFr, TEXTS.virtualization.serviceHexFr]) {
      const on = await paste('store-fresh', t);
      expect(on.pastedError).toMatchObject({ recognised: true, aboutKernel: false, findings: [] });
      expect(on.pastedError?.nextStep).toContain('bcdedit /set hypervisorlaunchtype auto');
      expect(on.pastedError?.nextStep).toContain('firmware');
    }
  });

  it('an installer for another architecture: names the right one for this computer', async () => {
    expect((await paste('arm64', TEXTS.wrongArch.en)).pastedError).toMatchObject({ aboutKernel: false, nextStep: expect.stringContaining('wsl_update_arm64.msi') });
    expect((await paste('fresh', TEXTS.wrongArch.en)).pastedError?.nextStep).toContain('wsl_update_x64.msi');
  });

  it("WSL's MSI failed (1603): uninstall the old WSL, install the latest", async () => {
    for (const t of [TEXTS.installerFailed.en, TEXTS.installerFailed.callMsi, TEXTS.installerFailed.deExitOnly]) {
      const r = await paste('store-fresh', t);
      expect(r.pastedError).toMatchObject({ kind: 'wsl-installer-failed', aboutKernel: false, nextStep: expect.stringContaining('github.com/microsoft/WSL/releases') });
      expect(r.pastedError?.onThisMachine).toContain('store WSL 2.3.26.0');
    }
  });

  it("a timeout while WSL boots its own, valid kernel is not blamed on the kernel", async () => {
    const r = await paste('store-fresh', TEXTS.vmTimeout.en);
    expect(r.pastedError).toMatchObject({ aboutKernel: false, findings: [], nextStep: expect.stringContaining('wsl --update') });
    expect(r.pastedError?.onThisMachine).toContain('6.6.36.3');
  });

  it('ERROR_FILE_NOT_FOUND with WSL\'s files in place, and outside the VM start (wsl --mount)', async () => {
    expect((await paste('store-fresh', TEXTS.filesMissing.en)).pastedError).toMatchObject({ aboutKernel: false, nextStep: expect.stringContaining('Repair') });
    expect((await paste('store-fresh', TEXTS.filesMissing.mount)).pastedError).toMatchObject({ kind: 'file-not-found-elsewhere', aboutKernel: false });
  });

  it('a .wslconfig warning about another line is not about the kernel', async () => {
    const r = await paste('store-bad-escape', TEXTS.invalidEscape.deOtherLine);
    expect(r.pastedError).toMatchObject({ recognised: true, aboutKernel: false, findings: [], nextStep: expect.stringContaining('line 3') });
  });

  it('a kernel error on a machine that no longer shows it: says so', async () => {
    expect((await paste('store-fresh', TEXTS.kernelComponent.en)).pastedError?.onThisMachine).toContain('store WSL 2.3.26.0');
    expect((await paste('store-fresh', TEXTS.customKernel.en)).pastedError?.onThisMachine).toContain('names no kernel now');
    expect((await paste('installed', TEXTS.kernelComponent.en)).pastedError).toMatchObject({ aboutKernel: true, findings: [], onThisMachine: expect.stringContaining('in place and valid') });
  });
});

describe('unrecognised and refused input', () => {
  it('unrecognised text: says so, and the normal diagnosis stands', async () => {
    const r = await paste('kernel-missing', TEXTS.unrelated.en);
    const plain = await (await engineOf('kernel-missing')).diagnose();
    expect(r.pastedError).toMatchObject({ recognised: false, kind: null, aboutKernel: null, findings: [] });
    expect(r.findings).toEqual(plain.findings);
    expect(r.message).toContain('no error this tool knows');
  });

  it('oversized or empty text is a usage error, and nothing on the machine changes', async () => {
    const root = await rootOf('store-missing-custom');
    const before = await tree(root);
    const engine = await engineOf('store-missing-custom');
    for (const error of ['x'.repeat(64 * 1024 + 1), '   ']) {
      const r = await engine.diagnose({ error });
      expect(r).toMatchObject({ ok: false, code: 'usage', exitCode: 1639 });
      expect(r.pastedError).toBeUndefined();
    }
    await paste('store-missing-custom', TEXTS.customKernel.en);
    expect(await tree(root)).toEqual(before);
  });
});

describe('the findings added for pasted errors also stand on a plain diagnose', () => {
  it('store-kernel-missing: an error while WSL boots its own kernel, a warning once .wslconfig names another one', async () => {
    const box = await sandbox('store-kernel-missing');
    try {
      const engine = await openMachine({ dir: box.root, payloadDirs: [] });
      const before = (await engine.diagnose()).findings?.find((f) => f.id === 'wsl-install-damaged');
      expect(before).toMatchObject({ severity: 'error', fixes: [{ id: 'repair-wsl-msi', manual: true }] });
      expect(before?.fixes[0]?.steps?.join(' ')).toContain('wsl.2.3.26.0.x64.msi');
      const custom = await kernel(box.work, '6.6.40.1');
      await mkdir(join(box.root, 'kernels'), { recursive: true });
      await writeFile(join(box.root, 'kernels', 'bzImage'), await readFile(custom));
      await writeFile(join(box.root, 'Users', 'alice', '.wslconfig'), '[wsl2]\r\nkernel=C:\\\\kernels\\\\bzImage\r\n');
      const after = await engine.diagnose();
      expect(after.findings?.find((f) => f.id === 'wsl-install-damaged')?.severity).toBe('warning');
      expect(after.findings?.filter((f) => f.severity === 'error')).toEqual([]);
    } finally {
      await box.cleanup();
    }
  });

  it('a .wslconfig kernel for the other architecture is custom-kernel-invalid, with WSL\'s own kernel as the way back', async () => {
    const box = await sandbox('store-fresh');
    try {
      const arm = await kernel(box.work, '6.6.40.1', 1 << 20, 'arm64');
      await mkdir(join(box.root, 'kernels'), { recursive: true });
      await writeFile(join(box.root, 'kernels', 'Image'), await readFile(arm));
      await writeFile(join(box.root, 'Users', 'alice', '.wslconfig'), '[wsl2]\nkernel=C:\\\\kernels\\\\Image\n');
      const r = await (await openMachine({ dir: box.root, payloadDirs: [] })).diagnose({ error: TEXTS.vmTimeout.en });
      const f = r.findings?.find((x) => x.id === 'custom-kernel-invalid');
      expect(f?.observed).toContain('a kernel for arm64');
      expect(f?.fixes[0]?.id).toBe('wslconfig-use-default');
      expect(r.pastedError?.findings).toEqual(['custom-kernel-invalid']);
    } finally {
      await box.cleanup();
    }
  });
});

describe('a modules VHD the VM cannot read (microsoft/WSL#40482)', () => {
  it('with kernelModules= set: the icacls grant by SID for that file; without: not about the kernel', async () => {
    const box = await sandbox('store-custom');
    try {
      await writeFile(join(box.root, 'kernels', 'custom', 'modules.vhdx'), Buffer.from('vhdxfile'));
      await writeFile(join(box.root, 'Users', 'alice', '.wslconfig'), '[wsl2]\nkernel=C:\\\\kernels\\\\custom\\\\bzImage\nkernelModules=C:\\\\kernels\\\\custom\\\\modules.vhdx\n');
      const engine = await openMachine({ dir: box.root, payloadDirs: [] });
      const r = await engine.diagnose({ error: TEXTS.modulesAccess.de });
      expect(r.pastedError).toMatchObject({ kind: 'modules-vhd-access', aboutKernel: true });
      expect(r.pastedError?.nextStep).toContain('icacls "C:\\kernels\\custom\\modules.vhdx" /grant *S-1-5-32-545:(RX) *S-1-15-2-1:(RX) *S-1-15-2-2:(RX)');
    } finally {
      await box.cleanup();
    }
    expect((await paste('store-fresh', TEXTS.modulesAccess.en)).pastedError).toMatchObject({ kind: 'modules-vhd-access', aboutKernel: false });
  });
});

/** Every file of a folder with its hash: the machine, byte for byte. */
async function tree(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) Object.assign(out, await tree(path, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}
