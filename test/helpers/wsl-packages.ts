/**
 * Packages shaped like Microsoft's, for tests: a WSL 2.x MSI built with wixl (`INSTALLDIR\tools\kernel`
 * and `tools\modules.vhd` under ProgramFiles64Folder\WSL, ProductVersion = the WSL release), the same
 * with its embedded cabinet recompressed as LZX (as WiX `-dcl high` builds them), and a fixed VHD.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import * as CFB from 'cfb';
import { encodeStreamName } from '../../src/main/engine/msi';
import { writeCab } from './cab-writer';
import type { LzxOptions } from './lzx-encoder';

export const HAVE_GCAB = !spawnSync('gcab', ['--version']).error;

/** A fixed VHD: `size` bytes of data, then the 512-byte footer (big-endian, one's-complement checksum). */
export function fixedVhd(size: number, seed = 1): Buffer {
  const data = Buffer.alloc(size + 512);
  for (let i = 0; i < size; i++) data[i] = (i * 2654435761 + seed) >>> 24;
  const f = data.subarray(size);
  f.write('conectix', 0, 'latin1');
  f.writeUInt32BE(2, 8); // features: reserved bit
  f.writeUInt32BE(0x00010000, 12); // format version
  f.writeBigUInt64BE(0xffffffffffffffffn, 16); // no dynamic header: a fixed disk
  f.write('wslk', 28, 'latin1');
  f.write('Wi2k', 36, 'latin1');
  f.writeBigUInt64BE(BigInt(size), 40);
  f.writeBigUInt64BE(BigInt(size), 48);
  f.writeUInt32BE(2, 60); // disk type: fixed
  let sum = 0;
  for (let i = 0; i < 512; i++) if (i < 64 || i >= 68) sum += f[i]!;
  f.writeUInt32BE(~sum >>> 0, 64);
  return data;
}

export interface WslMsiFiles {
  kernel: Buffer;
  vhd: Buffer;
  /** The WSL release, as ProductVersion. */
  version: string;
}

/** The File Ids of the WSL-shaped package, in cabinet order (wixl names cabinet entries by File Id). */
export const WSL_ENTRIES = ['wslexe', 'kernel', 'modules_vhd'] as const;

function wslExe(): Buffer {
  return Buffer.from('MZ stands in for wsl.exe\n'.repeat(40));
}

/** Build `wsl.<version>.x64.msi` with wixl (MSZIP cabinet, embedded). */
export async function buildWslMsi(dir: string, files: WslMsiFiles): Promise<string> {
  await fsp.mkdir(dir, { recursive: true });
  await fsp.writeFile(join(dir, 'kernel.src'), files.kernel);
  await fsp.writeFile(join(dir, 'vhd.src'), files.vhd);
  await fsp.writeFile(join(dir, 'wsl.src'), wslExe());
  const comp = (id: string, name: string, src: string) =>
    `<Component Id="C_${id}" Guid="${randomUUID().toUpperCase()}" Win64="yes"><File Id="${id}" Name="${name}" Source="${src}" KeyPath="yes"/></Component>`;
  const wxs = `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="Windows Subsystem for Linux" Language="1033" Version="${files.version}" Manufacturer="Test" UpgradeCode="${randomUUID().toUpperCase()}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine"/>
    <Media Id="1" Cabinet="wsl.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder"><Directory Id="INSTALLDIR" Name="WSL">
        ${comp('wslexe', 'wsl.exe', 'wsl.src')}
        <Directory Id="TOOLS" Name="tools">${comp('kernel', 'kernel', 'kernel.src')}${comp('modules_vhd', 'modules.vhd', 'vhd.src')}</Directory>
      </Directory></Directory>
    </Directory>
    <Feature Id="Main" Level="1"><ComponentRef Id="C_wslexe"/><ComponentRef Id="C_kernel"/><ComponentRef Id="C_modules_vhd"/></Feature>
  </Product>
</Wix>`;
  await fsp.writeFile(join(dir, 'p.wxs'), wxs);
  const msi = join(dir, `wsl.${files.version}.x64.msi`);
  const r = spawnSync('wixl', ['-a', 'x64', '-o', msi, join(dir, 'p.wxs')], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wixl failed: ${r.stderr}`);
  return msi;
}

/** The same package with its embedded cabinet rewritten as one LZX folder (same entries, same sizes). */
export async function recompressWithLzx(msi: string, files: WslMsiFiles, out: string, lzx: LzxOptions): Promise<Buffer> {
  const c = CFB.parse(await fsp.readFile(msi));
  const entry = c.FileIndex.find((e) => e.name === encodeStreamName('wsl.cab', false));
  if (!entry) throw new Error('the package has no embedded wsl.cab');
  const data: Record<(typeof WSL_ENTRIES)[number], Buffer> = { wslexe: wslExe(), kernel: files.kernel, modules_vhd: files.vhd };
  const cab = writeCab(WSL_ENTRIES.map((name) => ({ name, data: data[name] })), { method: 'lzx', ...lzx });
  entry.content = cab;
  entry.size = cab.length;
  await fsp.writeFile(out, Buffer.from(CFB.write(c, { type: 'buffer' }) as Uint8Array));
  return cab;
}
