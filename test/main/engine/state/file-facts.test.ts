/**
 * Facts about kernel files outside the slots (WSL's own kernel, a .wslconfig kernel) are
 * remembered by file identity: read once, trusted while unchanged, read again when the file changes.
 */
import { readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fs } from '../../../../src/main/engine/machine/fs-port';
import { nodeFs } from '../../../../src/main/engine/machine/fs-port';
import { openSandbox } from '../../../../src/main/engine/sandbox/sandbox-machine';
import { inspectKernelCached } from '../../../../src/main/engine/state/file-facts';
import { kernel, tempDir } from '../../../helpers/sandbox';
import { initSandbox } from '../../../../src/main/engine/sandbox/presets';

const dirs: { cleanup(): Promise<void> }[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await d.cleanup();
});

/** An Fs that counts the files opened for reading. */
function counting(): { fs: Fs; opened: string[] } {
  const opened: string[] = [];
  return { opened, fs: { ...nodeFs, open: (p, mode) => (opened.push(p), nodeFs.open(p, mode)) } };
}

async function setup() {
  const t = await tempDir('wslk-file-facts-');
  dirs.push(t);
  const root = join(t.dir, 'machine');
  await initSandbox(root, 'store-fresh');
  const c = counting();
  const machine = await openSandbox(root, c.fs);
  const k = await kernel(t.dir, '6.6.40.1');
  return { t, root, machine, k, opened: c.opened };
}

const cachePath = (root: string) => join(root, 'ProgramData', 'WslKernelSetup', 'facts-cache.json');

describe('facts of kernel files outside the slots', () => {
  it('reads a file once and trusts the facts while it is unchanged', async () => {
    const { machine, k, opened } = await setup();
    const st = (await machine.fs.stat(k))!;
    const first = await inspectKernelCached(machine, k, st);
    expect(first.header.version).toBe('6.6.40.1');
    const reads = opened.filter((p) => p === k).length;
    expect(reads).toBeGreaterThan(0);
    const second = await inspectKernelCached(machine, k, st);
    expect(second).toEqual(first);
    expect(opened.filter((p) => p === k).length).toBe(reads);
  });

  it('reads the file again when it changed (size, time or file id), never a stale hash', async () => {
    const { t, machine, k } = await setup();
    const first = await inspectKernelCached(machine, k, (await machine.fs.stat(k))!);
    // Same size, new contents and time: a replaced file.
    const other = await kernel(t.dir, '6.6.50.1');
    await writeFile(k, await readFile(other));
    await utimes(k, new Date(), new Date(Date.now() + 5000));
    const again = await inspectKernelCached(machine, k, (await machine.fs.stat(k))!);
    expect(again.header.version).toBe('6.6.50.1');
    expect(again.sha256).not.toBe(first.sha256);
  });

  it("keeps the slots' entries, ignores a damaged entry, and reads on with no cache at all", async () => {
    const { root, machine, k } = await setup();
    const st = (await machine.fs.stat(k))!;
    const slotEntry = { size: 1, mtimeMs: 2, ino: 3, sha256: 'a'.repeat(64), header: null, problem: 'not-a-kernel' };
    await writeFile(cachePath(root), JSON.stringify({ kernel: slotEntry, [`file:${k}`]: { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, sha256: 'not a hash', header: 7 } }));
    const facts = await inspectKernelCached(machine, k, st);
    expect(facts.header.version).toBe('6.6.40.1');
    const saved = JSON.parse(await readFile(cachePath(root), 'utf8')) as Record<string, unknown>;
    expect(saved.kernel).toEqual(slotEntry);
    expect(saved[`file:${k}`]).toMatchObject({ sha256: facts.sha256 });
    await rm(cachePath(root));
    await writeFile(cachePath(root), '{"kernel": ');
    expect((await inspectKernelCached(machine, k, st)).sha256).toBe(facts.sha256);
  });

  it('store status hashes WSL\'s own kernel once, not on every call', async () => {
    const { root, machine, opened } = await setup();
    const { Engine } = await import('../../../../src/main/engine/engine');
    const engine = new Engine(machine);
    const wslKernel = join(root, 'Program Files', 'WSL', 'tools', 'kernel');
    expect((await engine.status()).status?.defaultKernel?.kernel).toMatchObject({ present: true, version: expect.any(String) });
    expect(opened.filter((p) => p === wslKernel).length).toBeGreaterThan(0);
    const c = counting();
    const again = new Engine(await openSandbox(root, c.fs));
    expect((await again.status()).status?.defaultKernel?.kernel).toMatchObject({ present: true });
    expect(c.opened.filter((p) => p === wslKernel)).toEqual([]);
  });
});
