/**
 * A kernel and its modules disk move together on store WSL (docs/design.md §11.5): a payload
 * folder's `modules.vhd` is kept by content, `boot\modules.vhd` follows the kernel through
 * install, update, rollback and undo, `.wslconfig` names it once and is not rewritten by
 * rollback or undo, and "Use WSL's own kernel again" takes both lines out.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeWslConfig, parseWslConfig } from '../../../../src/main/engine/wslconfig';
import { keepModules } from '../../../../src/main/engine/store/store-modules';
import { kernel, sandboxes } from '../../../helpers/sandbox';
import { fixedVhd } from '../../../helpers/wsl-packages';

const { box, cleanupAll } = sandboxes();
afterEach(cleanupAll);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const BOOT_KERNEL = 'C:\\ProgramData\\WslKernelSetup\\boot\\kernel';
const BOOT_MODULES = 'C:\\ProgramData\\WslKernelSetup\\boot\\modules.vhd';

/** A payload folder: `kernel` + `modules.vhd`. */
async function folderPayload(work: string, version: string, seed: number): Promise<{ dir: string; vhd: Buffer }> {
  const dir = join(work, `payload-${version}`);
  await mkdir(dir, { recursive: true });
  await copyFile(await kernel(work, version), join(dir, 'kernel'));
  const vhd = fixedVhd(64 * 1024 + seed * 4096, seed); // sizes differ: the disks differ
  await writeFile(join(dir, 'modules.vhd'), vhd);
  return { dir, vhd };
}

const paths = (root: string) => {
  const base = join(root, 'ProgramData', 'WslKernelSetup');
  return { bootKernel: join(base, 'boot', 'kernel'), bootModules: join(base, 'boot', 'modules.vhd'), disks: join(base, 'store', 'modules') };
};
const wslconfig = async (root: string) => {
  const bytes = await readFile(join(root, 'Users', 'alice', '.wslconfig')).catch(() => null);
  return bytes ? parseWslConfig(decodeWslConfig(bytes).text).effective : null;
};
const bootModulesSha = async (root: string) => sha(await readFile(paths(root).bootModules));

describe('modules disk on store WSL', () => {
  it('install, update, rollback, undo: the disk follows the kernel, .wslconfig is written once', async () => {
    const b = await box('store-fresh');
    const A = await folderPayload(b.work, '6.6.40.1', 1);
    const B = await folderPayload(b.work, '6.6.50.1', 2);
    const p = paths(b.root);

    const plan = await b.engine.plan(A.dir);
    expect(plan.ok, plan.message).toBe(true);
    const bootStep = plan.plan?.find((s) => s.id === 'boot-path');
    expect(bootStep?.title).toMatch(/and its modules/);
    const userStep = plan.plan?.find((s) => s.id === 'wslconfig-alice');
    expect(userStep?.diff?.lines.filter((l) => l.kind === 'added').map((l) => l.text)).toEqual(['[wsl2]', `kernel=${BOOT_KERNEL.replace(/\\/g, '\\\\')}`, `kernelModules=${BOOT_MODULES.replace(/\\/g, '\\\\')}`]);

    const a = await b.engine.install({ payload: A.dir });
    expect(a.ok, a.message).toBe(true);
    const cfg = await wslconfig(b.root);
    expect(cfg?.get('wsl2.kernel')?.value).toBe(BOOT_KERNEL);
    expect(cfg?.get('wsl2.kernelmodules')?.value).toBe(BOOT_MODULES);
    expect(await bootModulesSha(b.root)).toBe(sha(A.vhd));
    expect(a.status?.storeSlots?.modules).toEqual({ kernel: sha(A.vhd), rollbackKernel: null });
    expect(a.status?.storeSlots?.modulesBootPath).toBe(BOOT_MODULES);
    const written = await readFile(join(b.root, 'Users', 'alice', '.wslconfig'));

    const u = await b.engine.install({ payload: B.dir });
    expect(u.ok, u.message).toBe(true);
    expect(await bootModulesSha(b.root)).toBe(sha(B.vhd));
    expect(u.status?.storeSlots?.modules).toEqual({ kernel: sha(B.vhd), rollbackKernel: sha(A.vhd) });
    // Both disks kept, by content.
    expect((await readdir(p.disks)).sort()).toEqual([`${sha(A.vhd)}.vhd`, `${sha(B.vhd)}.vhd`].sort());

    const r = await b.engine.rollback();
    expect(r.ok, r.message).toBe(true);
    expect(await bootModulesSha(b.root)).toBe(sha(A.vhd));
    // The boot paths are the slot's files themselves (hard links), not copies.
    const bootIno = (await stat(p.bootModules)).ino;
    expect(bootIno).toBe((await stat(join(p.disks, `${sha(A.vhd)}.vhd`))).ino);

    const undo = await b.engine.undoRollback();
    expect(undo.ok, undo.message).toBe(true);
    expect(await bootModulesSha(b.root)).toBe(sha(B.vhd));
    // Rollback and undo never rewrote the user's file.
    expect(await readFile(join(b.root, 'Users', 'alice', '.wslconfig'))).toEqual(written);

    const st = await b.engine.status();
    expect(st.status?.boot?.modulesPath).toBe(BOOT_MODULES);
  });

  it("a disk no slot's kernel uses any more is removed; the boot path keeps the one WSL attaches", async () => {
    const b = await box('store-fresh');
    const A = await folderPayload(b.work, '6.6.40.1', 1);
    const B = await folderPayload(b.work, '6.6.50.1', 2);
    const C = await folderPayload(b.work, '6.6.60.1', 3);
    for (const x of [A, B, C]) expect((await b.engine.install({ payload: x.dir })).ok).toBe(true);
    // A left both slots: its disk goes.
    expect((await readdir(paths(b.root).disks)).sort()).toEqual([`${sha(B.vhd)}.vhd`, `${sha(C.vhd)}.vhd`].sort());
    expect(await bootModulesSha(b.root)).toBe(sha(C.vhd));
  });

  it('a kernel without a disk after one with: .wslconfig keeps naming a file that exists', async () => {
    const b = await box('store-fresh');
    const A = await folderPayload(b.work, '6.6.40.1', 1);
    const plain = await kernel(b.work, '6.6.50.1');
    expect((await b.engine.install({ payload: A.dir })).ok).toBe(true);
    const u = await b.engine.install({ payload: plain });
    expect(u.ok, u.message).toBe(true);
    expect(u.status?.storeSlots?.modules).toEqual({ kernel: null, rollbackKernel: sha(A.vhd) });
    // Never removed while a .wslconfig names it (invariant W); a disk built for 6.6.40.1 holds no modules 6.6.50.1 loads.
    expect((await wslconfig(b.root))?.get('wsl2.kernelmodules')?.value).toBe(BOOT_MODULES);
    expect((await stat(paths(b.root).bootModules)).isFile()).toBe(true);
    const r = await b.engine.rollback();
    expect(r.ok, r.message).toBe(true);
    expect(await bootModulesSha(b.root)).toBe(sha(A.vhd));
  });

  it('a disk arriving after the first install adds the kernelModules line, and use-default takes both out (and a killed run\'s boot link)', async () => {
    const b = await box('store-fresh');
    const plain = await kernel(b.work, '6.6.40.1');
    expect((await b.engine.install({ payload: plain })).ok).toBe(true);
    expect((await wslconfig(b.root))?.has('wsl2.kernelmodules')).toBe(false);
    const B = await folderPayload(b.work, '6.6.50.1', 2);
    const plan = await b.engine.plan(B.dir);
    const step = plan.plan?.find((s) => s.id === 'wslconfig-alice');
    expect(step?.title).toMatch(/modules disk/);
    expect(step?.diff?.lines.filter((l) => l.kind === 'added').map((l) => l.text)).toEqual([`kernelModules=${BOOT_MODULES.replace(/\\/g, '\\\\')}`]);
    expect((await b.engine.install({ payload: B.dir })).ok).toBe(true);
    expect((await wslconfig(b.root))?.get('wsl2.kernelmodules')?.value).toBe(BOOT_MODULES);

    // A run killed between making a boot link and renaming it over the boot path left the link.
    const bootDir = join(b.root, 'ProgramData', 'WslKernelSetup', 'boot');
    await copyFile(paths(b.root).bootKernel, join(bootDir, 'kernel.4242.1796121346533.link'));
    const back = await b.engine.useDefault({});
    expect(back.ok, back.message).toBe(true);
    expect((await readdir(bootDir)).sort()).toEqual(['kernel', 'modules.vhd']);
    // The file did not exist before the tool's first install: it is gone again.
    expect(await wslconfig(b.root)).toBeNull();
  });

  it('a damaged modules disk is refused before anything changes', async () => {
    const b = await box('store-fresh');
    const A = await folderPayload(b.work, '6.6.40.1', 1);
    const vhd = Buffer.from(A.vhd);
    vhd.writeUInt8(vhd.readUInt8(vhd.length - 100) ^ 0xff, vhd.length - 100); // breaks the footer checksum
    await writeFile(join(A.dir, 'modules.vhd'), vhd);
    const r = await b.engine.install({ payload: A.dir });
    expect(r).toMatchObject({ ok: false, code: 'invalid-modules-vhd' });
    expect(await wslconfig(b.root)).toBeNull();
    expect(await stat(paths(b.root).bootKernel).catch(() => null)).toBeNull();
  });

  it("a disk another process's install has kept is not pruned until that install ends or its process is gone", async () => {
    const b = await box('store-fresh');
    const A = await folderPayload(b.work, '6.6.40.1', 1);
    const B = await folderPayload(b.work, '6.6.50.1', 2);
    const C = await kernel(b.work, '6.6.60.1');
    const D = await kernel(b.work, '6.6.70.1');
    const p = paths(b.root);
    expect((await b.engine.install({ payload: A.dir })).ok).toBe(true);

    // Another process keeps B's disk (its install's first step), and has not installed B yet.
    const kernelB = sha(await readFile(join(B.dir, 'kernel')));
    const marker = await keepModules(b.engine.machine, kernelB, {
      path: join(B.dir, 'modules.vhd'),
      size: B.vhd.length,
      sha256: sha(B.vhd),
      format: 'vhd',
    });
    const other = (pid: number) => join(p.disks, `.pending-${pid}-0-${kernelB}`);
    await rename(marker, other(process.ppid));

    // An install here in between prunes: B's disk stays, for the install under way.
    expect((await b.engine.install({ payload: C })).ok).toBe(true);
    expect((await readdir(p.disks)).sort()).toEqual([`${sha(A.vhd)}.vhd`, `${sha(B.vhd)}.vhd`, `.pending-${process.ppid}-0-${kernelB}`].sort());

    // That process is gone (killed before it finished): the next prune takes the disk and the marker.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await rename(other(process.ppid), other(dead));
    expect((await b.engine.install({ payload: D })).ok).toBe(true);
    // A's kernel left both slots with this install (C is the fallback now): its disk goes too.
    expect(await readdir(p.disks)).toEqual([]);
  });
});
