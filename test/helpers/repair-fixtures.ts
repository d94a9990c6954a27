/**
 * Shared by the diagnose / repair / bundle tests: sandboxes in broken states, an engine with a
 * bundled payload, the invariants of docs/design.md §6, and MSI packages built with wixl.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Engine } from '../../src/main/engine/engine';
import { writeArm64Image, writeBzImage } from '../../src/main/engine/sandbox/kernel-builder';
import { REG } from '../../src/main/engine/machine/machine';
import { readFlag } from '../../src/main/engine/steps/registry-steps';
import { initSandbox } from '../../src/main/engine/sandbox/presets';
import { SANDBOX_STATE, SANDBOX_TOOLS, openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import { readSlots } from '../../src/main/engine/state/slots';
import { readState } from '../../src/main/engine/state/state-files';
import type { CommandResult, Finding } from '../../src/shared/types';
import { isBad } from '../../src/main/engine/state/bad-kernels';

/** The bundled payload's version in these tests: newer than every preset kernel. */
export const BUNDLED_VERSION = '6.6.36.6';

export const tools = (root: string, name = ''): string => join(root, ...SANDBOX_TOOLS, name);
export const stateDir = (root: string, name = ''): string => join(root, ...SANDBOX_STATE, name);

export async function writeKernel(path: string, version: string, opts: { arch?: 'x64' | 'arm64'; size?: number; seed?: string } = {}): Promise<string> {
  const release = `${version}-microsoft-standard-WSL2`;
  const o = { release, size: opts.size ?? 1 << 20, ...(opts.seed ? { seed: opts.seed } : {}) };
  if ((opts.arch ?? 'x64') === 'x64') await writeBzImage(path, o);
  else await writeArm64Image(path, o);
  return path;
}

export interface Box {
  root: string;
  work: string;
  /** The bundled payload (a kernel file). */
  payload: string;
  engine: Engine;
  /** A new engine on the same folder (after the folder changed outside the engine). */
  fresh(): Promise<Engine>;
  cleanup(): Promise<void>;
}

/** A sandbox from a preset with an engine whose bundled payload is a kernel BUNDLED_VERSION. */
export async function box(preset = 'fresh', arch: 'x64' | 'arm64' = 'x64'): Promise<Box> {
  const work = await fsp.mkdtemp(join(tmpdir(), 'wslk-repair-'));
  const root = join(work, 'machine');
  await initSandbox(root, preset);
  const payload = await writeKernel(join(work, 'bundled-kernel'), BUNDLED_VERSION, { arch });
  const make = async () => new Engine(await openSandbox(root), { bundledPayload: async () => payload });
  return { root, work, payload, engine: await make(), fresh: make, cleanup: () => fsp.rm(work, { recursive: true, force: true }) };
}

export function ids(r: CommandResult): string[] {
  return (r.findings ?? []).map((f) => f.id);
}

export function finding(r: CommandResult, id: string): Finding {
  const f = (r.findings ?? []).find((x) => x.id === id);
  expect(f, `finding ${id} in ${JSON.stringify(ids(r))}`).toBeDefined();
  return f!;
}

export function errors(r: CommandResult): string[] {
  return (r.findings ?? []).filter((f) => f.severity === 'error').map((f) => f.id);
}

/**
 * docs/design.md §6 on a sandbox at rest: the slot RollbackKernel selects exists and is a valid kernel,
 * kernel.rollback holds no version marked bad, no journal and no temp file is left, and the
 * tool's record and detection value agree with the kernel file it installed.
 */
export async function assertInvariants(root: string, opts: { bootable?: boolean; temps?: boolean } = {}): Promise<void> {
  const m = await openSandbox(root);
  const { kernel: k, rollback: r } = await readSlots(m, { arch: 'x64', fresh: true });
  const flag = await readFlag(m);
  const effective = flag ? r : k;
  if (opts.bootable !== false) {
    expect(effective.present && effective.valid, `the slot WSL boots (${effective.name}) is a valid kernel`).toBe(true);
  }
  const state = await readState(m);
  if (r.present && r.header) expect(isBad(state, r.header.release), 'no bad kernel in kernel.rollback').toBe(false);
  if (opts.temps !== false) expect((await fsp.readdir(tools(root))).filter((n) => n.startsWith('.wslk-')), 'no temp files in the tools folder').toEqual([]);
  await expect(fsp.stat(stateDir(root, 'journal.json')), 'no journal left').rejects.toThrow();
  if (k.present && k.header && state.slots.kernel?.sha256 === k.sha256) {
    const detection = await m.registry.getValue(REG.detection, REG.detectionValue);
    expect(detection, 'the detection value names the installed kernel').toEqual({ type: 'REG_SZ', data: k.header.version });
  }
}

/** Diagnose reports no error, and the invariants hold. */
export async function assertHealthy(b: Box): Promise<CommandResult> {
  const d = await (await b.fresh()).diagnose();
  expect(d.ok).toBe(true);
  expect(errors(d), d.message).toEqual([]);
  await assertInvariants(b.root);
  return d;
}

/** Every file under `dir` (relative path → size and content hash), to prove nothing changed. */
export async function tree(dir: string, skip: RegExp = /history\.jsonl$|facts-cache\.json$/): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string, rel: string) => {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p, r);
      else if (!skip.test(r)) out[r] = createHash('sha256').update(await fsp.readFile(p)).digest('hex');
    }
  };
  await walk(dir, '');
  return out;
}

export const HAVE_WIXL = !spawnSync('wixl', ['--version']).error && !spawnSync('msiextract', ['--version']).error;

/** Build wsl_update_x64.msi with wixl: `files` go to System64Folder\lxss\tools. */
export async function buildMsi(dir: string, files: { id: string; name: string; data: Buffer }[]): Promise<string> {
  await fsp.mkdir(dir, { recursive: true });
  for (const f of files) await fsp.writeFile(join(dir, `${f.id}.src`), f.data);
  const components = files
    .map((f) => `<Component Id="C_${f.id}" Guid="${randomUUID().toUpperCase()}" Win64="yes"><File Id="${f.id}" Name="${f.name}" Source="${f.id}.src" KeyPath="yes"/></Component>`)
    .join('');
  const wxs = `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="Windows Subsystem for Linux Update" Language="1033" Version="5.15.153" Manufacturer="Test" UpgradeCode="${randomUUID().toUpperCase()}">
    <Package InstallerVersion="200" Compressed="yes" InstallScope="perMachine"/>
    <Media Id="1" Cabinet="kernel.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="System64Folder"><Directory Id="LXSS" Name="lxss"><Directory Id="TOOLS" Name="tools">${components}</Directory></Directory></Directory>
    </Directory>
    <Feature Id="Main" Level="1">${files.map((f) => `<ComponentRef Id="C_${f.id}"/>`).join('')}</Feature>
  </Product>
</Wix>`;
  await fsp.writeFile(join(dir, 'p.wxs'), wxs);
  const msi = join(dir, 'wsl_update_x64.msi');
  const r = spawnSync('wixl', ['-a', 'x64', '-o', msi, join(dir, 'p.wxs')], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wixl failed: ${r.stderr}`);
  return msi;
}

/** What msiextract (msitools) takes out of the package as lxss/tools/kernel. */
export async function msiextractKernel(msi: string, out: string): Promise<Buffer> {
  await fsp.mkdir(out, { recursive: true });
  const r = spawnSync('msiextract', ['-C', out, msi], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`msiextract failed: ${r.stderr}`);
  const line = r.stdout.split('\n').map((l) => l.trim()).find((l) => /(^|\/)tools\/kernel$/.test(l));
  if (!line) throw new Error(`msiextract did not list the kernel: ${r.stdout}`);
  return fsp.readFile(join(out, line));
}
