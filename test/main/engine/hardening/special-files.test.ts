/**
 * Files read from outside must be regular files within a size limit (docs/design.md, "Files read
 * from outside"): a FIFO, a device or a link to one is refused with a specific code, never read,
 * and never hangs the process while it holds the operation lock.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile, copyFile, stat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { READ_LIMITS, readRegularFile } from '../../../../src/main/engine/machine/bounded-read';
import { nodeFs } from '../../../../src/main/engine/machine/fs-port';
import { statePaths } from '../../../../src/main/engine/state/state-files';
import { kernel, sandbox } from '../../../helpers/sandbox';

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);
const posix = process.platform !== 'win32';

let boxes: { cleanup(): Promise<void> }[] = [];
afterEach(async () => {
  for (const b of boxes) await b.cleanup();
  boxes = [];
});

async function box(preset = 'installed') {
  const b = await sandbox(preset);
  boxes.push(b);
  return b;
}

async function lockIsFree(root: string, engine: Awaited<ReturnType<typeof sandbox>>['engine']): Promise<void> {
  expect(await stat(statePaths(engine.machine).lock).catch(() => null), `lock released in ${root}`).toBeNull();
}

describe.runIf(posix)('special files as payloads', () => {
  it('a FIFO payload is not-a-kernel, at once', async () => {
    const b = await box();
    const fifo = join(b.work, 'pipe');
    mkfifo(fifo);
    const r = await b.engine.install({ payload: fifo });
    expect(r).toMatchObject({ ok: false, code: 'not-a-kernel', exitCode: 1603 });
    await lockIsFree(b.root, b.engine);
  }, 10_000);

  it('a link to /dev/zero and /dev/null itself are not-a-kernel (not io-error ENOTDIR)', async () => {
    const b = await box();
    const zero = join(b.work, 'zero');
    await symlink('/dev/zero', zero);
    for (const p of [zero, '/dev/null']) {
      const r = await b.engine.install({ payload: p });
      expect(r.code, p).toBe('not-a-kernel');
      expect(r.message).not.toMatch(/ENOTDIR/);
    }
  }, 10_000);

  it('a payload folder whose manifest.json is a FIFO or a link to /dev/zero is refused, lock released', async () => {
    const b = await box();
    const folder = join(b.work, 'payload');
    await mkdir(folder);
    await copyFile(await kernel(b.work, '6.6.40.1'), join(folder, 'kernel'));
    mkfifo(join(folder, 'manifest.json'));
    let r = await b.engine.install({ payload: folder });
    expect(r).toMatchObject({ ok: false, code: 'not-a-kernel' });
    expect(r.message).toMatch(/manifest\.json/);
    await lockIsFree(b.root, b.engine);
    await rm(join(folder, 'manifest.json'));
    await symlink('/dev/zero', join(folder, 'manifest.json'));
    r = await b.engine.install({ payload: folder });
    expect(r).toMatchObject({ ok: false, code: 'not-a-kernel' });
    await rm(join(folder, 'manifest.json'));
    await rm(join(folder, 'kernel'));
    await symlink('/dev/zero', join(folder, 'kernel'));
    r = await b.engine.install({ payload: folder });
    expect(r).toMatchObject({ ok: false, code: 'not-a-kernel' });
  }, 15_000);

  it('an oversized manifest is refused before it is read', async () => {
    const b = await box();
    const folder = join(b.work, 'payload');
    await mkdir(folder);
    await copyFile(await kernel(b.work, '6.6.40.1'), join(folder, 'kernel'));
    await writeFile(join(folder, 'manifest.json'), ' '.repeat(READ_LIMITS.manifest + 1));
    const r = await b.engine.install({ payload: folder });
    expect(r).toMatchObject({ ok: false, code: 'not-a-kernel' });
    expect(r.message).toMatch(/more than/);
  });

  it('an MSI that is a FIFO is invalid-msi, at once', async () => {
    const b = await box('fresh');
    const fifo = join(b.work, 'wsl_update_x64.msi');
    mkfifo(fifo);
    const r = await b.engine.repair({ fromMsi: fifo });
    expect(r.code).toBe('invalid-msi');
  }, 10_000);
});

describe.runIf(posix)('special files in a machine folder', () => {
  it('machine.reg as a FIFO is invalid-machine, not a hang', async () => {
    const b = await box();
    await rm(join(b.root, 'machine.reg'));
    mkfifo(join(b.root, 'machine.reg'));
    const r = await b.engine.status();
    expect(r).toMatchObject({ ok: false, code: 'invalid-machine' });
  }, 10_000);

  it('a kernel slot that is a FIFO counts as missing, and status answers', async () => {
    const b = await box('fresh');
    mkfifo(join(b.engine.machine.toolsDir, 'kernel'));
    const r = await b.engine.status();
    expect(r.ok).toBe(true);
    expect(r.status?.kernel).toEqual({ present: false });
  }, 10_000);

  it('readRegularFile never reads more than its limit, whatever the file claims', async () => {
    const b = await box('fresh');
    await expect(readRegularFile(nodeFs, '/dev/zero', { code: 'invalid-machine', what: 'x', maxBytes: 10 })).rejects.toMatchObject({ code: 'invalid-machine' });
    const big = join(b.work, 'big');
    await writeFile(big, Buffer.alloc(11));
    await expect(readRegularFile(nodeFs, big, { code: 'invalid-machine', what: 'x', maxBytes: 10 })).rejects.toThrow(/more than the 10 bytes/);
    expect((await readRegularFile(nodeFs, big, { code: 'invalid-machine', what: 'x', maxBytes: 11 })).length).toBe(11);
  });
});
