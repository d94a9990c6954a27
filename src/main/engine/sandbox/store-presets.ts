/**
 * Sandbox presets of today's WSL (DESIGN §3.1, §8): store WSL 2.x in `Program Files/WSL` with its
 * own kernel and modules VHD, a signed-in user `alice`, and her `.wslconfig` in the states people
 * meet: none, someone else's kernel, single backslashes, a policy that blocks it, a missing file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Arch } from '../../../shared/types';
import { demoRelease, writeArm64Image, writeBzImage } from './kernel-builder';

export const STORE_WSL = { version: '2.3.26.0', kernel: '6.6.36.3', installLocation: 'C:\\Program Files\\WSL\\' } as const;
export const SANDBOX_USER = { name: 'alice', sid: 'S-1-5-21-1004336348-1177238915-682003330-1001' } as const;
/** Someone else's kernel in the custom presets (not the tool's). */
export const CUSTOM_KERNEL = { version: '6.1.21.2', path: 'C:\\kernels\\custom\\bzImage' } as const;

export interface StoreRegOptions {
  store?: boolean;
  /** `HKLM\SOFTWARE\Policies\WSL` `AllowKernelUserSetting`. */
  allowKernelUserSetting?: number;
}

/** machine.reg lines for store WSL, the user profiles and the policy. */
export function storeRegLines(o: StoreRegOptions): string[] {
  if (!o.store) return [];
  const lines: string[] = [];
  const key = (k: string, values: string[]) => lines.push(`[HKEY_LOCAL_MACHINE\\${k}]`, ...values, '');
  key('SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss\\MSI', [
    `"InstallLocation"="${STORE_WSL.installLocation.replace(/\\/g, '\\\\')}"`,
    `"Version"="${STORE_WSL.version}"`,
    '"ProductCode"="{2F2E8CF5-6B24-4C9B-A1C5-E4B1A66F3D3A}"',
  ]);
  const profiles = 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList';
  key(`${profiles}\\S-1-5-18`, ['"ProfileImagePath"="C:\\\\Windows\\\\system32\\\\config\\\\systemprofile"']);
  key(`${profiles}\\${SANDBOX_USER.sid}`, [`"ProfileImagePath"="C:\\\\Users\\\\${SANDBOX_USER.name}"`]);
  if (o.allowKernelUserSetting !== undefined) {
    key('SOFTWARE\\Policies\\WSL', [`"AllowKernelUserSetting"=dword:${o.allowKernelUserSetting.toString(16).padStart(8, '0')}`]);
  }
  return lines;
}

async function demoKernelAt(path: string, version: string, arch: Arch): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (arch === 'x64') await writeBzImage(path, { release: demoRelease(version), size: 1024 * 1024 });
  else await writeArm64Image(path, { release: demoRelease(version), size: 1024 * 1024 });
}

/** A Windows path C:\X\Y inside the sandbox. */
export const inSandbox = (root: string, windowsPath: string): string => join(root, ...windowsPath.replace(/^C:\\/i, '').split('\\').filter(Boolean));

/** Store WSL's files: `Program Files/WSL/tools/kernel` and `modules.vhd`, and alice's profile folder. */
export async function writeStoreWsl(root: string, arch: Arch = 'x64'): Promise<void> {
  const tools = join(inSandbox(root, STORE_WSL.installLocation), 'tools');
  await demoKernelAt(join(tools, 'kernel'), STORE_WSL.kernel, arch);
  // A placeholder VHDX: its signature, then nothing (the sandbox never attaches it).
  const vhd = Buffer.alloc(64 * 1024);
  vhd.write('vhdxfile', 0, 'ascii');
  await writeFile(join(tools, 'modules.vhd'), vhd);
  await mkdir(join(root, 'Users', SANDBOX_USER.name), { recursive: true });
}

export async function writeUserWslConfig(root: string, text: string): Promise<void> {
  await writeFile(join(root, 'Users', SANDBOX_USER.name, '.wslconfig'), Buffer.from(text, 'utf8'));
}

export async function writeCustomKernel(root: string, windowsPath: string = CUSTOM_KERNEL.path): Promise<void> {
  await demoKernelAt(inSandbox(root, windowsPath), CUSTOM_KERNEL.version, 'x64');
}
