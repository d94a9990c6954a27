/**
 * repair --from-msi with a Windows path: a wixl-built wsl_update_x64.msi holding a real Debian
 * kernel (or a synthetic one when apt cannot fetch it) is opened, its kernel extracted and installed
 * into System32\lxss\tools by the rules of docs/design.md §5.
 */
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realDebianKernel, realDebianKernelProblem } from '../helpers/debian-kernel';
import { HAVE_WIXL, buildMsi } from '../helpers/repair-fixtures';
import { KEYS, TOOLS, installStandIns, regQuery, resetMachine } from './support/machine';
import { fileSha, winKernel } from './support/kernels';
import { drive, wslk } from './support/wine';

const DOWNLOADS = 'users/Public/Downloads';
let work: string;
let kernel: { bytes: Buffer; sha: string; version: string };

beforeAll(async () => {
  if (!HAVE_WIXL) throw new Error('wixl and msiextract are needed (apt-get install wixl msitools)');
  await installStandIns();
  work = await fsp.mkdtemp(join(tmpdir(), 'wslk-wine-msi-'));
  const real = await realDebianKernel();
  if (!real) console.warn(`Using a synthetic kernel in the MSI: ${realDebianKernelProblem()}`);
  const path = real?.path ?? (await winKernel('6.1.21.2', (3 << 20) + 77)).path;
  const bytes = await fsp.readFile(path);
  const version = real ? real.release.split('-')[0]! : '6.1.21.2';
  kernel = { bytes, sha: (await fileSha(path))!, version };
  const msi = await buildMsi(join(work, 'msi'), [{ id: 'kernel', name: 'kernel', data: bytes }]);
  await fsp.mkdir(drive(DOWNLOADS), { recursive: true });
  await fsp.copyFile(msi, drive(DOWNLOADS, 'wsl_update_x64.msi'));
});
afterAll(async () => {
  if (work) await fsp.rm(work, { recursive: true, force: true });
});

describe('the kernel of a wsl_update_x64.msi', () => {
  it('is installed on a machine with no kernel, byte for byte', async () => {
    await resetMachine();
    const r = await wslk(['repair', '--from-msi', 'C:\\Users\\Public\\Downloads\\wsl_update_x64.msi']);
    expect(r.json).toMatchObject({ ok: true, exitCode: 0, status: { kernel: { present: true, version: kernel.version, sha256: kernel.sha } } });
    expect(await fileSha(drive(TOOLS, 'kernel'))).toBe(kernel.sha);
    expect((await regQuery(KEYS.detection, 'KernelVersion'))?.data).toBe(kernel.version);
  });

  it('replaces an older kernel, which becomes kernel.rollback', async () => {
    await resetMachine();
    const old = await winKernel('5.10.16.3', (1 << 20) + 99);
    expect((await wslk(['install', '--payload', old.winPath])).json.ok).toBe(true);
    const r = await wslk(['repair', '--from-msi', 'C:\\Users\\Public\\Downloads\\wsl_update_x64.msi']);
    expect(r.json).toMatchObject({ ok: true, status: { kernel: { version: kernel.version }, rollbackKernel: { version: '5.10.16.3' } } });
    expect(await fileSha(drive(TOOLS, 'kernel.rollback'))).toBe(old.sha256);
  });

  it('a missing package is refused with a clear error and nothing changes', async () => {
    await resetMachine();
    const r = await wslk(['repair', '--from-msi', 'C:\\Users\\Public\\Downloads\\missing.msi']);
    expect(r.json).toMatchObject({ ok: false, exitCode: 1603 });
    expect(await fsp.readdir(drive(TOOLS))).toEqual([]);
  });
});
