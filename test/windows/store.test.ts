/**
 * Store WSL on "this Windows machine" (docs/design.md §11): WSL 2.x registered under Lxss\MSI with
 * its own kernel in C:\Program Files\WSL\tools and a user profile in ProfileList. The CLI bundle
 * under Node for Windows installs into the tool's slots, points the user's .wslconfig at the boot
 * path (a hard link made through the Windows API), rolls back by switching that link without
 * touching .wslconfig, and "use-default" gives the user's file back.
 */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE, STORE_USER, STORE_WSL_DIR, installStandIns, resetMachine } from './support/machine';
import { PAYLOADS, fileSha, winKernel, type WinKernel } from './support/kernels';
import { drive, wslk, wslkHuman } from './support/wine';
import { fixedVhd } from '../helpers/wsl-packages';

let own: WinKernel;
let A: WinKernel;
let B: WinKernel;
const wslconfig = () => drive('users', STORE_USER.name, '.wslconfig');
const boot = () => drive(STATE, 'boot', 'kernel');
const BOOT_LINE = 'kernel=C:\\\\ProgramData\\\\WslKernelSetup\\\\boot\\\\kernel';
// Wine sets USERNAME to its own account for every Windows process: name the user, as a fleet script does.
const AS = ['--user', STORE_USER.name];

beforeAll(async () => {
  await installStandIns();
  await resetMachine({ store: true, running: ['Ubuntu'] });
  own = await winKernel('6.6.36.3', (1 << 20) + 1024);
  A = await winKernel('6.6.40.1', (1 << 20) + 5120);
  B = await winKernel('6.6.50.1', (1 << 20) + 9216);
  await fsp.mkdir(drive(STORE_WSL_DIR, 'tools'), { recursive: true });
  await fsp.copyFile(own.path, drive(STORE_WSL_DIR, 'tools', 'kernel'));
  await fsp.mkdir(drive('users', STORE_USER.name), { recursive: true });
  // The user's own settings, kept byte for byte around the one line the tool writes.
  await fsp.writeFile(wslconfig(), '# mine\r\n[wsl2]\r\nmemory=8GB\r\n');
});

// The other Windows scenarios run on inbox WSL.
afterAll(() => resetMachine());

describe('store WSL on a Windows machine', () => {
  it('status: the flavour, WSL’s own kernel, and what boots for the user', async () => {
    const r = await wslk(['status', ...AS]);
    expect(r.json.status).toMatchObject({
      flavour: 'store',
      wslVersion: '2.3.26.0',
      defaultKernel: { path: 'C:\\Program Files\\WSL\\tools\\kernel', kernel: { version: own.version, sha256: own.sha256 } },
      boot: { user: STORE_USER.name, source: 'default', toolOwned: false },
    });
    expect(r.json.message).toMatch(/^Store WSL 2\.3\.26\.0 boots kernel 6\.6\.36\.3/);
  });

  it('install A: the tool slot, the boot path hard-linked to it, and one line in .wslconfig', async () => {
    const r = await wslk(['install', '--payload', A.winPath, ...AS]);
    expect(r.json, r.json.message).toMatchObject({ ok: true, exitCode: 0 });
    expect(r.json.status).toMatchObject({ storeSlots: { kernel: { version: A.version }, users: [STORE_USER.name] }, boot: { source: 'wslconfig', toolOwned: true, kernel: { version: A.version } } });
    expect(await fileSha(boot())).toBe(A.sha256);
    expect(await fileSha(drive(STATE, 'store', 'slots', 'kernel'))).toBe(A.sha256);
    expect(await fsp.readFile(wslconfig(), 'utf8')).toBe(`# mine\r\n[wsl2]\r\n${BOOT_LINE}\r\nmemory=8GB\r\n`);
    // WSL's own files are never touched.
    expect(await fileSha(drive(STORE_WSL_DIR, 'tools', 'kernel'))).toBe(own.sha256);
  });

  it('update to B, then rollback: the boot path switches back to A, .wslconfig is not rewritten', async () => {
    expect((await wslk(['install', '--payload', B.winPath, ...AS])).json).toMatchObject({ ok: true });
    expect(await fileSha(boot())).toBe(B.sha256);
    const edited = await fsp.readFile(wslconfig());
    const r = await wslk(['rollback']);
    expect(r.json).toMatchObject({ ok: true, status: { storeSlots: { rollbackActive: true, badReleases: [B.release] } } });
    expect(await fileSha(boot())).toBe(A.sha256);
    expect(await fsp.readFile(wslconfig())).toEqual(edited);
    const human = await wslkHuman(['status', ...AS]);
    expect(human.stdout).toMatch(/rollback +active/);
    expect(human.stdout).not.toContain('WSL boots nothing');
  });

  it('use-default: the user’s file as it was, WSL boots its own kernel again', async () => {
    const r = await wslk(['use-default', ...AS]);
    expect(r.json).toMatchObject({ ok: true, status: { boot: { source: 'default', toolOwned: false } } });
    expect(await fsp.readFile(wslconfig(), 'utf8')).toBe('# mine\r\n[wsl2]\r\nmemory=8GB\r\n');
  });
});

describe('store WSL on a Windows machine: kernels with their modules disks', () => {
  const bootDisk = () => drive(STATE, 'boot', 'modules.vhd');
  const MODULES_LINE = 'kernelModules=C:\\\\ProgramData\\\\WslKernelSetup\\\\boot\\\\modules.vhd';
  /** A payload folder, `kernel` + `modules.vhd`, and its Windows path. */
  async function withDisk(k: WinKernel, diskSize: number): Promise<{ winPath: string; diskSha: string }> {
    const name = `pay-${k.version}`;
    await fsp.mkdir(drive(PAYLOADS, name), { recursive: true });
    await fsp.copyFile(k.path, drive(PAYLOADS, name, 'kernel'));
    const disk = fixedVhd(diskSize);
    await fsp.writeFile(drive(PAYLOADS, name, 'modules.vhd'), disk);
    return { winPath: `C:\\${PAYLOADS}\\${name}`, diskSha: createHash('sha256').update(disk).digest('hex') };
  }

  it('install, update, rollback: boot\\modules.vhd (a hard link) follows the kernel; .wslconfig names it once', async () => {
    await resetMachine({ store: true, running: ['Ubuntu'] });
    await fsp.mkdir(drive(STORE_WSL_DIR, 'tools'), { recursive: true });
    await fsp.copyFile(own.path, drive(STORE_WSL_DIR, 'tools', 'kernel'));
    const MA = await withDisk(A, 96 * 1024);
    const MB = await withDisk(B, 128 * 1024);
    const a = await wslk(['install', '--payload', MA.winPath, ...AS]);
    expect(a.json, a.json.message).toMatchObject({ ok: true, status: { storeSlots: { modules: { kernel: MA.diskSha } }, boot: { modulesPath: 'C:\\ProgramData\\WslKernelSetup\\boot\\modules.vhd' } } });
    expect(await fileSha(bootDisk())).toBe(MA.diskSha);
    const text = await fsp.readFile(wslconfig(), 'utf8');
    expect(text).toContain(BOOT_LINE);
    expect(text).toContain(MODULES_LINE);
    expect((await wslk(['install', '--payload', MB.winPath, ...AS])).json).toMatchObject({ ok: true });
    expect(await fileSha(bootDisk())).toBe(MB.diskSha);
    const r = await wslk(['rollback']);
    expect(r.json).toMatchObject({ ok: true, status: { storeSlots: { rollbackActive: true, modules: { kernel: MB.diskSha, rollbackKernel: MA.diskSha } } } });
    expect(await fileSha(bootDisk())).toBe(MA.diskSha);
    expect(await fileSha(boot())).toBe(A.sha256);
    expect(await fsp.readFile(wslconfig(), 'utf8')).toBe(text);
  });
});
