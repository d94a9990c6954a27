/**
 * The prefix as "this Windows machine": its registry through Wine's reg.exe, its C: drive, and the
 * stand-in wsl.exe / fltmc.exe. One prefix serves every scenario; resetMachine() puts it back in a
 * known state (the sandbox preset of the same name, docs/design.md §3.1) in one reg.exe call.
 */
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReg } from '../../../src/main/engine/registry/reg-file';
import { getValue } from '../../../src/main/engine/registry/reg-tree';
import type { RegValue } from '../../../src/main/engine/machine/machine';
import { parseRegQuery, type RegQueryValue } from '../../../src/main/engine/windows/reg-exe';
import { drive, runWin, wineEnv, zPath } from './wine';

export const TOOLS = 'windows/system32/lxss/tools';
export const STATE = 'ProgramData/WslKernelSetup';
export const STAND_IN = 'wslk-stand-in';
const CURRENT_VERSION = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
const SERVICES = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services';
const WINDOWS_CV = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion';

export type Preset = 'fresh' | 'no-wsl' | 'reboot-pending' | 'old-build';

export interface MachineOptions {
  preset?: Preset;
  /** fltmc.exe's exit code: 0 elevated, anything else not elevated. */
  fltmcExit?: number;
  /** Running distributions, printed by the stand-in wsl.exe as UTF-16LE like the real one. */
  running?: string[];
  /** Exit code of `wsl --shutdown`. */
  shutdownExit?: number;
  /** What `wsl -d <distro> --exec …` prints (UTF-8, as the Linux program writes) and its exit code. */
  exec?: { out: string | Buffer; exit?: number };
  /** dism.exe's exit code (`/online …`: 0 done, 3010 done but Windows must restart, 740 needs elevation). */
  dismExit?: number;
  /** Store WSL 2.x: `Lxss\MSI` names `C:\Program Files\WSL\`, and STORE_USER has a profile. */
  store?: boolean;
}

/** The user of the store scenarios, with a profile in ProfileList and `C:\users\<name>`. */
export const STORE_USER = { name: 'alice', sid: 'S-1-5-21-1004336348-1177238915-682003330-1001' } as const;
export const STORE_WSL_DIR = 'Program Files/WSL';

function regFileText(preset: Preset, store = false): string {
  const lines = ['Windows Registry Editor Version 5.00', ''];
  const build = preset === 'old-build' ? '17763' : '19045';
  lines.push(`[${CURRENT_VERSION}]`, `"CurrentBuild"="${build}"`, '"UBR"=dword:00000cb3', '');
  lines.push('[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment]', '"PROCESSOR_ARCHITECTURE"="AMD64"', '');
  const wsl = preset === 'fresh' || preset === 'old-build';
  lines.push(wsl ? `[${SERVICES}\\LxssManager]` : `[-${SERVICES}\\LxssManager]`, '');
  lines.push(`[${SERVICES}\\vmcompute]`, '', `[${SERVICES}\\HNS]`, '');
  const pending = `${WINDOWS_CV}\\Component Based Servicing\\RebootPending`;
  lines.push(preset === 'reboot-pending' ? `[${pending}]` : `[-${pending}]`, '');
  lines.push(`[-${WINDOWS_CV}\\WindowsUpdate\\Auto Update\\RebootRequired]`, '');
  lines.push('[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager]', '"PendingFileRenameOperations"=-', '');
  lines.push(`[${WINDOWS_CV}\\Lxss]`, '"RollbackKernel"=-', '');
  const profile = `HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\${STORE_USER.sid}`;
  if (store) {
    lines.push(`[${WINDOWS_CV}\\Lxss\\MSI]`, '"InstallLocation"="C:\\\\Program Files\\\\WSL\\\\"', '"Version"="2.3.26.0"', '');
    lines.push(`[${profile}]`, `"ProfileImagePath"="C:\\\\users\\\\${STORE_USER.name}"`, '');
  } else {
    lines.push(`[-${WINDOWS_CV}\\Lxss\\MSI]`, '', `[-${profile}]`, '');
  }
  lines.push('[-HKEY_LOCAL_MACHINE\\SOFTWARE\\WslKernelSetup]', '[-HKEY_LOCAL_MACHINE\\SOFTWARE\\WslkSuite]', '');
  return lines.join('\r\n');
}

/** Imports .reg text (written UTF-16LE with a BOM, as regedit does) into the 64-bit view. */
export async function regImport(text: string): Promise<void> {
  const file = join(await fsp.mkdtemp(join(tmpdir(), 'wslk-regimport-')), 'import.reg');
  await fsp.writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  const r = await runWin('reg', ['import', zPath(file), '/reg:64']);
  await fsp.rm(join(file, '..'), { recursive: true, force: true });
  if (r.code !== 0) throw new Error(`reg import failed (${r.code}): ${r.stderr.toString('latin1')}`);
}

/** One value through `reg query` (its text form), or null when reg.exe says it is absent. */
export async function regQuery(key: string, name: string): Promise<RegQueryValue | null> {
  const r = await runWin('reg', ['query', `HKLM\\${key}`, '/v', name, '/reg:64']);
  if (r.code !== 0) return null;
  return parseRegQuery(r.stdout.toString('latin1')).find((v) => v.name.toLowerCase() === name.toLowerCase()) ?? null;
}

/** A key's values exactly, through `reg export` (a UTF-16LE REGEDIT5 file) and the project's parser. */
export async function regExportKey(key: string): Promise<(name: string) => RegValue | null> {
  const dir = await fsp.mkdtemp(join(tmpdir(), 'wslk-regexport-'));
  try {
    const file = join(dir, 'export.reg');
    const r = await runWin('reg', ['export', `HKLM\\${key}`, zPath(file), '/y', '/reg:64']);
    if (r.code !== 0) return () => null;
    const tree = parseReg(await fsp.readFile(file), 'export.reg').tree;
    return (name) => getValue(tree, key, name);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

/** One value exactly, through `reg export`. */
export async function regExportValue(key: string, name: string): Promise<RegValue | null> {
  return (await regExportKey(key))(name);
}

/** Whether a key exists, through `reg query`. */
export async function regKeyExists(key: string): Promise<boolean> {
  return (await runWin('reg', ['query', `HKLM\\${key}`, '/reg:64'])).code === 0;
}

async function write(rel: string, data: string | Buffer): Promise<void> {
  await fsp.writeFile(drive(STAND_IN, rel), data);
}

/** What the stand-ins print and return (see test/windows/stand-ins/stand-in.c). */
export async function setStandIns(opts: MachineOptions): Promise<void> {
  await fsp.rm(drive(STAND_IN), { recursive: true, force: true });
  await fsp.mkdir(drive(STAND_IN), { recursive: true });
  await write('fltmc-run.exit', String(opts.fltmcExit ?? 0));
  if (opts.running?.length) {
    // Running now (`--list --running`, emptied by a shutdown), and installed (`--list`): the same ones.
    const list = Buffer.from(opts.running.map((d) => `${d}\r\n`).join(''), 'utf16le');
    await write('wsl-list-running.out', list);
    await write('wsl-list.out', list);
  }
  await write('wsl-shutdown.exit', String(opts.shutdownExit ?? 0));
  if (opts.exec) {
    await write('wsl-d.out', opts.exec.out);
    await write('wsl-d.exit', String(opts.exec.exit ?? 0));
  }
  await write('dism-online.exit', String(opts.dismExit ?? 0));
}

/** The calls a stand-in received, one argument string per call. */
export async function standInCalls(tool: 'wsl' | 'fltmc' | 'dism' | 'schtasks'): Promise<string[]> {
  const text = await fsp.readFile(drive(STAND_IN, `${tool}.log`), 'utf8').catch(() => '');
  // One line per call; a call without arguments is an empty line.
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** Installs the stand-ins in System32 (or removes wsl.exe: WSL absent). */
export async function installStandIns(opts: { wsl: boolean } = { wsl: true }): Promise<void> {
  const sys32 = drive('windows', 'system32');
  await fsp.copyFile(join(wineEnv().standIns, 'fltmc.exe'), join(sys32, 'fltmc.exe'));
  await fsp.copyFile(join(wineEnv().standIns, 'dism.exe'), join(sys32, 'dism.exe'));
  await fsp.copyFile(join(wineEnv().standIns, 'schtasks.exe'), join(sys32, 'schtasks.exe'));
  if (opts.wsl) await fsp.copyFile(join(wineEnv().standIns, 'wsl.exe'), join(sys32, 'wsl.exe'));
  else await fsp.rm(join(sys32, 'wsl.exe'), { force: true });
}

/** Puts the machine in the state of `preset`: registry, an empty lxss\tools, no tool state. */
export async function resetMachine(opts: MachineOptions = {}): Promise<void> {
  await fsp.rm(drive(TOOLS), { recursive: true, force: true });
  await fsp.mkdir(drive(TOOLS), { recursive: true });
  await fsp.rm(drive(STATE), { recursive: true, force: true });
  await setStandIns(opts);
  await fsp.rm(drive(STORE_WSL_DIR), { recursive: true, force: true });
  await fsp.rm(drive('users', STORE_USER.name, '.wslconfig'), { force: true });
  await regImport(regFileText(opts.preset ?? 'fresh', opts.store === true));
}

export const KEYS = {
  lxss: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss',
  detection: 'SOFTWARE\\WslKernelSetup',
  suite: 'SOFTWARE\\WslkSuite',
};
