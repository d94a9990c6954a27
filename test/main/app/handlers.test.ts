import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleFileName, createHandlers, invokeChannel } from '../../../src/main/app/handlers';
import type { HandlerDeps } from '../../../src/main/app/handlers';
import { Engine } from '../../../src/main/engine/engine';
import { demoRelease, writeBzImage } from '../../../src/main/engine/sandbox/kernel-builder';
import { initSandbox } from '../../../src/main/engine/sandbox/presets';
import { openSandbox } from '../../../src/main/engine/sandbox/sandbox-machine';
import { bundledPayloadFinder } from '../../../src/main/engine/open-machine';
import type { AppEvent } from '../../../src/shared/ipc';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wslk-handlers-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function setup(preset: string, dialogs: Partial<HandlerDeps['dialogs']> = {}) {
  const root = join(dir, 'machine');
  await initSandbox(root, preset);
  let engine = new Engine(await openSandbox(root), { bundledPayload: bundledPayloadFinder([]) });
  const events: AppEvent[] = [];
  const switched: string[] = [];
  const handlers = createHandlers({
    getEngine: () => engine,
    entry: 'install',
    dialogs: { openFile: async () => null, saveFile: async () => null, pickFolder: async () => null, ...dialogs },
    emit: (e) => events.push(e),
    relaunchElevated: async () => 'unsupported',
    setMachine: async (d) => {
      switched.push(d);
      engine = new Engine(await openSandbox(d));
      return { kind: 'sandbox', label: `sandbox ${d}`, root: d };
    },
    version: '1.2.3',
    now: () => new Date('2026-01-02T03:04:05Z'),
  });
  return { root, handlers, events, switched, engine: () => engine };
}

async function kernelFile(name: string, version: string, size = 2 * 1024 * 1024): Promise<string> {
  const path = join(dir, name);
  await writeBzImage(path, { release: demoRelease(version), size });
  return path;
}

describe('invokeChannel', () => {
  it('turns a request the schema rejects into a usage error', async () => {
    const { handlers } = await setup('fresh');
    const r = await invokeChannel(handlers, 'history', { limit: -3 });
    expect(r).toMatchObject({ ok: false, error: { code: 'usage' } });
    const extra = await invokeChannel(handlers, 'status', { path: '/etc/passwd' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'usage' } });
    const badId = await invokeChannel(handlers, 'install', { payloadId: '../../kernel' });
    expect(badId).toMatchObject({ ok: false, error: { code: 'usage' } });
  });

  it('refuses an unknown channel', async () => {
    const { handlers } = await setup('fresh');
    const r = await invokeChannel(handlers, 'toString' as never, {});
    expect(r).toMatchObject({ ok: false, error: { code: 'usage' } });
  });

  it('reports a bug as io-error without its message or stack', async () => {
    const { handlers } = await setup('fresh');
    const seen: unknown[] = [];
    const broken = { ...handlers, status: async () => { throw new Error('secret /home/user/path'); } };
    const r = await invokeChannel(broken, 'status', {}, { onUnexpected: (e) => seen.push(e) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('io-error');
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(r.error.title).not.toBe('');
    expect(r.error.remedy).not.toBe('');
    expect(seen).toHaveLength(1);
  });
});

describe('handlers on a real sandbox', () => {
  it('describes the machine and the bundled demo kernel', async () => {
    const { handlers, root } = await setup('fresh');
    const r = await invokeChannel(handlers, 'info', {});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.machine).toEqual({ kind: 'sandbox', label: `sandbox ${root}`, root });
    expect(r.value.bundled).toMatchObject({ version: '6.6.36.6', arch: 'x64', demo: true });
    expect(r.value.needsElevation).toBe(false);
    expect(r.value.entry).toBe('install');
    expect(r.value.version).toBe('1.2.3');
  });

  it('installs a picked payload by id and relays progress', async () => {
    const payload = await kernelFile('picked', '6.1.21.2');
    const { handlers, events, engine } = await setup('fresh', { openFile: async () => payload });
    const pick = await invokeChannel(handlers, 'pickPayload', {});
    if (!pick.ok || !pick.value) throw new Error('pick failed');
    expect(pick.value.id).toMatch(/^[a-f0-9]{32}$/);
    expect(pick.value.name).toBe('picked');
    expect(pick.value.payload).toMatchObject({ version: '6.1.21.2' });
    const r = await invokeChannel(handlers, 'install', { payloadId: pick.value.id });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ ok: true, code: null });
    const s = await engine().readStatus();
    expect(s.kernel).toMatchObject({ present: true, version: '6.1.21.2' });
    const steps = new Set(events.flatMap((e) => (e.type === 'progress' ? [e.progress.step] : [])));
    expect(steps).toContain('stage');
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last?.type === 'progress' && last.progress.done === last.progress.total).toBe(true);
  });

  it('"choose a file" takes a cabinet: recognised by content, its kernel shown and installed', async () => {
    const { readFile, readdir, writeFile } = await import('node:fs/promises');
    const { writeCab } = await import('../../helpers/cab-writer');
    const kernel = await readFile(await kernelFile('inner', '6.1.21.3'));
    const cab = join(dir, 'download.bin');
    await writeFile(cab, writeCab([{ name: 'kernel', data: kernel }], { method: 'lzx', windowBits: 17, blocks: ['verbatim', 'uncompressed'] }));
    const { handlers, root, engine } = await setup('fresh', { openFile: async () => cab });
    const pick = await invokeChannel(handlers, 'pickPayload', {});
    if (!pick.ok || !pick.value) throw new Error('pick failed');
    expect(pick.value.payload).toMatchObject({ version: '6.1.21.3', source: { kind: 'cab', package: 'kernel-in-cab', path: cab } });
    const r = await invokeChannel(handlers, 'install', { payloadId: pick.value.id });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ ok: true });
    expect((await engine().readStatus()).kernel).toMatchObject({ present: true, version: '6.1.21.3', size: kernel.length });
    expect(await readdir(join(root, 'ProgramData/WslKernelSetup/staging')).catch(() => [])).toEqual([]);
  });

  it('refuses an id that was never picked, or one of the other kind', async () => {
    const msi = join(dir, 'wsl_update_x64.msi');
    const { handlers } = await setup('fresh', { openFile: async () => msi });
    const unknown = await invokeChannel(handlers, 'install', { payloadId: 'a'.repeat(32) });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'usage' } });
    const pick = await invokeChannel(handlers, 'pickMsi', {});
    if (!pick.ok || !pick.value) throw new Error('pick failed');
    expect(pick.value).toEqual({ id: pick.value.id, name: 'wsl_update_x64.msi' });
    const asPayload = await invokeChannel(handlers, 'plan', { payloadId: pick.value.id });
    expect(asPayload).toMatchObject({ ok: false, error: { code: 'usage' } });
  });

  it('reports a picked file that is not a kernel, without failing the pick', async () => {
    const { writeFile } = await import('node:fs/promises');
    const bogus = join(dir, 'notes.txt');
    await writeFile(bogus, 'not a kernel at all');
    const { handlers } = await setup('fresh', { openFile: async () => bogus });
    const pick = await invokeChannel(handlers, 'pickPayload', {});
    if (!pick.ok || !pick.value) throw new Error('pick failed');
    expect(pick.value.error?.code).toBe('not-a-kernel');
    expect(pick.value.payload).toBeUndefined();
  });

  it('cancels a running install before its commit point: nothing changes', async () => {
    const big = await kernelFile('big', '6.1.21.2', 32 * 1024 * 1024);
    const { handlers, root } = await setup('fresh', { openFile: async () => big });
    const pick = await invokeChannel(handlers, 'pickPayload', {});
    if (!pick.ok || !pick.value) throw new Error('pick failed');
    // The install registers its abort controller synchronously, so this cancel lands before staging ends.
    const running = handlers.install({ payloadId: pick.value.id });
    const cancelled = invokeChannel(handlers, 'cancel', {});
    const [r, c] = await Promise.all([running, cancelled]);
    expect(c).toEqual({ ok: true, value: { cancelled: true } });
    expect(r).toMatchObject({ ok: false, code: 'cancelled' });
    expect(await stat(join(root, 'Windows/System32/lxss/tools/kernel')).catch(() => null)).toBeNull();
    const idle = await invokeChannel(handlers, 'cancel', {});
    expect(idle).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('switches sandbox through the folder dialog and announces it', async () => {
    const other = join(dir, 'other');
    await initSandbox(other, 'installed');
    const { handlers, events, switched } = await setup('fresh', { pickFolder: async () => other });
    const r = await invokeChannel(handlers, 'pickSandbox', {});
    expect(r).toEqual({ ok: true, value: { kind: 'sandbox', label: `sandbox ${other}`, root: other } });
    expect(switched).toEqual([other]);
    expect(events).toContainEqual({ type: 'machine-changed', machine: { kind: 'sandbox', label: `sandbox ${other}`, root: other } });
    const status = await invokeChannel(handlers, 'status', {});
    expect(status.ok && status.value.status?.kernel).toMatchObject({ present: true, version: '5.15.153.1' });
  });

  it('returns null when a dialog is cancelled', async () => {
    const { handlers, switched } = await setup('fresh');
    expect(await invokeChannel(handlers, 'pickSandbox', {})).toEqual({ ok: true, value: null });
    expect(await invokeChannel(handlers, 'pickPayload', {})).toEqual({ ok: true, value: null });
    expect(await invokeChannel(handlers, 'saveBundle', {})).toEqual({ ok: true, value: null });
    expect(switched).toEqual([]);
  });

  it('rolls back and reports availability from the engine', async () => {
    const { handlers } = await setup('installed');
    const before = await invokeChannel(handlers, 'availability', {});
    expect(before).toMatchObject({ ok: true, value: { rollback: null, undo: { code: 'not-rolled-back' } } });
    const r = await invokeChannel(handlers, 'rollback', {});
    expect(r).toMatchObject({ ok: true, value: { ok: true, restartNeeded: true, running: ['Ubuntu', 'Debian'] } });
    const after = await invokeChannel(handlers, 'availability', {});
    expect(after).toMatchObject({ ok: true, value: { rollback: { code: 'already-rolled-back' }, undo: null } });
    const history = await invokeChannel(handlers, 'history', { limit: 1 });
    expect(history.ok && history.value.map((h) => h.op)).toEqual(['rollback']);
  });

  it('relays the elevation outcome', async () => {
    const { handlers } = await setup('fresh');
    expect(await invokeChannel(handlers, 'relaunchElevated', {})).toEqual({ ok: true, value: { outcome: 'unsupported' } });
  });
});

describe('bundleFileName', () => {
  it('names the bundle after the time', () => {
    expect(bundleFileName(new Date('2026-01-02T03:04:05Z'))).toBe('wsl-kernel-setup-diagnostics-20260102-030405.json');
  });
});

describe('diagnose with a pasted error', () => {
  it('passes the text to the engine; the schema bounds it and refuses anything but a string', async () => {
    const { handlers } = await setup('no-vm-platform');
    const r = await invokeChannel(handlers, 'diagnose', { error: 'WslRegisterDistribution failed with error: 0x80370102' });
    expect(r).toMatchObject({ ok: true, value: { ok: true, pastedError: { kind: 'virtualization-off', aboutKernel: false, findings: ['vm-platform-missing'] } } });
    const plain = await invokeChannel(handlers, 'diagnose', {});
    expect(plain.ok && plain.value.pastedError).toBeUndefined();
    expect(await invokeChannel(handlers, 'diagnose', { error: 42 })).toMatchObject({ ok: false, error: { code: 'usage' } });
    expect(await invokeChannel(handlers, 'diagnose', { error: 'x'.repeat(64 * 1024 + 1) })).toMatchObject({ ok: false, error: { code: 'usage' } });
    // Within the schema's characters but over 64 KiB of UTF-8: the engine's own bound answers.
    const wide = await invokeChannel(handlers, 'diagnose', { error: 'é'.repeat(40_000) });
    expect(wide).toMatchObject({ ok: true, value: { ok: false, code: 'usage', exitCode: 1639 } });
  });
});
