/**
 * A snapshot of everything a sandbox machine holds that the invariants of docs/design.md §6 talk about:
 * the files of the tools folder, the registry, the tool's state, machine.json, and every file
 * outside the tools and state folders.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Arch } from '../../src/shared/types';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { readKernelHeader } from '../../src/main/engine/kernel/kernel-image';
import type { RegValue } from '../../src/main/engine/machine/machine';
import { REG } from '../../src/main/engine/machine/machine';
import { flagIsSet } from '../../src/main/engine/steps/registry-steps';
import { getValue, parseReg } from '../../src/main/engine/registry/reg-file';
import { SANDBOX_STATE, SANDBOX_TOOLS } from '../../src/main/engine/sandbox/sandbox-machine';
import { sha256File } from './kernels';
import { parseVersion } from '../../src/main/engine/kernel/kernel-image';

export interface SlotInfo {
  sha256: string;
  size: number;
  /** The header parsed and the file read to its end. */
  valid: boolean;
  version: string | null;
  /** The full release string of the header (what a bad-kernel entry names), or null. */
  release: string | null;
  arch: Arch | null;
}

export interface Snapshot {
  /** Tools folder: name → sha256 of every file ("<dir>" for folders). */
  tools: Record<string, string>;
  /** The registry as a canonical JSON text, or why it did not parse. */
  registry: string;
  registryError: string | null;
  flag: boolean;
  detection: string | null;
  /** state.json's meaning (bad versions, slot records without their timestamps), or why unreadable. */
  state: string;
  /** Versions a model may treat as bad (legacy version entries, and the version of every bad release). */
  badVersions: string[];
  /** What state.json marks bad, exactly: releases, and versions from the old format. */
  bad: { releases: string[]; versions: string[] };
  machineJson: string;
  /** Every path outside the tools and state folders and the two machine files: path → sha256 / "<dir>". */
  outside: Record<string, string>;
  /** Names in the state folder. */
  stateFiles: string[];
  kernel: SlotInfo | null;
  rollback: SlotInfo | null;
}

export function toolsDirOf(root: string): string {
  return join(root, ...SANDBOX_TOOLS);
}

export function stateDirOf(root: string): string {
  return join(root, ...SANDBOX_STATE);
}

/** Hashes of large files by identity: the engine never rewrites a file in place, it renames new ones in. */
const bigHashes = new Map<string, string>();

/** sha256 of a file: read whole when small (fast), streamed (and remembered) when large. */
async function hashOf(path: string, size: number): Promise<string> {
  if (size <= 4 * 1024 * 1024) return createHash('sha256').update(readFileSync(path)).digest('hex');
  const st = lstatSync(path);
  const id = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  const known = bigHashes.get(id);
  if (known) return known;
  const sha = await sha256File(path);
  bigHashes.set(id, sha);
  return sha;
}

async function listFiles(dir: string, hashTemps: boolean): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const st = lstatSync(join(dir, name));
    if (st.isDirectory()) out[name] = '<dir>';
    else if (!hashTemps && name.startsWith('.wslk-')) out[name] = `size:${st.size}`;
    else out[name] = await hashOf(join(dir, name), st.size);
  }
  return out;
}

function valueText(v: RegValue): string {
  switch (v.type) {
    case 'REG_QWORD':
      return `${v.type}:${v.data.toString()}`;
    case 'REG_BINARY':
      return `${v.type}:${Buffer.from(v.data).toString('hex')}`;
    case 'REG_RAW':
      return `${v.type}(${v.kind}):${Buffer.from(v.data).toString('hex')}`;
    default:
      return `${v.type}:${JSON.stringify(v.data)}`;
  }
}

async function readRegistry(root: string): Promise<Pick<Snapshot, 'registry' | 'registryError' | 'flag' | 'detection'>> {
  let bytes: Buffer;
  try {
    // A FIFO put in its place (the hostile-input suite) would block this read for good.
    if (!lstatSync(join(root, 'machine.reg')).isFile()) return { registry: '', registryError: 'not a regular file', flag: false, detection: null };
    bytes = readFileSync(join(root, 'machine.reg'));
  } catch (err) {
    return { registry: '', registryError: `unreadable: ${(err as Error).message}`, flag: false, detection: null };
  }
  try {
    const { tree } = parseReg(bytes);
    const keys = [...tree.keys.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([folded, key]) => [folded, [...key.values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([n, e]) => [n, valueText(e.value)])]);
    const det = getValue(tree, REG.detection, REG.detectionValue);
    return {
      registry: JSON.stringify(keys),
      registryError: null,
      flag: flagIsSet(getValue(tree, REG.lxss, REG.rollbackValue)),
      detection: det && det.type === 'REG_SZ' ? det.data : null,
    };
  } catch (err) {
    return { registry: '', registryError: (err as Error).message, flag: false, detection: null };
  }
}

type StateMeaning = Pick<Snapshot, 'state' | 'badVersions' | 'bad'>;

async function readStateMeaning(root: string): Promise<StateMeaning> {
  let raw: string;
  try {
    raw = readFileSync(join(stateDirOf(root), 'state.json'), 'utf8');
  } catch {
    return { state: JSON.stringify({ badVersions: [], slots: { kernel: null, rollback: null } }), badVersions: [], bad: { releases: [], versions: [] } };
  }
  try {
    const s = JSON.parse(raw) as { badVersions: string[]; badReleases?: string[]; slots: Record<string, Record<string, unknown> | null> };
    const slot = (r: Record<string, unknown> | null | undefined) => (r ? { sha256: r.sha256, version: r.version, release: r.release, size: r.size } : null);
    const releases = Array.isArray(s.badReleases) ? s.badReleases : [];
    const meaning = { badVersions: s.badVersions, badReleases: releases, slots: { kernel: slot(s.slots?.kernel), rollback: slot(s.slots?.rollback) } };
    // Bad as versions: every kernel of these suites has one release per version.
    const legacy = Array.isArray(s.badVersions) ? s.badVersions : [];
    const versions = [...legacy, ...releases.map(parseVersion)];
    return { state: JSON.stringify(meaning), badVersions: versions, bad: { releases, versions: legacy } };
  } catch (err) {
    return { state: `unreadable: ${(err as Error).message}`, badVersions: [], bad: { releases: [], versions: [] } };
  }
}

/** What a slot holds: its hash (from the listing), size, and the header the file declares. */
async function slotInfo(path: string, sha256: string | undefined): Promise<SlotInfo | null> {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return null;
  }
  if (!st.isFile() || !sha256) return null;
  try {
    const header = await readKernelHeader(nodeFs, path);
    return { sha256, size: st.size, valid: true, version: header.version, release: header.release, arch: header.arch };
  } catch {
    return { sha256, size: st.size, valid: false, version: null, release: null, arch: null };
  }
}

async function walkOutside(root: string, dir: string, skip: Set<string>, out: Record<string, string>): Promise<void> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const rel = relative(root, p);
    if (skip.has(rel)) continue;
    const st = lstatSync(p);
    if (st.isDirectory()) {
      out[rel] = '<dir>';
      await walkOutside(root, p, skip, out);
    } else {
      out[rel] = await hashOf(p, st.size);
    }
  }
}

/** Take a snapshot of the sandbox machine in `root`; `hashTemps: false` records temp files by size only. */
export async function takeSnapshot(root: string, opts: { hashTemps?: boolean } = {}): Promise<Snapshot> {
  const tools = toolsDirOf(root);
  const outside: Record<string, string> = {};
  const skip = new Set([relative(root, tools), relative(root, stateDirOf(root)), 'machine.reg', 'machine.json']);
  await walkOutside(root, root, skip, outside);
  let machineJson: string;
  try {
    machineJson = JSON.stringify(JSON.parse(readFileSync(join(root, 'machine.json'), 'utf8')));
  } catch (err) {
    machineJson = `unreadable: ${(err as Error).message}`;
  }
  let stateFiles: string[] = [];
  try {
    stateFiles = readdirSync(stateDirOf(root)).sort();
  } catch {
    stateFiles = [];
  }
  const toolFiles = await listFiles(tools, opts.hashTemps ?? true);
  return {
    tools: toolFiles,
    ...(await readRegistry(root)),
    ...(await readStateMeaning(root)),
    machineJson,
    outside,
    stateFiles,
    kernel: await slotInfo(join(tools, 'kernel'), toolFiles.kernel),
    rollback: await slotInfo(join(tools, 'kernel.rollback'), toolFiles['kernel.rollback']),
  };
}

/** The part of a snapshot that must equal the before- or the after-state, as one comparable text. */
export function logicalKey(s: Snapshot): string {
  return JSON.stringify({ tools: s.tools, registry: s.registry, state: s.state, machineJson: s.machineJson });
}

/** The slot WSL boots (docs/design.md §5: kernel.rollback when RollbackKernel is set, else kernel). */
export function effectiveSlot(s: Snapshot): SlotInfo | null {
  return s.flag ? s.rollback : s.kernel;
}

/** WSL can boot: the slot the flag selects is a complete, valid kernel for this architecture. */
export function isBootable(s: Snapshot, arch: Arch = 'x64'): boolean {
  const e = effectiveSlot(s);
  return !!e && e.valid && e.arch === arch;
}

/** A short human description of the differences between two snapshots (for violation reports). */
export function describeDifference(a: Snapshot, b: Snapshot): string {
  const parts: string[] = [];
  const keys = new Set([...Object.keys(a.tools), ...Object.keys(b.tools)]);
  for (const k of keys) if (a.tools[k] !== b.tools[k]) parts.push(`tools/${k}: ${a.tools[k]?.slice(0, 8) ?? '-'} vs ${b.tools[k]?.slice(0, 8) ?? '-'}`);
  if (a.registry !== b.registry) parts.push(`registry (flag ${a.flag}/${b.flag}, detection ${a.detection}/${b.detection})`);
  if (a.state !== b.state) parts.push(`state ${a.state} vs ${b.state}`);
  if (a.machineJson !== b.machineJson) parts.push('machine.json');
  return parts.join('; ') || 'no difference';
}
