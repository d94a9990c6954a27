/**
 * The plan on store WSL (docs/design.md §11): the slot steps in the tool's folder, the boot path,
 * and each user's `.wslconfig` change as the exact before/after diff the install then writes; the
 * refusals the install would give, before anything changes.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandResult, PlanDiff } from '../../../../src/shared/types';
import { kernel, sandboxes } from '../../../helpers/sandbox';

const { box, cleanupAll } = sandboxes();
afterEach(cleanupAll);
const wslconfig = (root: string) => readFile(join(root, 'Users', 'alice', '.wslconfig'), 'utf8').catch(() => null);
const BOOT_LINE = 'kernel=C:\\\\ProgramData\\\\WslKernelSetup\\\\boot\\\\kernel';
const diffOf = (r: CommandResult): PlanDiff => {
  const step = r.plan?.find((s) => s.id === 'wslconfig-alice');
  if (!step?.diff) throw new Error(`no .wslconfig step in ${JSON.stringify(r.plan)}`);
  return step.diff;
};
const of = (d: PlanDiff, kind: PlanDiff['lines'][number]['kind']) => d.lines.filter((l) => l.kind === kind).map((l) => l.text);

describe('plan on store WSL', () => {
  it('fresh: names the tool folder, the boot path and the new .wslconfig, exactly as the install then writes it', async () => {
    const b = await box('store-fresh');
    const A = await kernel(b.work, '6.6.40.1');
    const plan = await b.engine.plan(A);
    expect(plan, plan.message).toMatchObject({ ok: true, kind: 'fresh', change: { kind: 'install', to: '6.6.40.1' } });
    expect(plan.plan?.map((s) => s.id)).toEqual(['stage', 'replace', 'record', 'boot-path', 'wslconfig-alice']);
    const details = plan.plan!.map((s) => s.detail).join('\n');
    expect(details).toContain('ProgramData\\WslKernelSetup\\store\\slots');
    expect(details).not.toContain('System32');
    const diff = diffOf(plan);
    expect(diff).toMatchObject({ file: 'C:\\Users\\alice\\.wslconfig', created: true });
    expect(of(diff, 'removed')).toEqual([]);
    expect(await wslconfig(b.root)).toBeNull();

    const done = await b.engine.install({ payload: A });
    expect(done.ok, done.message).toBe(true);
    const written = (await wslconfig(b.root))!.split(/\r?\n/).filter((l) => l !== '');
    expect(written).toEqual(of(diff, 'added'));
    expect(written).toContain(BOOT_LINE);

    // Installed and pointed at: nothing to do, no user step.
    const again = await b.engine.plan(A);
    expect(again).toMatchObject({ ok: true, kind: 'nothing-to-do' });
    expect(again.plan ?? []).toEqual([]);
  });

  it("a kernel the tool does not own: refused as the install would be; taken over, the diff is the one line that changes", async () => {
    const b = await box('store-custom');
    const A = await kernel(b.work, '6.6.40.1');
    const before = await wslconfig(b.root);
    const refused = await b.engine.plan(A);
    expect(refused).toMatchObject({ ok: false, code: 'wslconfig-foreign-kernel' });
    expect(refused.plan).toBeUndefined();

    const plan = await b.engine.plan(A, { takeOver: true });
    expect(plan.ok, plan.message).toBe(true);
    const diff = diffOf(plan);
    expect(diff.created).toBe(false);
    expect(of(diff, 'removed')).toEqual(['kernel=C:\\\\kernels\\\\custom\\\\bzImage']);
    expect(of(diff, 'added')).toEqual([BOOT_LINE]);
    // A line of context, from the user's own file (the section's last line is the change).
    expect(of(diff, 'context')).toEqual(['memory=8GB']);
    expect(await wslconfig(b.root)).toBe(before);

    expect((await b.engine.install({ payload: A, takeOver: true })).ok).toBe(true);
    expect(await wslconfig(b.root)).toBe(before!.replace(of(diff, 'removed')[0]!, BOOT_LINE));
  });

  it('a kernel older than WSL’s own is refused in the plan, and planned when allowed', async () => {
    const b = await box('store-fresh');
    const old = await kernel(b.work, '6.6.30.1');
    expect(await b.engine.plan(old)).toMatchObject({ ok: false, code: 'older-than-wsl-default', change: { to: '6.6.30.1' } });
    expect(await b.engine.plan(old, { allowOlder: true })).toMatchObject({ ok: true, kind: 'fresh' });
  });

  it('inbox WSL: the plan still names System32 and Lxss', async () => {
    const b = await box('installed');
    const A = await kernel(b.work, '6.6.40.1');
    const plan = await b.engine.plan(A);
    expect(plan.ok, plan.message).toBe(true);
    expect(plan.plan!.map((s) => s.detail).join('\n')).toContain('System32\\lxss\\tools');
    expect(plan.plan!.some((s) => s.diff)).toBe(false);
  });
});

describe('plan on store WSL, slots already installed', () => {
  it('a user not pointed at the tool kernel yet gets a plan to point them, not "up to date"', async () => {
    const b = await box('store-fresh');
    const A = await kernel(b.work, '6.6.40.1');
    expect((await b.engine.install({ payload: A })).ok).toBe(true);
    // alice goes back to WSL's own kernel; the tool's kernel stays in its slots.
    expect((await b.engine.useDefault({})).ok).toBe(true);
    const plan = await b.engine.plan(A);
    expect(plan).toMatchObject({ ok: true, kind: 'point-users', change: { kind: 'install', to: '6.6.40.1' } });
    expect(plan.plan?.map((s) => s.id)).toEqual(['wslconfig-alice']);
    expect((await b.engine.install({ payload: A })).ok).toBe(true);
    expect(await wslconfig(b.root)).toContain(BOOT_LINE);
  });
});
