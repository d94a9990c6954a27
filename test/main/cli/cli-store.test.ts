/** The seed story through the CLI on every store-WSL preset (docs/design.md §11). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, kernel, tempDir } from '../../helpers/sandbox';

let work: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => (work = await tempDir()));
afterAll(() => work.cleanup());

const BOOT = 'C:\\ProgramData\\WslKernelSetup\\boot\\kernel';
const wslconfigOf = (m: string) => readFile(join(m, 'Users', 'alice', '.wslconfig')).catch(() => null);

describe.each([
  ['store-fresh', false],
  ['store-custom', true],
  ['store-bad-escape', true],
  ['store-missing-custom', true],
  ['store-policy-blocked', true],
])('%s: install A, update B, rollback, update C, undo, refusal of B, use-default', (preset, foreign) => {
  it('walks the story', async () => {
    const m = join(work.dir, preset);
    expect((await cli(['sandbox', 'init', m, '--preset', preset, '--json'])).code).toBe(0);
    const before = await wslconfigOf(m);
    const statusBefore = (await cli(['status', '--machine', m, '--json'])).json.status!;
    const [A, B, C] = await Promise.all(['6.6.40.1', '6.6.50.1', '6.6.60.1'].map((v) => kernel(work.dir, `${v}`)));
    const run = async (...args: string[]) => (await cli([...args, '--machine', m, '--json'])).json;

    let r = await run('install', '--payload', A!);
    if (foreign) {
      expect(r).toMatchObject({ ok: false, code: 'wslconfig-foreign-kernel', exitCode: 1603 });
      expect(await wslconfigOf(m)).toEqual(before);
      r = await run('install', '--payload', A!, '--take-over');
    }
    expect(r, r.message).toMatchObject({ ok: true, code: null });
    const blocked = preset === 'store-policy-blocked';
    expect(r.status).toMatchObject({ flavour: 'store', storeSlots: { kernel: { version: '6.6.40.1' }, rollbackKernel: { present: false }, users: ['alice'] } });
    if (blocked) {
      expect(r.status?.boot).toMatchObject({ source: 'default', toolOwned: false });
      expect(r.warnings?.[0]?.id).toBe('not-booted');
    } else {
      expect(r.status?.boot).toMatchObject({ source: 'wslconfig', path: BOOT, toolOwned: true, kernel: { version: '6.6.40.1' }, error: null });
    }
    const edited = (await wslconfigOf(m))!.toString('utf8');
    expect(edited).toContain('kernel=C:\\\\ProgramData\\\\WslKernelSetup\\\\boot\\\\kernel');

    r = await run('install', '--payload', B!);
    expect(r.status?.storeSlots).toMatchObject({ kernel: { version: '6.6.50.1' }, rollbackKernel: { version: '6.6.40.1' }, rollbackActive: false });
    r = await run('rollback');
    expect(r).toMatchObject({ ok: true, status: { storeSlots: { rollbackActive: true } } });
    if (!blocked) expect(r.status?.boot?.kernel).toMatchObject({ version: '6.6.40.1' });
    // Rollback and undo never rewrite the user's file.
    expect((await wslconfigOf(m))!.toString('utf8')).toBe(edited);
    r = await run('undo-rollback');
    expect(r).toMatchObject({ ok: true, status: { storeSlots: { rollbackActive: false } } });
    if (!blocked) expect(r.status?.boot?.kernel).toMatchObject({ version: '6.6.50.1' });
    r = await run('rollback');
    expect(r.ok).toBe(true);
    r = await run('install', '--payload', C!);
    expect(r.status?.storeSlots).toMatchObject({ kernel: { version: '6.6.60.1' }, rollbackKernel: { version: '6.6.40.1' }, rollbackActive: false });
    if (!blocked) expect(r.status?.boot?.kernel).toMatchObject({ version: '6.6.60.1' });
    expect((await wslconfigOf(m))!.toString('utf8')).toBe(edited);
    r = await run('undo-rollback');
    expect(r).toMatchObject({ ok: false, code: 'not-rolled-back' });
    r = await run('install', '--payload', B!);
    expect(r).toMatchObject({ ok: false, code: 'version-marked-bad' });

    r = await run('use-default');
    expect(r, r.message).toMatchObject({ ok: true });
    expect(await wslconfigOf(m)).toEqual(before);
    expect(r.status?.boot).toMatchObject({ source: statusBefore.boot!.source, path: statusBefore.boot!.path });
  });
});

describe('store WSL refusals', () => {
  it('older than WSL\'s own kernel needs --allow-older; no signed-in user needs --user', async () => {
    const m = join(work.dir, 'older');
    await cli(['sandbox', 'init', m, '--preset', 'store-fresh']);
    const old = await kernel(work.dir, '6.1.21.1');
    let r = (await cli(['install', '--payload', old, '--machine', m, '--json'])).json;
    expect(r).toMatchObject({ ok: false, code: 'older-than-wsl-default', exitCode: 1638 });
    r = (await cli(['install', '--payload', old, '--allow-older', '--machine', m, '--json'])).json;
    expect(r).toMatchObject({ ok: true, status: { boot: { toolOwned: true, kernel: { version: '6.1.21.1' } } } });
    r = (await cli(['install', '--payload', old, '--user', 'nobody', '--allow-older', '--machine', m, '--json'])).json;
    expect(r).toMatchObject({ ok: false, code: 'user-not-found' });
  });
});

describe('store-managed: the tool slots in use', () => {
  it('status names the slots, the boot path and who boots it; rollback marks the kernel bad on the store slots', async () => {
    const m = join(work.dir, 'managed');
    expect((await cli(['sandbox', 'init', m, '--preset', 'store-managed'])).code).toBe(0);
    const s = (await cli(['status', '--machine', m, '--json'])).json.status!;
    expect(s).toMatchObject({
      flavour: 'store',
      storeSlots: { kernel: { version: '6.6.36.5' }, rollbackKernel: { version: '6.6.36.4' }, rollbackActive: false, users: ['alice'], badReleases: [] },
      boot: { source: 'wslconfig', path: BOOT, toolOwned: true, kernel: { version: '6.6.36.5' } },
    });
    let human = (await cli(['status', '--machine', m])).stdout;
    expect(human).toContain('(tool slot)');
    expect(human).not.toContain('WSL boots nothing');
    expect((await cli(['rollback', '--machine', m, '--json'])).json).toMatchObject({ ok: true, status: { storeSlots: { rollbackActive: true, badReleases: ['6.6.36.5-wslk-demo'] } } });
    human = (await cli(['status', '--machine', m])).stdout;
    expect(human).toMatch(/bad kernels +6\.6\.36\.5-wslk-demo/);
    expect(human).toMatch(/rollback +active/);
  });
});
