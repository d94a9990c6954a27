/**
 * The beforePack hook (scripts/lib/payload-check.ts, bundled as out/build/before-pack.cjs): a
 * packaged build refuses to build without a real kernel for the architecture being built; the
 * sandbox's demo kernel never ships.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPayload } from '../../scripts/lib/payload-check';
import { importPayload } from '../../scripts/lib/payload-import';
import { demoRelease, writeArm64Image, writeBzImage } from '../../src/main/engine/sandbox/kernel-builder';
import { inspectKernel } from '../../src/main/engine/kernel/kernel-image';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { ROOT, tempDir } from '../helpers/sandbox';

const hook = checkPayload;

/** electron-builder's Arch enum values. */
const X64 = 1;
const ARM64 = 3;

let t: { dir: string; cleanup(): Promise<void> };
let payload: string;
beforeEach(async () => {
  t = await tempDir('wslk-check-payload-');
  payload = join(t.dir, 'assets', 'payload');
  await mkdir(payload, { recursive: true });
});
afterEach(async () => {
  await t.cleanup();
});

/** The context electron-builder passes to beforePack (the fields the hook reads). */
function context(arch: number) {
  return { arch, packager: { projectDir: t.dir }, electronPlatformName: 'win32' };
}

async function realKernel(release: string, arch: 'x64' | 'arm64' = 'x64'): Promise<string> {
  const file = join(t.dir, `${arch}-${release}`);
  if (arch === 'x64') await writeBzImage(file, { release });
  else await writeArm64Image(file, { release });
  return file;
}

/** A payload written by hand (as someone might), with a manifest that matches the file. */
async function handWritten(folder: string, release: string, arch: 'x64' | 'arm64' = 'x64'): Promise<void> {
  await mkdir(folder, { recursive: true });
  const kernel = join(folder, 'kernel');
  if (arch === 'x64') await writeBzImage(kernel, { release });
  else await writeArm64Image(kernel, { release });
  const facts = await inspectKernel(nodeFs, kernel);
  await writeFile(join(folder, 'manifest.json'), JSON.stringify({ version: facts.header.version, release, arch, sha256: facts.sha256 }));
}

describe('the packaging gate', () => {
  it('refuses an empty payload folder', async () => {
    await expect(hook(context(X64))).rejects.toThrow(/Packaging refused \[kernel-missing\][\s\S]*npm run payload/);
  });

  it('accepts a kernel imported with npm run payload', async () => {
    await importPayload({ source: await realKernel('5.15.153.1-microsoft-standard-WSL2'), outDir: payload });
    const info = await hook(context(X64));
    expect(info).toMatchObject({ version: '5.15.153.1', arch: 'x64', demo: false });
  });

  it('refuses the demo kernel, even with a matching manifest', async () => {
    await handWritten(payload, demoRelease('6.6.36.6'));
    await expect(hook(context(X64))).rejects.toThrow(/\[not-a-kernel\][\s\S]*demo kernel \(6\.6\.36\.6-wslk-demo\)/);
  });

  it('refuses a kernel without its manifest', async () => {
    await writeBzImage(join(payload, 'kernel'), { release: '5.15.153.1-microsoft-standard-WSL2' });
    await expect(hook(context(X64))).rejects.toThrow(/\[checksum-mismatch\][\s\S]*no manifest\.json/);
  });

  it('refuses a kernel that does not match its manifest', async () => {
    await importPayload({ source: await realKernel('5.15.153.1-microsoft-standard-WSL2'), outDir: payload });
    const manifest = JSON.parse(await readFile(join(payload, 'manifest.json'), 'utf8')) as Record<string, string>;
    await writeFile(join(payload, 'manifest.json'), JSON.stringify({ ...manifest, sha256: '0'.repeat(64) }));
    await expect(hook(context(X64))).rejects.toThrow(/\[checksum-mismatch\]/);
  });

  it('refuses a file that is not a kernel', async () => {
    await writeFile(join(payload, 'kernel'), 'placeholder');
    await writeFile(join(payload, 'manifest.json'), '{}');
    await expect(hook(context(X64))).rejects.toThrow(/\[not-a-kernel\]/);
  });

  it('needs a kernel of the architecture being built', async () => {
    await importPayload({ source: await realKernel('5.15.153.1-microsoft-standard-WSL2'), outDir: payload });
    await expect(hook(context(ARM64))).rejects.toThrow(/\[wrong-architecture\][\s\S]*this build is for arm64/);
    await importPayload({ source: await realKernel('5.15.153.1-microsoft-standard-WSL2-arm64', 'arm64'), outDir: payload, archFolder: true });
    expect((await hook(context(ARM64))).arch).toBe('arm64');
    expect((await hook(context(X64))).arch).toBe('x64');
  });

  it('refuses architectures WSL has no kernel for', async () => {
    await importPayload({ source: await realKernel('5.15.153.1-microsoft-standard-WSL2'), outDir: payload });
    await expect(hook(context(0))).rejects.toThrow(/x64 and arm64 only/);
  });

  it('runs by hand, with an exit code', async () => {
    const run = promisify(execFile);
    const script = ['--import', 'tsx', join(ROOT, 'scripts', 'check-payload.mts')];
    await expect(run(process.execPath, [...script, '--arch', 'x64', '--dir', payload], { cwd: ROOT })).rejects.toMatchObject({ code: 1 });
    await handWritten(join(payload, 'x64'), '5.15.153.1-microsoft-standard-WSL2');
    const ok = await run(process.execPath, [...script, '--arch', 'x64', '--dir', payload], { cwd: ROOT });
    expect(ok.stdout).toContain('bundled kernel 5.15.153.1-microsoft-standard-WSL2 (x64)');
  });
});
