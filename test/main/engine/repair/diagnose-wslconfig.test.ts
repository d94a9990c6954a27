/** diagnose on store-WSL presets: each .wslconfig problem as WSL meets it, with the exact fix. */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine/engine';
import { openSandbox } from '../../../../src/main/engine/sandbox/sandbox-machine';
import type { CommandResult, Finding } from '../../../../src/shared/types';
import { sandbox } from '../../../helpers/sandbox';

const boxes: { cleanup(): Promise<void> }[] = [];
afterEach(async () => {
  for (const b of boxes.splice(0)) await b.cleanup();
});
async function diagnose(preset: string, wslconfig?: string): Promise<CommandResult> {
  const box = await sandbox(preset);
  boxes.push(box);
  if (wslconfig !== undefined) await writeFile(join(box.root, 'Users', 'alice', '.wslconfig'), wslconfig);
  const d = await new Engine(await openSandbox(box.root)).diagnose();
  expect(d.ok, d.message).toBe(true);
  return d;
}
const one = (d: CommandResult, id: string): Finding => {
  const f = d.findings?.find((x) => x.id === id);
  if (!f) throw new Error(`no ${id} in ${d.findings?.map((x) => x.id).join(', ')}`);
  return f;
};
const steps = (f: Finding) => f.fixes.flatMap((x) => x.steps ?? []).join('\n');

describe('diagnose: .wslconfig findings', () => {
  it('store-fresh and store-custom: nothing wrong (System32 slots do not matter on store WSL)', async () => {
    expect((await diagnose('store-fresh')).findings).toEqual([]);
    expect((await diagnose('store-custom')).findings).toEqual([]);
  });

  it('store-bad-escape: the dropped line, WSL\'s warning, and the line to write', async () => {
    const f = one(await diagnose('store-bad-escape'), 'wslconfig-bad-escape');
    expect(f.severity).toBe('warning');
    expect(f.observed).toContain("Invalid escaped character: 'k' in C:\\Users\\alice\\.wslconfig:4");
    expect(f.fixes[0]?.title).toBe('Write the line as kernel=C:\\\\tools\\\\kernel');
    expect(steps(f)).toContain('replace the kernel= line with: kernel=C:\\\\tools\\\\kernel');
  });

  it('C:\\Windows\\kernel: the line is dropped (\\W)', async () => {
    const f = one(await diagnose('store-fresh', '[wsl2]\r\nkernel=C:\\Windows\\kernel\r\n'), 'wslconfig-bad-escape');
    expect(f.observed).toContain("Invalid escaped character: 'W'");
    expect(f.fixes[0]?.title).toBe('Write the line as kernel=C:\\\\Windows\\\\kernel');
  });

  it('a TAB-mangled path that does not exist: error, shown with the TAB, and the fix', async () => {
    const d = await diagnose('store-fresh', '[wsl2]\nkernel=C:\\temp\\bzImage\n');
    const f = one(d, 'wslconfig-kernel-mangled');
    expect(f.severity).toBe('error');
    expect(f.observed).toContain('C:<TAB>emp<BACKSPACE>zImage');
    expect(f.fixes[0]?.title).toBe('Write the line as kernel=C:\\\\temp\\\\bzImage');
    expect(d.findings?.some((x) => x.id === 'custom-kernel-missing')).toBe(false);
  });

  it('store-missing-custom: WSL_E_CUSTOM_KERNEL_NOT_FOUND with WSL\'s message', async () => {
    const f = one(await diagnose('store-missing-custom'), 'custom-kernel-missing');
    expect(f.severity).toBe('error');
    expect(f.observed).toBe(
      "WSL will fail to start: The custom kernel specified in C:\\Users\\alice\\.wslconfig was not found: 'C:\\kernels\\gone\\bzImage'. (Wsl/Service/CreateInstance/CreateVm/WSL_E_CUSTOM_KERNEL_NOT_FOUND)",
    );
    expect(f.fixes.map((x) => x.id)).toEqual(['wslconfig-restore-file', 'wslconfig-use-default']);
  });

  it('a non-ASCII path: the cause says WSL loses those characters', async () => {
    const f = one(await diagnose('store-fresh', '[wsl2]\nkernel=C:\\\\Users\\\\Zoë\\\\kernel\n'), 'custom-kernel-missing');
    expect(f.cause).toContain('outside ASCII');
  });

  it('store-policy-blocked, safeMode, kernelModules without kernel, a missing modules VHD', async () => {
    expect(one(await diagnose('store-policy-blocked'), 'kernel-setting-blocked').observed).toContain('AllowKernelUserSetting = 0');
    expect(one(await diagnose('store-custom', '[wsl2]\nsafeMode=true\nkernel=C:\\\\kernels\\\\custom\\\\bzImage\n'), 'safe-mode-ignores-kernel').severity).toBe('warning');
    expect(one(await diagnose('store-fresh', '[wsl2]\nkernelModules=C:\\\\Program Files\\\\WSL\\\\tools\\\\modules.vhd\n'), 'modules-without-kernel').observed).toContain(
      'Customised kernel modules were supplied without specifying a customised kernel.',
    );
    expect(one(await diagnose('store-custom', '[wsl2]\nkernel=C:\\\\kernels\\\\custom\\\\bzImage\nkernelModules=C:\\\\x.vhdx\n'), 'custom-modules-missing').observed).toContain(
      "The custom kernel modules VHD in C:\\Users\\alice\\.wslconfig was not found: 'C:\\x.vhdx'.",
    );
  });
});

describe('repair --fix wslconfig-fix-line', () => {
  it('rewrites only the kernel value as the path meant; WSL then boots it', async () => {
    const box = await sandbox('store-bad-escape');
    boxes.push(box);
    const file = join(box.root, 'Users', 'alice', '.wslconfig');
    const before = await readFile(file, 'utf8');
    const engine = new Engine(await openSandbox(box.root));
    const r = await engine.repair({ fix: 'wslconfig-fix-line' });
    expect(r, r.message).toMatchObject({ ok: true, applied: ['wslconfig-fix-line'] });
    expect(await readFile(file, 'utf8')).toBe(before.replace('kernel=C:\\tools\\kernel', 'kernel=C:\\\\tools\\\\kernel'));
    expect(r.status?.boot).toMatchObject({ source: 'wslconfig', path: 'C:\\tools\\kernel', kernel: { present: true, valid: true } });
    expect(r.findings?.map((f) => f.id)).not.toContain('wslconfig-bad-escape');
  });

  it('repair (everything): a mangled line whose file is not there either is left alone, said so, and the repair ends in the finding', async () => {
    const box = await sandbox('store-bad-escape');
    boxes.push(box);
    const file = join(box.root, 'Users', 'alice', '.wslconfig');
    // \b is a backspace to WSL: the path it reads does not exist, and C:\tools\bzImage does not either.
    await writeFile(file, '[wsl2]\r\nkernel=C:\\tools\\bzImage\r\n');
    const before = await readFile(file, 'utf8');
    const r = await new Engine(await openSandbox(box.root)).repair();
    expect(r.ok).toBe(false);
    expect(r.applied).toEqual([]);
    expect(r.message).toContain('C:\\tools\\bzImage does not exist either');
    expect(r.findings?.map((f) => f.id)).toContain('wslconfig-kernel-mangled');
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refuses when the file it would name does not exist, and changes nothing', async () => {
    const box = await sandbox('store-bad-escape');
    boxes.push(box);
    const file = join(box.root, 'Users', 'alice', '.wslconfig');
    const before = await readFile(file, 'utf8');
    await rm(join(box.root, 'tools', 'kernel'));
    const r = await new Engine(await openSandbox(box.root)).repair({ fix: 'wslconfig-fix-line' });
    expect(r).toMatchObject({ ok: false, code: 'fix-not-applicable' });
    expect(r.message).toContain('C:\\tools\\kernel does not exist either');
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
