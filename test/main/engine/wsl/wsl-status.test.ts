/** status names the flavour and the kernel WSL boots, and why, on every preset (DESIGN §8). */
import { writeFile, rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine/engine';
import { openSandbox } from '../../../../src/main/engine/sandbox/sandbox-machine';
import { CUSTOM_KERNEL, STORE_WSL } from '../../../../src/main/engine/sandbox/store-presets';
import { sandbox } from '../../../helpers/sandbox';

const boxes: { cleanup(): Promise<void> }[] = [];
afterEach(async () => {
  for (const b of boxes.splice(0)) await b.cleanup();
});
async function statusOf(preset: string, edit?: (root: string) => Promise<void>, user?: string) {
  const box = await sandbox(preset);
  boxes.push(box);
  if (edit) await edit(box.root);
  const engine = new Engine(await openSandbox(box.root), user ? { user } : {});
  const s = (await engine.status()).status;
  if (!s) throw new Error('no status');
  return { s, root: box.root };
}
const alice = (root: string) => join(root, 'Users', 'alice', '.wslconfig');
const DEFAULT = 'C:\\Program Files\\WSL\\tools\\kernel';

describe('status: which WSL and which kernel boots', () => {
  it('inbox presets: flavour inbox, boots System32 kernel or kernel.rollback by the flag', async () => {
    expect((await statusOf('fresh')).s).toMatchObject({ flavour: 'inbox', wslVersion: null, boot: { source: 'default', path: 'C:\\Windows\\System32\\lxss\\tools\\kernel', kernel: { present: false } } });
    expect((await statusOf('rolled-back')).s.boot).toMatchObject({ source: 'rollback', path: 'C:\\Windows\\System32\\lxss\\tools\\kernel.rollback', kernel: { version: '5.10.102.1' } });
    expect((await statusOf('no-wsl')).s).toMatchObject({ flavour: 'none', boot: { source: 'none', path: null } });
  });

  it('store-fresh: WSL 2.x boots its own kernel with modules.vhd', async () => {
    const { s } = await statusOf('store-fresh');
    expect(s).toMatchObject({ flavour: 'store', wslVersion: STORE_WSL.version, wslInstallLocation: STORE_WSL.installLocation });
    expect(s.defaultKernel).toMatchObject({ path: DEFAULT, kernel: { present: true, valid: true, version: STORE_WSL.kernel, arch: 'x64' }, modulesPresent: true });
    expect(s.boot).toMatchObject({ user: 'alice', source: 'default', path: DEFAULT, modulesPath: 'C:\\Program Files\\WSL\\tools\\modules.vhd', error: null, wslconfig: { exists: false } });
    expect(s.boot?.kernel).toMatchObject({ version: STORE_WSL.kernel });
  });

  it('store-custom: the .wslconfig kernel boots, with no modules', async () => {
    const { s } = await statusOf('store-custom');
    expect(s.boot).toMatchObject({ source: 'wslconfig', path: CUSTOM_KERNEL.path, modulesPath: null, error: null, kernel: { valid: true, version: CUSTOM_KERNEL.version } });
    expect(s.boot?.kernel.present && s.boot.kernel.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('store-bad-escape: WSL drops the kernel= line and boots its own kernel', async () => {
    const { s } = await statusOf('store-bad-escape');
    expect(s.boot).toMatchObject({ source: 'default', path: DEFAULT, wslconfig: { kernel: null, kernelRaw: 'C:\\tools\\kernel' } });
    expect(s.boot?.wslconfig?.kernelLineDropped).toBe("Invalid escaped character: 'k' in C:\\Users\\alice\\.wslconfig:4");
    expect(s.boot?.reason).toContain('ignores the kernel= line');
  });

  it('store-bad-escape with \\t and \\b only: the line is read, as a path with a TAB and a backspace', async () => {
    const { s } = await statusOf('store-bad-escape', (root) => writeFile(alice(root), '[wsl2]\nkernel=C:\\temp\\bzImage\n'));
    expect(s.boot).toMatchObject({ source: 'wslconfig', path: 'C:\temp\bzImage', error: { code: 'WSL_E_CUSTOM_KERNEL_NOT_FOUND' } });
  });

  it('store-policy-blocked: the policy sets kernel= aside; a DWORD 1 or another type does not', async () => {
    const { s } = await statusOf('store-policy-blocked');
    expect(s.boot).toMatchObject({ source: 'default', path: DEFAULT, wslconfig: { ignoredBy: 'policy', kernel: CUSTOM_KERNEL.path } });
    expect(s.boot?.wslconfig?.warnings).toContain("The .wslconfig setting 'wsl2.kernel' is disabled by the computer policy.");
    const allowed = await statusOf('store-policy-blocked', async (root) => {
      const reg = join(root, 'machine.reg');
      const { readFile } = await import('node:fs/promises');
      await writeFile(reg, (await readFile(reg, 'utf8')).replace('"AllowKernelUserSetting"=dword:00000000', '"AllowKernelUserSetting"="0"'));
    });
    expect(allowed.s.boot).toMatchObject({ source: 'wslconfig', wslconfig: { ignoredBy: null } });
  });

  it('store-missing-custom: WSL would fail with WSL_E_CUSTOM_KERNEL_NOT_FOUND', async () => {
    const { s } = await statusOf('store-missing-custom');
    expect(s.boot).toMatchObject({
      source: 'wslconfig',
      path: 'C:\\kernels\\gone\\bzImage',
      kernel: { present: false },
      error: { code: 'WSL_E_CUSTOM_KERNEL_NOT_FOUND', message: "The custom kernel specified in C:\\Users\\alice\\.wslconfig was not found: 'C:\\kernels\\gone\\bzImage'." },
    });
  });

  it('safeMode=true sets kernel= aside; kernelModules without kernel is WSL\'s error', async () => {
    const safe = await statusOf('store-custom', (root) => writeFile(alice(root), '[wsl2]\nsafeMode=true\nkernel=C:\\\\kernels\\\\custom\\\\bzImage\n'));
    expect(safe.s.boot).toMatchObject({ source: 'default', wslconfig: { ignoredBy: 'safe-mode' } });
    const modsOnly = await statusOf('store-fresh', (root) => writeFile(alice(root), '[wsl2]\nkernelModules=C:\\\\Program Files\\\\WSL\\\\tools\\\\modules.vhd\n'));
    expect(modsOnly.s.boot?.error?.message).toMatch(/^Customised kernel modules were supplied without specifying a customised kernel/);
    const missingVhd = await statusOf('store-custom', (root) => writeFile(alice(root), '[wsl2]\nkernel=C:\\\\kernels\\\\custom\\\\bzImage\nkernelModules=C:\\\\nope.vhdx\n'));
    expect(missingVhd.s.boot?.error?.message).toBe("The custom kernel modules VHD in C:\\Users\\alice\\.wslconfig was not found: 'C:\\nope.vhdx'.");
  });

  it('--user picks the profile from ProfileList; an unknown user is no user; no user, no .wslconfig', async () => {
    const other = await statusOf('store-custom', async (root) => {
      await mkdir(join(root, 'Users', 'bob'), { recursive: true });
      await rm(alice(root));
    }, 'alice');
    expect(other.s.boot).toMatchObject({ user: 'alice', source: 'default' });
    const none = await statusOf('store-custom', (root) => writeFile(join(root, 'machine.json'), '{}'));
    expect(none.s.boot).toMatchObject({ user: null, wslconfig: null, source: 'default' });
  });

  it('an old sandbox without the new parts still reads', async () => {
    const { s } = await statusOf('installed', (root) => rm(join(root, 'machine.json')));
    expect(s).toMatchObject({ flavour: 'inbox', effective: 'kernel', boot: { source: 'default', user: null } });
  });
});
