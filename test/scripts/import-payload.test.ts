/**
 * `npm run payload -- <kernel file>` (scripts/import-payload.mts): copies a real kernel into the
 * payload folder with a manifest read from the file itself, and refuses anything else.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPayload, runImport } from '../../scripts/lib/payload-import';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { demoRelease, writeArm64Image, writeBzImage } from '../../src/main/engine/sandbox/kernel-builder';
import { resolvePayload } from '../../src/main/engine/kernel/payload';
import { REAL_KERNEL_CACHE } from '../helpers/debian-kernel';
import { ROOT, tempDir } from '../helpers/sandbox';

const exec = promisify(execFile);

async function importCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'import-payload.mts'), ...args], { cwd: ROOT }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
  );
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

let t: { dir: string; cleanup(): Promise<void> };
let out: string;
beforeEach(async () => {
  t = await tempDir('wslk-import-');
  out = join(t.dir, 'payload');
});
afterEach(async () => {
  await t.cleanup();
});

describe('importing a kernel', () => {
  it('copies an x64 kernel and writes the manifest from its header and hash', async () => {
    const source = join(t.dir, 'bzImage');
    await writeBzImage(source, { release: '5.15.153.1-microsoft-standard-WSL2', size: 3 * 1024 * 1024 + 17 });
    const r = await importCli([source, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('5.15.153.1-microsoft-standard-WSL2 (x64');
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Record<string, string>;
    expect(manifest).toEqual({ version: '5.15.153.1', release: '5.15.153.1-microsoft-standard-WSL2', arch: 'x64', sha256: await sha256(source) });
    expect(await sha256(join(out, 'kernel'))).toBe(manifest.sha256);
    // The folder is a payload the engine accepts, and nothing else was left behind.
    expect((await resolvePayload(nodeFs, out)).release).toBe(manifest.release);
    expect(readdirSync(out).sort()).toEqual(['kernel', 'manifest.json']);
  });

  it('puts an arm64 kernel in <out>/arm64 with --arch-folder', async () => {
    const source = join(t.dir, 'Image');
    await writeArm64Image(source, { release: '6.6.36.6-microsoft-standard-WSL2-arm64', size: 2 * 1024 * 1024 });
    const r = await importCli([source, '--out', out, '--arch-folder']);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, 'arm64', 'manifest.json'), 'utf8')) as Record<string, string>;
    expect(manifest).toMatchObject({ version: '6.6.36.6', arch: 'arm64', sha256: await sha256(source) });
    expect(existsSync(join(out, 'kernel'))).toBe(false);
  });

  it('replaces an earlier import, kernel and manifest together', async () => {
    const first = join(t.dir, 'a');
    const second = join(t.dir, 'b');
    await writeBzImage(first, { release: '5.10.102.1-microsoft-standard', size: 1 << 20 });
    await writeBzImage(second, { release: '5.15.153.1-microsoft-standard-WSL2', size: 1 << 20 });
    await importPayload({ source: first, outDir: out });
    const r = await importPayload({ source: second, outDir: out });
    expect(r.manifest.version).toBe('5.15.153.1');
    expect(await sha256(join(out, 'kernel'))).toBe(await sha256(second));
    expect((await resolvePayload(nodeFs, out)).version).toBe('5.15.153.1');
  });

  it('warns when an <arch> folder would shadow the imported kernel', async () => {
    const source = join(t.dir, 'k');
    await writeBzImage(source, { release: '5.15.153.1-microsoft-standard-WSL2' });
    await importPayload({ source, outDir: out, archFolder: true });
    const r = await importPayload({ source, outDir: out });
    expect(r.warnings).toEqual([expect.stringContaining(join('x64', 'kernel'))]);
  });
});

describe('refusals, with the error code and the remedy', () => {
  it('refuses a file that is not a kernel, and writes nothing', async () => {
    const source = join(t.dir, 'wsl_update_x64.msi');
    await writeFile(source, Buffer.alloc(4096, 0x41));
    const r = await importCli([source, '--out', out]);
    expect(r.code).toBe(1603 & 0xff);
    expect(r.stderr).toContain('error [not-a-kernel]: This file is not a Linux kernel');
    expect(r.stderr).toContain('Remedy: ');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses the sandbox demo kernel', async () => {
    const source = join(t.dir, 'demo');
    await writeBzImage(source, { release: demoRelease('6.6.36.6') });
    const r = await importCli([source, '--out', out]);
    expect(r.code).toBe(1603 & 0xff);
    expect(r.stderr).toContain('[not-a-kernel]');
    expect(r.stderr).toContain('demo kernel');
    expect(existsSync(join(out, 'kernel'))).toBe(false);
  });

  it('refuses a missing file, a folder, a missing argument and an unknown option', async () => {
    const run = async (argv: string[]) => {
      const text: string[] = [];
      const code = await runImport(argv, ROOT, { log: (s) => text.push(s), error: (s) => text.push(s) });
      return { code, text: text.join('') };
    };
    expect(await run([join(t.dir, 'nope'), '--out', out])).toMatchObject({ code: 1603, text: expect.stringContaining('does not exist') });
    expect(await run([t.dir, '--out', out])).toMatchObject({ code: 1603, text: expect.stringContaining('is not a file') });
    expect(await run(['--out', out])).toMatchObject({ code: 1639, text: expect.stringContaining('Usage: npm run payload') });
    expect(await run(['k', '--force'])).toMatchObject({ code: 1639, text: expect.stringContaining('Unknown argument "--force"') });
    expect(existsSync(out)).toBe(false);
    const usage = await importCli([]);
    expect(usage.code).toBe(1639 & 0xff);
    expect(usage.stderr).toContain('Usage: npm run payload');
  });

  it('leaves the previous payload intact when the new file is refused', async () => {
    const good = join(t.dir, 'good');
    await writeBzImage(good, { release: '5.15.153.1-microsoft-standard-WSL2' });
    await importPayload({ source: good, outDir: out });
    const bad = join(t.dir, 'bad');
    await writeFile(bad, 'not a kernel');
    await expect(importPayload({ source: bad, outDir: out })).rejects.toMatchObject({ code: 'not-a-kernel' });
    expect((await resolvePayload(nodeFs, out)).version).toBe('5.15.153.1');
  });
});

describe('the real Debian kernel', () => {
  function findVmlinuz(dir: string): string | null {
    if (!existsSync(dir)) return null;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        const found = findVmlinuz(path);
        if (found) return found;
      } else if (name.startsWith('vmlinuz-')) return path;
    }
    return null;
  }
  const real = findVmlinuz(REAL_KERNEL_CACHE);

  it.skipIf(!real)(`imports ${real ?? `(no vmlinuz cached in ${REAL_KERNEL_CACHE})`}`, async () => {
    const r = await importCli([real!, '--out', out, '--arch-folder']);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, 'x64', 'manifest.json'), 'utf8')) as Record<string, string>;
    const release = real!.split('vmlinuz-')[1]!;
    expect(manifest).toEqual({ version: release.split('-')[0], release, arch: 'x64', sha256: await sha256(real!) });
  });
});
