import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../src/main/engine/machine/atomic-write';
import { reachedFailpoints } from '../../../../src/main/engine/machine/failpoints';
import { nodeFs, type Fs } from '../../../../src/main/engine/machine/fs-port';
import { REG } from '../../../../src/main/engine/machine/machine';
import { SandboxRegistry } from '../../../../src/main/engine/registry/sandbox-registry';
import { KernelSetupError } from '../../../../src/shared/errors';

const HEADER = 'Windows Registry Editor Version 5.00';
let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wslk-reg-'));
  file = join(dir, 'machine.reg');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** nodeFs with one call made to fail, recording every call. */
function faultyFs(failOn: string | null, code = 'EIO'): Fs & { calls: string[] } {
  const calls: string[] = [];
  const fail = (what: string) => {
    calls.push(what);
    if (what === failOn) throw Object.assign(new Error(`${code}: injected on ${what}`), { code });
  };
  return {
    calls,
    ...nodeFs,
    async open(path, mode) {
      fail('open');
      const h = await nodeFs.open(path, mode);
      return {
        ...h,
        read: h.read.bind(h),
        stat: h.stat.bind(h),
        close: h.close.bind(h),
        async write(b, o, l, p) {
          fail('write');
          // Write half, as a full disk would, before failing on the next call.
          return h.write(b, o, Math.max(1, Math.floor(l / 2)), p);
        },
        async sync() {
          fail('sync');
          return h.sync();
        },
      };
    },
    async rename(from, to) {
      fail('rename');
      return nodeFs.rename(from, to);
    },
    async syncDir(path) {
      fail('syncDir');
      return nodeFs.syncDir(path);
    },
  };
}

describe('SandboxRegistry', () => {
  it('reads a hand-written UTF-16LE file and keeps its encoding when editing', async () => {
    const text = [HEADER, '', `[HKEY_LOCAL_MACHINE\\${REG.currentVersion}]`, '"CurrentBuild"="19045"', '"UBR"=dword:00000cb1', ''].join('\r\n');
    await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const r = new SandboxRegistry(nodeFs, file);
    expect(await r.getValue(REG.currentVersion, 'currentbuild')).toEqual({ type: 'REG_SZ', data: '19045' });
    expect(await r.keyExists('SOFTWARE\\Microsoft')).toBe(true);
    expect(await r.keyExists(REG.lxssManager)).toBe(false);

    await r.setValue(REG.lxss, REG.rollbackValue, { type: 'REG_DWORD', data: 1 });
    const bytes = await readFile(file);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.subarray(2).toString('utf16le')).toContain('"RollbackKernel"=dword:00000001\r\n');
    expect(await r.getValue(REG.currentVersion, 'UBR')).toEqual({ type: 'REG_DWORD', data: 0xcb1 });
    expect(await r.getValue(REG.lxss, REG.rollbackValue)).toEqual({ type: 'REG_DWORD', data: 1 });

    await r.deleteValue(REG.lxss, REG.rollbackValue);
    expect(await r.getValue(REG.lxss, REG.rollbackValue)).toBeNull();
    expect(await readdir(dir)).toEqual(['machine.reg']);
  });

  it('treats a missing file as empty, and creates it (UTF-8) on the first write only', async () => {
    const r = new SandboxRegistry(nodeFs, file);
    expect(await r.keyExists(REG.lxssManager)).toBe(false);
    expect(await r.getValue(REG.currentVersion, 'CurrentBuild')).toBeNull();
    await r.deleteValue(REG.lxss, REG.rollbackValue);
    expect(await readdir(dir)).toEqual([]);
    await r.setValue(REG.detection, REG.detectionValue, { type: 'REG_SZ', data: '5.15.153.1' });
    expect((await readFile(file, 'utf8')).startsWith(`${HEADER}\r\n`)).toBe(true);
    expect(await r.getValue(REG.detection, 'kernelversion')).toEqual({ type: 'REG_SZ', data: '5.15.153.1' });
  });

  it('sees hand edits made between calls', async () => {
    const r = new SandboxRegistry(nodeFs, file);
    await r.setValue('SOFTWARE\\A', 'x', { type: 'REG_DWORD', data: 1 });
    await writeFile(file, `${HEADER}\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\A]\n"x"=dword:2\n`);
    expect(await r.getValue('SOFTWARE\\A', 'x')).toEqual({ type: 'REG_DWORD', data: 2 });
  });

  it('reports a malformed file with its line, and never overwrites it', async () => {
    const bad = `${HEADER}\r\n\r\n[HKEY_LOCAL_MACHINE\\A]\r\n"x"=dword:zz\r\n`;
    await writeFile(file, bad);
    const r = new SandboxRegistry(nodeFs, file);
    for (const call of [
      () => r.getValue('A', 'x'),
      () => r.keyExists('A'),
      () => r.setValue('A', 'y', { type: 'REG_SZ', data: 'fixed' }),
      () => r.deleteValue('A', 'x'),
      () => r.deleteKey('A'),
    ]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KernelSetupError);
      expect((err as KernelSetupError).code).toBe('invalid-machine');
      expect((err as KernelSetupError).message).toMatch(/^machine\.reg line 4: bad dword/);
    }
    expect(await readFile(file, 'utf8')).toBe(bad);
    expect(await readdir(dir)).toEqual(['machine.reg']);
  });

  it('serializes concurrent edits so none is lost', async () => {
    const r = new SandboxRegistry(nodeFs, file);
    await Promise.all(Array.from({ length: 20 }, (_, i) => r.setValue('K', `v${i}`, { type: 'REG_DWORD', data: i })));
    for (let i = 0; i < 20; i++) expect(await r.getValue('K', `v${i}`)).toEqual({ type: 'REG_DWORD', data: i });
    expect(await readdir(dir)).toEqual(['machine.reg']);
  });

  it('deletes keys with their subkeys', async () => {
    const r = new SandboxRegistry(nodeFs, file);
    await r.setValue('A\\B', 'x', { type: 'REG_SZ', data: '1' });
    await r.deleteKey('a');
    expect(await r.keyExists('A')).toBe(false);
  });

  it.each(['open', 'write', 'sync', 'rename'])('keeps the old file and leaves no temp when %s fails', async (step) => {
    await new SandboxRegistry(nodeFs, file).setValue('K', 'x', { type: 'REG_SZ', data: 'old' });
    const before = await readFile(file);
    const fs = faultyFs(step);
    const err = await new SandboxRegistry(fs, file).setValue('K', 'x', { type: 'REG_SZ', data: 'new' }).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('EIO');
    expect(await readFile(file)).toEqual(before);
    expect(await readdir(dir)).toEqual(['machine.reg']);
  });
});

describe('writeFileAtomic', () => {
  it('writes through a temp file in the same folder, flushing before and after the rename', async () => {
    const fs = faultyFs(null);
    const target = join(dir, 'state.json');
    await writeFile(target, 'old');
    const data = Buffer.from('x'.repeat(10_000));
    await writeFileAtomic(fs, target, data, 'state');
    expect(await readFile(target)).toEqual(data);
    expect(await readdir(dir)).toEqual(['state.json']);
    // Short writes are retried; sync comes before the rename, syncDir after it.
    const order = fs.calls.filter((c) => c !== 'write');
    expect(order).toEqual(['open', 'sync', 'rename', 'syncDir']);
    expect(fs.calls.filter((c) => c === 'write').length).toBeGreaterThan(1);
    expect(reachedFailpoints()).toEqual(expect.arrayContaining(['state.after-temp', 'state.after-rename']));
  });

  it('writes empty data and creates a missing target', async () => {
    const target = join(dir, 'new.bin');
    await writeFileAtomic(nodeFs, target, new Uint8Array(0));
    expect((await readFile(target)).length).toBe(0);
  });

  it('reports a failed folder flush after the rename (the new contents are in place)', async () => {
    const target = join(dir, 'state.json');
    const err = await writeFileAtomic(faultyFs('syncDir'), target, Buffer.from('new')).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('EIO');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('fails cleanly when the folder does not exist', async () => {
    const err = await writeFileAtomic(nodeFs, join(dir, 'missing', 'f'), Buffer.from('x')).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(await readdir(dir)).toEqual([]);
  });
});
