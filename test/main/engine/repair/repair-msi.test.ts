/**
 * repair --from-msi: the kernel taken out of a wixl-built wsl_update_x64.msi is byte-identical to
 * the one packed (and to what msiextract gets), is installed by the rules of docs/design.md §5, and
 * malformed or unsuitable packages are refused with nothing changed.
 */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../../src/shared/types';
import { demoRelease, writeBzImage } from '../../../../src/main/engine/sandbox/kernel-builder';
import { cli } from '../../../helpers/sandbox';
import { HAVE_WIXL, assertHealthy, box, buildMsi, msiextractKernel, stateDir, tools, tree, writeKernel } from '../../../helpers/repair-fixtures';
import type { Box } from '../../../helpers/repair-fixtures';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const fileSha = async (p: string) => sha(await fsp.readFile(p));

const suite = HAVE_WIXL ? describe : describe.skip;
if (!HAVE_WIXL) console.warn('Skipping the MSI repair tests: wixl / msiextract are not installed (apt-get install wixl msitools).');

let work: string;
let msi: { newer: string; older: string; bad: string; arm: string; notKernel: string; noKernel: string };
let newerKernel: Buffer;

beforeAll(async () => {
  if (!HAVE_WIXL) return;
  work = await fsp.mkdtemp(join(tmpdir(), 'wslk-repair-msi-'));
  const k = async (name: string, version: string, arch: 'x64' | 'arm64' = 'x64') =>
    fsp.readFile(await writeKernel(join(work, name), version, { arch, size: (3 << 19) + 4321 }));
  // Bad names full releases: a build of the release the `rolled-back` preset rolled back from.
  const rolledBackFrom = async () => {
    await writeBzImage(join(work, 'bad'), { release: demoRelease('5.15.153.1'), size: (3 << 19) + 4321 });
    return fsp.readFile(join(work, 'bad'));
  };
  newerKernel = await k('newer', '6.1.21.2');
  const pack = (dir: string, data: Buffer, name = 'kernel') => buildMsi(join(work, dir), [{ id: 'kernel', name, data }]);
  msi = {
    newer: await pack('m-newer', newerKernel),
    older: await pack('m-older', await k('older', '5.4.72.1')),
    bad: await pack('m-bad', await rolledBackFrom()),
    arm: await pack('m-arm', await k('arm', '6.1.21.2', 'arm64')),
    notKernel: await pack('m-notkernel', Buffer.from('This is a text file, not a kernel.\n'.repeat(500))),
    noKernel: await pack('m-nokernel', Buffer.from('readme'), 'README.txt'),
  };
});
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

suite('installing the kernel of a wixl-built MSI', () => {
  it('the package holds the kernel byte for byte, as msiextract confirms', async () => {
    expect(sha(await msiextractKernel(msi.newer, join(work, 'x-newer')))).toBe(sha(newerKernel));
  });

  it('fresh machine: repair --from-msi installs exactly that kernel', async () => {
    const b = await open('fresh');
    const r = await (await b.fresh()).repair({ fromMsi: msi.newer });
    expect(r.ok, r.message).toBe(true);
    expect(r.applied).toEqual(['install-from-msi']);
    expect(await fileSha(tools(b.root, 'kernel'))).toBe(sha(newerKernel));
    expect(r.status?.kernel).toMatchObject({ version: '6.1.21.2', size: newerKernel.length });
    await stagingEmpty(b);
    await assertHealthy(b);
  });

  it('installed machine: an update by the usual rules (the current kernel becomes kernel.rollback)', async () => {
    const b = await open('installed');
    const current = await fileSha(tools(b.root, 'kernel'));
    const r = await (await b.fresh()).repair({ fix: 'install-from-msi', fromMsi: msi.newer });
    expect(r.ok, r.message).toBe(true);
    expect(await fileSha(tools(b.root, 'kernel.rollback'))).toBe(current);
    await assertHealthy(b);
  });

  it('a damaged kernel: kept aside, replaced by the MSI kernel, kernel.rollback kept', async () => {
    const b = await open('corrupt-kernel');
    const rollback = await fileSha(tools(b.root, 'kernel.rollback'));
    const r = await (await b.fresh()).repair({ fromMsi: msi.newer });
    expect(r.ok, r.message).toBe(true);
    expect(await fileSha(tools(b.root, 'kernel'))).toBe(sha(newerKernel));
    expect(await fileSha(tools(b.root, 'kernel.rollback'))).toBe(rollback);
    expect((await fsp.readdir(stateDir(b.root, 'quarantine'))).some((n) => n.endsWith('-kernel'))).toBe(true);
    await assertHealthy(b);
  });

  it('--fix reinstall --from-msi replaces a tampered kernel with the package one', async () => {
    const b = await open('tampered');
    const r = await (await b.fresh()).repair({ fix: 'reinstall', fromMsi: msi.newer });
    expect(r.ok, r.message).toBe(true);
    expect(r.findings).toEqual([]);
    await assertHealthy(b);
  });

  it('through the CLI', async () => {
    const b = await open('fresh');
    const run = await cli(['repair', '--from-msi', msi.newer, '--machine', b.root, '--json'], { WSLK_PAYLOAD: b.payload });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.applied).toEqual(['install-from-msi']);
    expect(await fileSha(tools(b.root, 'kernel'))).toBe(sha(newerKernel));
  });
});

suite('refusals leave the machine as it was', () => {
  async function refused(preset: string, file: string, code: string, exit: number): Promise<CommandResult> {
    const b = await open(preset);
    const before = await tree(b.root);
    const r = await (await b.fresh()).repair({ fromMsi: file });
    expect(r.ok).toBe(false);
    expect(r.code, r.message).toBe(code);
    expect(r.exitCode).toBe(exit);
    expect(await tree(b.root)).toEqual(before);
    await stagingEmpty(b);
    return r;
  }

  it('a kernel older than the installed one: downgrade-refused (1638)', async () => {
    await refused('installed', msi.older, 'downgrade-refused', 1638);
  });

  it('a version the user rolled back from: version-marked-bad', async () => {
    await refused('rolled-back', msi.bad, 'version-marked-bad', 1603);
  });

  it('an ARM64 kernel on an x64 machine: wrong-architecture (1633)', async () => {
    await refused('fresh', msi.arm, 'wrong-architecture', 1633);
  });

  it('a package whose "kernel" is not a kernel: not-a-kernel', async () => {
    const r = await refused('fresh', msi.notKernel, 'not-a-kernel', 1603);
    expect(r.message).toContain('not a Linux kernel');
  });

  it('a package without a kernel: invalid-msi', async () => {
    await refused('fresh', msi.noKernel, 'invalid-msi', 1603);
  });

  it.each([
    ['truncated to half', async (p: string) => fsp.writeFile(p, (await fsp.readFile(msi.newer)).subarray(0, 40_000))],
    ['random bytes', (p: string) => fsp.writeFile(p, createHash('sha512').update('x').digest().toString('hex').repeat(300))],
    ['empty', (p: string) => fsp.writeFile(p, '')],
    ['a folder', (p: string) => fsp.mkdir(p)],
  ])('malformed package (%s): invalid-msi', async (_name, make) => {
    const p = join(work, `bad-${_name.replace(/\W/g, '')}.msi`);
    await fsp.rm(p, { recursive: true, force: true });
    await make(p);
    await refused('fresh', p, 'invalid-msi', 1603);
  });

  it('a package that does not exist: invalid-msi', async () => {
    await refused('kernel-missing', join(work, 'nope.msi'), 'invalid-msi', 1603);
  });
});
