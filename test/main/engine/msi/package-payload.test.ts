/**
 * Kernels from Microsoft-shaped packages, recognised by content: a WSL 2.x MSI (kernel and
 * modules.vhd, WSL's version as the source), the same with an LZX cabinet, the Update Catalog's
 * `.cab` around an MSI (gcab-made MSZIP, or LZX), a kernel directly in a cabinet, and a payload
 * folder with a modules disk; installed through the CLI on sandboxes, checked against msiextract
 * and cabextract, and refusals leave nothing behind.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as CFB from 'cfb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeStreamName } from '../../../../src/main/engine/msi';
import { cli } from '../../../helpers/sandbox';
import { writeCab } from '../../../helpers/cab-writer';
import { HAVE_WIXL, assertHealthy, box, buildMsi, stateDir, tools, tree, writeKernel, type Box } from '../../../helpers/repair-fixtures';
import { HAVE_GCAB, buildWslMsi, fixedVhd, recompressWithLzx, type WslMsiFiles } from '../../../helpers/wsl-packages';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const fileSha = async (p: string) => sha(await fsp.readFile(p));
const HAVE_CABEXTRACT = !spawnSync('cabextract', ['--version']).error;

const suite = HAVE_WIXL ? describe : describe.skip;
if (!HAVE_WIXL) console.warn('Skipping the package tests: wixl / msiextract are not installed (apt-get install wixl msitools).');

let work: string;
let wsl: WslMsiFiles;
let legacyKernel: Buffer;
const pkg = { wslMsi: '', lzxMsi: '', lzxCab: '', gcabCab: '', kernelCab: '', legacyMsi: '' };

beforeAll(async () => {
  if (!HAVE_WIXL) return;
  work = await fsp.mkdtemp(join(tmpdir(), 'wslk-packages-'));
  wsl = { kernel: await fsp.readFile(await writeKernel(join(work, 'k-wsl'), '6.6.87.2', { size: (3 << 19) + 777 })), vhd: fixedVhd(600_000), version: '2.4.13.0' };
  legacyKernel = await fsp.readFile(await writeKernel(join(work, 'k-legacy'), '5.15.153.1', { size: (1 << 20) + 99 }));
  pkg.wslMsi = await buildWslMsi(join(work, 'wsl'), wsl);
  pkg.lzxMsi = join(work, 'lzx', 'wsl.2.4.13.0.x64.msi');
  await fsp.mkdir(join(work, 'lzx'));
  await recompressWithLzx(pkg.wslMsi, wsl, pkg.lzxMsi, { windowBits: 21, blocks: ['aligned', 'verbatim'], intelFileSize: 12_000_000 });
  // The Update Catalog's shape: a cabinet whose one entry is the MSI (here LZX around an LZX MSI).
  pkg.lzxCab = join(work, 'catalog-lzx.cab');
  await fsp.writeFile(pkg.lzxCab, writeCab([{ name: 'wsl.2.4.13.0.x64.msi', data: await fsp.readFile(pkg.lzxMsi) }], { method: 'lzx', windowBits: 20, blocks: ['verbatim'] }));
  pkg.legacyMsi = await buildMsi(join(work, 'legacy'), [{ id: 'kernel', name: 'kernel', data: legacyKernel }]);
  pkg.kernelCab = join(work, 'kernel-only.cab');
  await fsp.writeFile(pkg.kernelCab, writeCab([{ name: 'readme.txt', data: Buffer.from('x'.repeat(2000)) }, { name: 'kernel', data: legacyKernel }], { method: 'none' }));
  if (HAVE_GCAB) {
    pkg.gcabCab = join(work, 'windows10.0-kb4566779-x64.cab');
    const r = spawnSync('gcab', ['-c', '-z', '--nopath', pkg.gcabCab, pkg.legacyMsi], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gcab failed: ${r.stderr}`);
  }
}, 180_000);
afterAll(async () => {
  if (work) await fsp.rm(work, { recursive: true, force: true });
});

const boxes: Box[] = [];
afterEach(async () => {
  while (boxes.length) await boxes.pop()!.cleanup();
});
async function open(preset: string): Promise<Box> {
  const b = await box(preset);
  boxes.push(b);
  return b;
}
async function stagingEmpty(b: Box): Promise<void> {
  expect(await fsp.readdir(stateDir(b.root, 'staging')).catch(() => [])).toEqual([]);
}

suite('the packages are what they claim (independent readers)', () => {
  it('msiextract takes the same kernel and modules.vhd out of the wixl-built WSL MSI', async () => {
    const out = join(work, 'msiextract-wsl');
    const listed = spawnSync('msiextract', ['-C', out, pkg.wslMsi], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.trim());
    const find = (tail: string) => listed.find((l) => l.endsWith(`WSL/tools/${tail}`));
    expect(await fileSha(join(out, find('kernel')!))).toBe(sha(wsl.kernel));
    expect(await fileSha(join(out, find('modules.vhd')!))).toBe(sha(wsl.vhd));
  });

  it.skipIf(!HAVE_CABEXTRACT)('cabextract reads the LZX cabinet inside the LZX MSI, and the catalog .cab around it', async () => {
    const c = CFB.parse(await fsp.readFile(pkg.lzxMsi));
    const stream = c.FileIndex.find((e) => e.name === encodeStreamName('wsl.cab', false))!;
    const embedded = join(work, 'embedded.cab');
    await fsp.writeFile(embedded, Buffer.from(stream.content as Uint8Array));
    const out = join(work, 'cabextract-embedded');
    expect(spawnSync('cabextract', ['-q', '-d', out, embedded]).status).toBe(0);
    expect(await fileSha(join(out, 'kernel'))).toBe(sha(wsl.kernel));
    expect(await fileSha(join(out, 'modules_vhd'))).toBe(sha(wsl.vhd));
    const outer = join(work, 'cabextract-outer');
    expect(spawnSync('cabextract', ['-q', '-d', outer, pkg.lzxCab]).status).toBe(0);
    expect(await fileSha(join(outer, 'wsl.2.4.13.0.x64.msi'))).toBe(await fileSha(pkg.lzxMsi));
  });
});

suite('install --payload with a package, through the CLI', () => {
  const install = async (b: Box, payload: string) => cli(['install', '--payload', payload, '--machine', b.root, '--json']);

  for (const [what, key] of [['a WSL 2.x MSI (MSZIP)', 'wslMsi'], ['a WSL 2.x MSI with an LZX cabinet', 'lzxMsi'], ['an LZX .cab around the LZX MSI', 'lzxCab']] as const) {
    it(`${what}: installs tools\\kernel, reports modules.vhd and WSL's version`, async () => {
      const b = await open('fresh');
      const run = await install(b, pkg[key]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(await fileSha(tools(b.root, 'kernel'))).toBe(sha(wsl.kernel));
      const p = run.json.payload!;
      expect(p.source).toMatchObject({ package: 'wsl-msi', wslVersion: '2.4.13.0', kind: key === 'lzxCab' ? 'cab' : 'msi', path: pkg[key] });
      if (key === 'lzxCab') expect(p.source?.entry).toBe('wsl.2.4.13.0.x64.msi');
      expect(p.modules).toMatchObject({ sha256: sha(wsl.vhd), size: wsl.vhd.length, format: 'vhd' });
      expect(run.json.message).toContain('from WSL 2.4.13.0');
      // Only the kernel slot changes: modules.vhd is reported, not installed.
      expect((await fsp.readdir(tools(b.root))).sort()).toEqual(['kernel']);
      await stagingEmpty(b);
      await assertHealthy(b);
    }, 60_000);
  }

  it('a kernel stored directly in a cabinet', async () => {
    const b = await open('fresh');
    const run = await install(b, pkg.kernelCab);
    expect(run.code, run.stdout).toBe(0);
    expect(await fileSha(tools(b.root, 'kernel'))).toBe(sha(legacyKernel));
    expect(run.json.payload!.source).toMatchObject({ kind: 'cab', package: 'kernel-in-cab', entry: 'kernel' });
    await stagingEmpty(b);
  });

  it('precheck and plan read the package too, and leave nothing in the staging folder', async () => {
    const b = await open('fresh');
    const pre = await cli(['precheck', '--payload', pkg.lzxCab, '--machine', b.root, '--json']);
    expect(pre.code, pre.stdout).toBe(0);
    expect(pre.json.payload?.sha256).toBe(sha(wsl.kernel));
    await stagingEmpty(b);
    const plan = await (await b.fresh()).plan(pkg.lzxMsi);
    expect(plan.ok, plan.message).toBe(true);
    expect(plan.message).toContain('from WSL 2.4.13.0');
    await stagingEmpty(b);
  });

  it('a payload folder with kernel and modules.vhd: the disk is verified and reported', async () => {
    const b = await open('fresh');
    const dir = join(work, 'folder-payload');
    await fsp.mkdir(dir, { recursive: true });
    await fsp.writeFile(join(dir, 'kernel'), wsl.kernel);
    await fsp.writeFile(join(dir, 'modules.vhd'), wsl.vhd);
    const run = await install(b, dir);
    expect(run.code, run.stdout).toBe(0);
    expect(run.json.payload!.modules).toMatchObject({ sha256: sha(wsl.vhd), path: join(dir, 'modules.vhd') });
    // A damaged disk (footer checksum) is refused before anything changes.
    const bad = Buffer.from(wsl.vhd);
    bad[bad.length - 512 + 50]! ^= 1;
    await fsp.writeFile(join(dir, 'modules.vhd'), bad);
    const b2 = await open('fresh');
    const before = await tree(b2.root);
    const refused = await install(b2, dir);
    expect(refused.json.code).toBe('invalid-modules-vhd');
    expect(await tree(b2.root)).toEqual(before);
  });
});

suite('repair --from-msi with the Update Catalog .cab', () => {
  it.skipIf(!HAVE_GCAB)('a gcab-made MSZIP cabinet around wsl_update_x64.msi', async () => {
    const b = await open('kernel-missing');
    const run = await cli(['repair', '--from-msi', pkg.gcabCab, '--machine', b.root, '--json'], { WSLK_PAYLOAD: b.payload });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.json.applied).toEqual(['install-from-msi']);
    expect(await fileSha(tools(b.root, 'kernel'))).toBe(sha(legacyKernel));
    await stagingEmpty(b);
  });

  it('the LZX .cab around a WSL 2.x MSI', async () => {
    const b = await open('fresh');
    const r = await (await b.fresh()).repair({ fromMsi: pkg.lzxCab });
    expect(r.ok, r.message).toBe(true);
    expect(await fileSha(tools(b.root, 'kernel'))).toBe(sha(wsl.kernel));
    await stagingEmpty(b);
  });
});

suite('packages that cannot be used are refused, with nothing changed', () => {
  const refused = async (payload: string, code: string) => {
    const b = await open('installed');
    const before = await tree(b.root);
    const run = await cli(['install', '--payload', payload, '--machine', b.root, '--json']);
    expect(run.json.code, run.stdout).toBe(code);
    expect(run.code).toBe(1603 & 0xff);
    expect(await tree(b.root)).toEqual(before);
    await stagingEmpty(b);
    return run;
  };

  it('a cabinet holding neither an MSI nor a kernel', async () => {
    const cab = join(work, 'nothing.cab');
    await fsp.writeFile(cab, writeCab([{ name: 'a.txt', data: Buffer.alloc(5000, 0x61) }], { method: 'lzx', windowBits: 15 }));
    const run = await refused(cab, 'invalid-msi');
    expect(run.json.message).toContain('neither an installer package nor a kernel');
  });

  it('a truncated LZX MSI (the kernel and modules are only partly there)', async () => {
    const cut = join(work, 'cut.msi');
    const bytes = await fsp.readFile(pkg.lzxMsi);
    await fsp.writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await refused(cut, 'invalid-msi');
  });

  it('an LZX catalog .cab with a flipped byte in its compressed data', async () => {
    const bytes = Buffer.from(await fsp.readFile(pkg.lzxCab));
    bytes[bytes.length - 3000]! ^= 0x40;
    const bad = join(work, 'flipped.cab');
    await fsp.writeFile(bad, bytes);
    await refused(bad, 'invalid-msi');
  });
});
