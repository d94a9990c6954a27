/**
 * The operations the reliability suites exercise, and the machines they start from.
 *
 * Adding an operation (for example a repair fix) to every suite is one entry in OPERATIONS; a new
 * starting machine is one entry in STARTS.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult } from '../../src/shared/types';
import { Engine } from '../../src/main/engine/engine';
import * as broken from '../../src/main/engine/sandbox/broken-states';
import { initSandbox } from '../../src/main/engine/sandbox/presets';
import type { Machine } from '../../src/main/engine/machine/machine';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import type { SeedKernels } from './kernels';

/** Build a starting machine in `dir` (a folder that does not exist yet). */
export type StartBuilder = (dir: string, k: SeedKernels) => Promise<void>;

async function must(r: Promise<CommandResult>, what: string): Promise<void> {
  const out = await r;
  if (!out.ok) throw new Error(`setting up ${what} failed: ${out.code}: ${out.message}`);
}

const engineAt = async (dir: string) => new Engine(await openSandbox(dir));

export const STARTS: Record<string, StartBuilder> = {
  /** WSL enabled, no kernel. */
  fresh: async (dir) => {
    await initSandbox(dir, 'fresh');
  },
  /** kernel = B, kernel.rollback = A (installed A, then updated to B). */
  installed: async (dir, k) => {
    await initSandbox(dir, 'fresh');
    await must((await engineAt(dir)).install({ payload: k.A.path }), 'install A');
    await must((await engineAt(dir)).install({ payload: k.B.path }), 'install B');
  },
  /** The seed's A → B → rollback: WSL boots A, B is marked bad. */
  'rolled-back': async (dir, k) => {
    await STARTS.installed!(dir, k);
    await must((await engineAt(dir)).rollback(), 'rollback');
  },
};

/**
 * The broken machines repair starts from: the `sandbox init` presets' states (repair/broken-states.ts),
 * made from this run's small kernels so that every case stays cheap.
 */
Object.assign(STARTS, {
  'kernel-missing': async (dir: string, k: SeedKernels) => {
    await STARTS.installed!(dir, k);
    await broken.removeSlot(dir, 'kernel');
  },
  'corrupt-kernel': async (dir: string, k: SeedKernels) => {
    await STARTS.installed!(dir, k);
    await broken.truncateSlot(dir, 'kernel');
  },
  'orphan-flag': async (dir: string, k: SeedKernels) => {
    await STARTS['rolled-back']!(dir, k);
    await broken.removeSlot(dir, 'kernel.rollback');
  },
  'leftover-temps': async (dir: string, k: SeedKernels) => {
    await STARTS.installed!(dir, k);
    await broken.leaveTemps(dir);
  },
  tampered: async (dir: string, k: SeedKernels) => {
    await STARTS.installed!(dir, k);
    await broken.replaceSlot(dir, 'kernel', k.B.release);
  },
  /** An install of B killed right after its commit point (the CLI, in its own process). */
  interrupted: async (dir: string, k: SeedKernels) => {
    await STARTS.fresh!(dir, k);
    await must((await engineAt(dir)).install({ payload: k.A.path }), 'install A');
    await broken.killedInstall(dir, k.B.path);
  },
} satisfies Record<string, StartBuilder>);

/** WSL runs kernel B in Ubuntu (machine.json, docs/design.md §3.1); `failing`: these kernels do not boot. */
function wslRunning(dir: string, k: SeedKernels, failing: string[] = []): void {
  const path = join(dir, 'machine.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { wsl?: Record<string, unknown> };
  const failingKernels = Object.fromEntries(failing.map((sha) => [sha, 'Error code: Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT']));
  json.wsl = { ...json.wsl, running: ['Ubuntu'], distributions: ['Ubuntu'], runningRelease: k.B.release, failingKernels };
  writeFileSync(path, JSON.stringify(json, null, 2));
}

/** The starts of the boot check (docs/design.md §10): WSL runs B; C boots, or C does not. */
Object.assign(STARTS, {
  'installed-running': async (dir: string, k: SeedKernels) => {
    await STARTS.installed!(dir, k);
    wslRunning(dir, k);
  },
  'c-fails-to-boot': async (dir: string, k: SeedKernels) => {
    await STARTS.installed!(dir, k);
    wslRunning(dir, k, [k.C.sha256]);
  },
} satisfies Record<string, StartBuilder>);

export interface Operation {
  id: string;
  title: string;
  /** The error code the uninterrupted run ends with (default: none, it succeeds). */
  expectCode?: string;
  /**
   * Commands whose results are also allowed after recovery: the durable steps of an operation made of
   * several journaled ones (install, then the rollback that follows a failed boot check).
   */
  intermediate?: (k: SeedKernels) => string[][];
  /** The operation starts and stops WSL: its running state in machine.json is not the tool's state. */
  wslRuntime?: boolean;
  start: string;
  /** CLI arguments (without --machine / --json). */
  cli: (k: SeedKernels) => string[];
  /** The same operation in-process, on an engine made by engineFor. */
  run: (engine: Engine, k: SeedKernels) => Promise<CommandResult>;
  /** The bundled payload the operation may use (repair's reinstall and install-bundled): kernel C. */
  bundled?: boolean;
}

const repair = (fix: string, start: string, bundled = false): Operation => ({
  id: `repair-${fix}${start === 'fresh' ? '' : `@${start}`}`,
  title: `repair --fix ${fix} (${start})`,
  start,
  cli: () => ['repair', '--fix', fix],
  run: (e) => e.repair({ fix }),
  bundled,
});

/** One line per operation; every suite runs all of them. */
export const OPERATIONS: Operation[] = [
  { id: 'install-fresh', title: 'install from fresh', start: 'fresh', cli: (k) => ['install', '--payload', k.A.path], run: (e, k) => e.install({ payload: k.A.path }) },
  { id: 'update-good', title: 'update with a good current kernel', start: 'installed', cli: (k) => ['install', '--payload', k.C.path], run: (e, k) => e.install({ payload: k.C.path }) },
  { id: 'update-rolled-back', title: 'update while rolled back (A→B→rollback→C)', start: 'rolled-back', cli: (k) => ['install', '--payload', k.C.path], run: (e, k) => e.install({ payload: k.C.path }) },
  { id: 'rollback', title: 'rollback', start: 'installed', cli: () => ['rollback'], run: (e) => e.rollback() },
  { id: 'undo-rollback', title: 'undo rollback', start: 'rolled-back', cli: () => ['undo-rollback'], run: (e) => e.undoRollback() },
  repair('restore-rollback', 'kernel-missing'),
  repair('restore-rollback', 'corrupt-kernel'),
  repair('reinstall', 'corrupt-kernel', true),
  repair('install-bundled', 'fresh', true),
  repair('clear-rollback-flag', 'orphan-flag'),
  repair('clean-temps', 'leftover-temps'),
  repair('record-current', 'tampered'),
  repair('recover', 'interrupted'),
];

/** The boot check and the fallback (docs/design.md §10): they start and stop the sandbox's WSL. */
export const BOOT_OPERATIONS: Operation[] = [
  { id: 'verify', title: 'verify (WSL runs B)', start: 'installed-running', cli: () => ['verify'], run: (e) => e.verify(), wslRuntime: true },
  { id: 'install-verify', title: 'install C --verify (C boots)', start: 'installed-running', cli: (k) => ['install', '--payload', k.C.path, '--verify'], run: (e, k) => e.install({ payload: k.C.path, verify: true }), wslRuntime: true },
  {
    id: 'install-verify-auto-rollback',
    title: 'install C --verify --auto-rollback (C does not boot)',
    start: 'c-fails-to-boot',
    cli: (k) => ['install', '--payload', k.C.path, '--verify', '--auto-rollback'],
    run: (e, k) => e.install({ payload: k.C.path, verify: true, autoRollback: true }),
    expectCode: 'kernel-failed-to-boot',
    intermediate: (k) => [['install', '--payload', k.C.path]],
    wslRuntime: true,
  },
];

/**
 * The operations a suite runs: all, or those named in WSLK_OPS (comma-separated ids or prefixes);
 * with a shard, every n-th of them. `boot` adds the boot-check operations.
 */
export function selectedOperations(shard = { index: 0, count: 1 }, opts: { boot?: boolean } = {}): Operation[] {
  const only = process.env.WSLK_OPS?.split(',').filter(Boolean);
  const all = opts.boot ? [...OPERATIONS, ...BOOT_OPERATIONS] : OPERATIONS;
  const ops = only ? all.filter((o) => only.some((p) => o.id === p || o.id.startsWith(p))) : all;
  return ops.filter((_, i) => i % shard.count === shard.index);
}

/** The engine an operation runs on in-process (with its bundled payload, when it has one). */
export function engineFor(machine: Machine, op: Operation, k: SeedKernels): Engine {
  return new Engine(machine, op.bundled ? { bundledPayload: async () => k.C.path } : {});
}

/** Environment for the CLI running an operation (its bundled payload, when it has one). */
export function cliEnv(op: Operation, k: SeedKernels): Record<string, string> {
  return op.bundled ? { WSLK_PAYLOAD: k.C.path } : {};
}

/** Copy a folder tree (synchronous: a sandbox is a dozen small files, and this is the hot path). */
export function copyTree(src: string, dest: string): void {
  mkdirSync(dest, { recursive: true });
  for (const e of readdirSync(src, { withFileTypes: true })) {
    if (e.isDirectory()) copyTree(join(src, e.name), join(dest, e.name));
    else if (e.isFile()) copyFileSync(join(src, e.name), join(dest, e.name));
  }
}

/** Starting machines built once per run, copied for every case. */
export class Templates {
  private built = new Map<string, string>();
  constructor(
    private readonly dir: string,
    private readonly kernels: SeedKernels,
  ) {}

  /** The template folder of a start (built on first use). */
  async template(start: string): Promise<string> {
    const have = this.built.get(start);
    if (have) return have;
    const builder = STARTS[start];
    if (!builder) throw new Error(`unknown start ${start}`);
    const dir = join(this.dir, `template-${start}`);
    await builder(dir, this.kernels);
    // One read-only command first, as any user's would be: it fills the facts cache and removes
    // what a crashed write left, so "before" is the machine as every command finds it.
    if (start !== 'interrupted') await new Engine(await openSandbox(dir)).status();
    this.built.set(start, dir);
    return dir;
  }

  /** A fresh copy of a start's template at `dest`. */
  async copy(start: string, dest: string): Promise<string> {
    const src = await this.template(start);
    rmSync(dest, { recursive: true, force: true });
    copyTree(src, dest);
    return dest;
  }
}
