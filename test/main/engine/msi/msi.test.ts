/**
 * The MSI kernel extractor against real packages built by wixl, checked byte for byte against the
 * original kernel and against msiextract (msitools), plus damaged and hostile packages.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import * as CFB from 'cfb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelSetupError, type ErrorCode } from '../../../../src/shared/errors';
import { nodeFs, type Fs } from '../../../../src/main/engine/machine/fs-port';
import { buildBzImage } from '../../../../src/main/engine/sandbox/kernel-builder';
import { readKernelHeader } from '../../../../src/main/engine/kernel/kernel-image';
import {
  cabChecksum,
  decodeStreamName,
  encodeStreamName,
  extractKernelFromMsi,
  listMsiFiles,
} from '../../../../src/main/engine/msi';

const RELEASE = '5.15.153.1-microsoft-standard-WSL2';
const TOOLS = ['wixl', 'msiextract', 'msibuild'];
const missing = TOOLS.filter((t) => (spawnSync(t, ['--help']).error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT');
const withTools = missing.length === 0 ? describe : describe.skip;
const MISSING_REASON = `${missing.join(', ')} not installed (apt-get install wixl msitools)`;
if (missing.length > 0 && !process.env.CI) console.warn(`Skipping the wixl/msitools MSI tests: ${MISSING_REASON}`);

let root: string;
let seq = 0;
beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'wslk-msi-'));
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

async function fresh(name: string): Promise<string> {
  const d = path.join(root, `${name}-${++seq}`);
  await fsp.mkdir(d, { recursive: true });
  return d;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A node Fs that records every path opened for writing. */
function recordingFs(): { fs: Fs; written: string[] } {
  const written: string[] = [];
  return {
    written,
    fs: {
      ...nodeFs,
      open: (p, mode) => {
        if (mode !== 'r') written.push(p);
        return nodeFs.open(p, mode);
      },
    },
  };
}

async function refusal(p: Promise<unknown>, code: ErrorCode = 'invalid-msi'): Promise<KernelSetupError> {
  const err: unknown = await p.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KernelSetupError);
  expect((err as KernelSetupError).code, (err as Error).message).toBe(code);
  return err as KernelSetupError;
}

/** A bzImage whose body repeats a 3000-byte pattern, so MSZIP blocks refer back into earlier ones. */
function compressibleKernel(size: number): Buffer {
  const k = buildBzImage({ release: RELEASE, size });
  const pattern = Buffer.from(Array.from({ length: 300 }, (_, i) => `line ${(i * 7919) % 1000} ok\n`).join('').slice(0, 3000));
  for (let at = 0x1000; at < size; at += pattern.length) pattern.copy(k, at, 0, Math.min(pattern.length, size - at));
  return k;
}

interface PackageFile {
  id: string;
  name: string;
  data: Buffer;
  dir?: 'tools' | 'other';
}

/** Build an MSI with wixl: files under System64Folder\lxss\tools (or an "other" folder). */
async function buildMsi(files: PackageFile[], media = '<Media Id="1" Cabinet="kernel.cab" EmbedCab="yes"/>'): Promise<string> {
  const d = await fresh('msi');
  const component = (f: PackageFile): string => {
    return `<Component Id="C_${f.id}" Guid="${randomUUID().toUpperCase()}" Win64="yes"><File Id="${f.id}" Name="${f.name}" Source="${f.id}.src" KeyPath="yes"/></Component>`;
  };
  const inDir = (dir: string): string => files.filter((f) => (f.dir ?? 'tools') === dir).map(component).join('');
  for (const f of files) await fsp.writeFile(path.join(d, `${f.id}.src`), f.data);
  const wxs = `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="Windows Subsystem for Linux Update" Language="1033" Version="5.15.153" Manufacturer="Test" UpgradeCode="${randomUUID().toUpperCase()}">
    <Package InstallerVersion="200" Compressed="yes" InstallScope="perMachine"/>
    ${media}
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="System64Folder"><Directory Id="LXSS" Name="lxss"><Directory Id="TOOLS" Name="tools">${inDir('tools')}</Directory></Directory></Directory>
      <Directory Id="OTHER" Name="other">${inDir('other')}</Directory>
    </Directory>
    <Feature Id="Main" Level="1">${files.map((f) => `<ComponentRef Id="C_${f.id}"/>`).join('')}</Feature>
  </Product>
</Wix>`;
  await fsp.writeFile(path.join(d, 'p.wxs'), wxs);
  const msi = path.join(d, 'wsl_update_x64.msi');
  run('wixl', ['-a', 'x64', '-o', msi, path.join(d, 'p.wxs')]);
  return msi;
}

/** What msiextract (msitools) makes of the package's lxss\tools\kernel. */
async function msiextractKernel(msi: string): Promise<Buffer> {
  const out = await fresh('msiextract');
  const listed = run('msiextract', ['-C', out, msi]).split('\n').filter((l) => /(^|\/)tools\/kernel$/.test(l.trim()));
  expect(listed).toHaveLength(1);
  return fsp.readFile(path.join(out, listed[0]!.trim()));
}

/** A single-folder cabinet, MSZIP (with optional cross-block history) or stored. */
function buildCab(files: { name: string; data: Buffer }[], opts: { type?: number; crossBlock?: boolean } = {}): Buffer {
  const type = opts.type ?? 1;
  const all = Buffer.concat(files.map((f) => f.data));
  const blocks: Buffer[] = [];
  let history = Buffer.alloc(0);
  for (let off = 0; off < all.length; off += 32768) {
    const chunk = all.subarray(off, off + 32768);
    const dict = opts.crossBlock && history.length > 0 ? { dictionary: history } : {};
    const payload = type === 0 ? chunk : Buffer.concat([Buffer.from('CK'), deflateRawSync(chunk, dict)]);
    history = Buffer.concat([history, chunk]).subarray(-32768);
    const hdr = Buffer.alloc(8);
    hdr.writeUInt16LE(payload.length, 4);
    hdr.writeUInt16LE(chunk.length, 6);
    hdr.writeUInt32LE(cabChecksum(hdr.subarray(4, 8), cabChecksum(payload, 0)), 0);
    blocks.push(hdr, payload);
  }
  let uoff = 0;
  const entries = files.map((f) => {
    const e = Buffer.alloc(16);
    e.writeUInt32LE(f.data.length, 0);
    e.writeUInt32LE(uoff, 4);
    e.writeUInt16LE(0x20, 14);
    uoff += f.data.length;
    return Buffer.concat([e, Buffer.from(`${f.name}\0`, 'latin1')]);
  });
  const fileTable = Buffer.concat(entries);
  const data = Buffer.concat(blocks);
  const start = 36 + 8 + fileTable.length;
  const head = Buffer.alloc(44);
  head.write('MSCF', 0, 'latin1');
  head.writeUInt32LE(start + data.length, 8);
  head.writeUInt32LE(44, 16);
  head.writeUInt8(3, 24);
  head.writeUInt8(1, 25);
  head.writeUInt16LE(1, 26);
  head.writeUInt16LE(files.length, 28);
  head.writeUInt32LE(start, 36);
  head.writeUInt16LE(blocks.length / 2, 40);
  head.writeUInt16LE(type, 42);
  return Buffer.concat([head, fileTable, data]);
}

/** Rewrite one stream of a package through cfb (the way a hostile editor would). */
function editStream(msi: Buffer, name: string, isTable: boolean, edit: (b: Buffer) => Buffer): Buffer {
  const c = CFB.parse(msi);
  const raw = encodeStreamName(name, isTable);
  const entry = c.FileIndex.find((e) => e.name === raw);
  if (!entry) throw new Error(`no stream ${name}`);
  const content = edit(Buffer.from(entry.content as Uint8Array));
  entry.content = content;
  entry.size = content.length;
  return Buffer.from(CFB.write(c, { type: 'buffer' }) as Uint8Array);
}

async function emptyDir(d: string): Promise<void> {
  expect(await fsp.readdir(d)).toEqual([]);
}

describe('MSI stream names', () => {
  it('decodes the mangled names and round-trips', () => {
    for (const name of ['_StringPool', 'File', 'kernel.cab', 'Binary.icon_1', 'a', 'x-y z']) {
      for (const isTable of [true, false]) {
        const encoded = encodeStreamName(name, isTable);
        expect(decodeStreamName(encoded)).toEqual({ name, isTable });
      }
    }
    // As Windows Installer (and libmsi) store them.
    expect(encodeStreamName('File', true)).toBe('\u4840\u430f\u422f');
    expect(decodeStreamName('\u4840\u3f3f\u4577\u446c\u3e6a\u44b2\u482f')).toEqual({ name: '_StringPool', isTable: true });
    expect(decodeStreamName('\u422e\u4475\u43e8\u41be\u4164')).toEqual({ name: 'kernel.cab', isTable: false });
    expect(decodeStreamName('\u0005SummaryInformation')).toEqual({ name: '\u0005SummaryInformation', isTable: false });
  });
});

if (missing.length > 0 && process.env.CI) {
  describe('MSI tools', () => {
    it('wixl, msiextract and msibuild are installed on CI', () => {
      throw new Error(`The MSI tests cannot run: ${MISSING_REASON}`);
    });
  });
}

withTools('extracting the kernel from wixl-built MSIs', () => {
  it.each([
    ['small', 8 * 1024],
    ['over 32 KiB', 100_000],
    ['several MiB', 5 * 1024 * 1024 + 123],
  ])('%s kernel: byte-identical to the original and to msiextract', async (_label, size) => {
    const kernel = buildBzImage({ release: RELEASE, size });
    const msi = await buildMsi([{ id: 'kernel', name: 'kernel', data: kernel }]);
    const staging = await fresh('staging');
    const { fs, written } = recordingFs();
    const progress: number[] = [];
    const r = await extractKernelFromMsi(fs, msi, staging, { onProgress: (done, total) => progress.push(done / total) });
    expect(r).toMatchObject({ fileKey: 'kernel', size, cabinet: '#kernel.cab', compression: 'mszip' });
    expect(path.dirname(r.path)).toBe(staging);
    expect(r.path).toMatch(/\.msi-kernel\.tmp$/);
    expect(written).toEqual([r.path]);
    const out = await fsp.readFile(r.path);
    expect(out.equals(kernel)).toBe(true);
    expect(out.equals(await msiextractKernel(msi))).toBe(true);
    expect((await readKernelHeader(nodeFs, r.path)).release).toBe(RELEASE);
    expect(progress[0]).toBe(0);
    expect(progress[progress.length - 1]).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('lists the files and prefers the kernel in lxss\\tools over other files named kernel', async () => {
    const kernel = buildBzImage({ release: RELEASE, size: 40_000 });
    const msi = await buildMsi([
      { id: 'readme', name: 'README.txt', data: Buffer.from('hello'), dir: 'other' },
      { id: 'decoy', name: 'KERNEL', data: buildBzImage({ release: '4.19.1-decoy', size: 20_000 }), dir: 'other' },
      { id: 'kernel_x64', name: 'kernel', data: kernel },
    ]);
    const files = await listMsiFiles(nodeFs, msi);
    expect(files.map((f) => [f.fileKey, f.name, f.directoryPath.join('\\'), f.cabinet])).toEqual(
      expect.arrayContaining([
        ['readme', 'README.txt', 'other', '#kernel.cab'],
        ['decoy', 'KERNEL', 'other', '#kernel.cab'],
        ['kernel_x64', 'kernel', 'lxss\\tools', '#kernel.cab'],
      ]),
    );
    const r = await extractKernelFromMsi(nodeFs, msi, await fresh('staging'));
    expect(r.fileKey).toBe('kernel_x64');
    expect((await fsp.readFile(r.path)).equals(kernel)).toBe(true);
  });

  it('reads an external MSZIP cabinet whose blocks use the previous 32 KiB as history', async () => {
    const kernel = compressibleKernel(3 * 1024 * 1024 + 77);
    const msi = await buildMsi([{ id: 'kernel', name: 'kernel', data: kernel }], '<Media Id="1" Cabinet="kernel.cab" EmbedCab="no"/>');
    const cab = buildCab([{ name: 'kernel', data: kernel }], { crossBlock: true });
    await fsp.writeFile(path.join(path.dirname(msi), 'kernel.cab'), cab);
    // Proof that the fixture needs the history: block 2 alone does not inflate to its bytes.
    const second = cab.subarray(cab.readUInt32LE(36) + 8 + cab.readUInt16LE(cab.readUInt32LE(36) + 4));
    const alone = (() => {
      try {
        return inflateRawSync(second.subarray(10, 8 + second.readUInt16LE(4)));
      } catch {
        return null;
      }
    })();
    expect(alone?.equals(kernel.subarray(32768, 65536)) ?? false).toBe(false);
    const r = await extractKernelFromMsi(nodeFs, msi, await fresh('staging'));
    expect(r).toMatchObject({ cabinet: 'kernel.cab', compression: 'mszip', size: kernel.length });
    const out = await fsp.readFile(r.path);
    expect(out.equals(kernel)).toBe(true);
    expect(out.equals(await msiextractKernel(msi))).toBe(true);
  });

  it('reads an uncompressed (stored) external cabinet', async () => {
    const kernel = buildBzImage({ release: RELEASE, size: 70_001 });
    const msi = await buildMsi([{ id: 'kernel', name: 'kernel', data: kernel }], '<Media Id="1" Cabinet="kernel.cab" EmbedCab="no"/>');
    await fsp.writeFile(path.join(path.dirname(msi), 'kernel.cab'), buildCab([{ name: 'kernel', data: kernel }], { type: 0 }));
    const r = await extractKernelFromMsi(nodeFs, msi, await fresh('staging'));
    expect(r.compression).toBe('none');
    const out = await fsp.readFile(r.path);
    expect(out.equals(kernel)).toBe(true);
    expect(out.equals(await msiextractKernel(msi))).toBe(true);
  });
});

type Cell = string | number | null;
interface SynthTable {
  cols: [name: string, type: number][];
  rows: Cell[][];
}
// Column types as Windows Installer writes them: s72 = 0x0D48, i4 = 0x0104, v0 (binary) = 0x0900.
const STR = (width: number, flags = 0): number => 0x0d00 | width | flags;
const INT = (width: 2 | 4, flags = 0): number => 0x0100 | width | flags;
const KEY = 0x2000;
const NULLABLE = 0x1000;
const LOCALIZABLE = 0x0200;

/**
 * An MSI written from scratch with cfb: UTF-8 string pool, optional 3-byte string references
 * (with enough padding strings that real references exceed 65535), and a string over 64 KiB.
 */
function syntheticMsi(tables: Record<string, SynthTable>, streams: Record<string, Buffer>, padding: number): Buffer {
  const longRefs = padding > 0;
  const strings: string[] = [''];
  const ids = new Map<string, number>();
  const intern = (v: string): number => {
    let id = ids.get(v);
    if (id === undefined) {
      id = strings.length;
      strings.push(v);
      ids.set(v, id);
    }
    return id;
  };
  for (let i = 0; i < padding; i++) intern(`pad${i}`);
  const columns: Cell[][] = [];
  for (const [name, t] of Object.entries(tables)) t.cols.forEach(([col, type], i) => columns.push([name, i + 1, col, type]));
  const all: Record<string, SynthTable> = {
    _Tables: { cols: [['Name', STR(64, KEY)]], rows: Object.keys(tables).map((n) => [n]) },
    _Columns: { cols: [['Table', STR(64, KEY)], ['Number', INT(2, KEY)], ['Name', STR(64)], ['Type', INT(2)]], rows: columns },
    ...tables,
  };
  const c = CFB.utils.cfb_new({ CLSID: '84100c0000000000c000000000000046' }); // the MSI database class
  for (const [name, t] of Object.entries(all)) {
    const parts = t.cols.map(([, type], ci) => {
      const isString = (type & 0x0800) !== 0;
      const width = isString ? (longRefs ? 3 : 2) : (type & 0xff) === 4 ? 4 : 2;
      const b = Buffer.alloc(width * t.rows.length);
      t.rows.forEach((row, ri) => {
        const v = row[ci] ?? null;
        const raw = v === null ? 0 : isString ? intern(String(v)) : (Number(v) + (width === 2 ? 0x8000 : 0x80000000)) >>> 0;
        b.writeUIntLE(raw, ri * width, width);
      });
      return b;
    });
    CFB.utils.cfb_add(c, encodeStreamName(name, true), Buffer.concat(parts));
  }
  const pool: number[] = [65001 & 0xffff, (65001 >>> 16) | (longRefs ? 0x8000 : 0)];
  const data = strings.slice(1).map((v) => Buffer.from(v, 'utf8'));
  for (const d of data) pool.push(...(d.length > 0xffff ? [0, 1, d.length & 0xffff, d.length >>> 16] : [d.length, 1]));
  const poolBuf = Buffer.alloc(pool.length * 2);
  pool.forEach((v, i) => poolBuf.writeUInt16LE(v, i * 2));
  CFB.utils.cfb_add(c, encodeStreamName('_StringPool', true), poolBuf);
  CFB.utils.cfb_add(c, encodeStreamName('_StringData', true), Buffer.concat(data));
  for (const [name, content] of Object.entries(streams)) CFB.utils.cfb_add(c, encodeStreamName(name, false), content);
  return Buffer.from(CFB.write(c, { type: 'buffer' }) as Uint8Array);
}

function kernelPackageTables(kernel: Buffer, cabinet: string): Record<string, SynthTable> {
  return {
    Component: {
      cols: [['Component', STR(72, KEY)], ['ComponentId', STR(38, NULLABLE)], ['Directory_', STR(72)], ['Attributes', INT(2)], ['Condition', STR(255, NULLABLE)], ['KeyPath', STR(72, NULLABLE)]],
      rows: [
        ['KernelComp', '{0A1B2C3D-4E5F-4061-8293-A4B5C6D7E8F9}', 'TOOLS', 256, 'x'.repeat(70_000), 'kernel'],
        ['DocComp', null, 'DOCS', 0, null, null],
      ],
    },
    Directory: {
      cols: [['Directory', STR(72, KEY)], ['Directory_Parent', STR(72, NULLABLE)], ['DefaultDir', STR(255, LOCALIZABLE)]],
      rows: [
        ['TARGETDIR', null, 'SourceDir'],
        ['System64Folder', 'TARGETDIR', '.'],
        ['LXSS', 'System64Folder', 'lxss'],
        ['TOOLS', 'LXSS', 'TOOLS~1|tools:.'],
        ['DOCS', 'TARGETDIR', 'DOKUME~1|Dokumente für WSL'],
      ],
    },
    File: {
      cols: [['File', STR(72, KEY)], ['Component_', STR(72)], ['FileName', STR(255, LOCALIZABLE)], ['FileSize', INT(4)], ['Version', STR(72, NULLABLE)], ['Language', STR(20, NULLABLE)], ['Attributes', INT(2, NULLABLE)], ['Sequence', INT(4)]],
      rows: [
        ['kernel', 'KernelComp', 'KERNEL~1|kernel', kernel.length, null, null, 512, 1],
        ['liesmich', 'DocComp', 'LIESMI~1.TXT|Liesmich – Größen.txt', 12, null, null, 0, 2],
      ],
    },
    Media: {
      cols: [['DiskId', INT(2, KEY)], ['LastSequence', INT(4)], ['DiskPrompt', STR(64, NULLABLE | LOCALIZABLE)], ['Cabinet', STR(255, NULLABLE)], ['VolumeLabel', STR(32, NULLABLE)], ['Source', STR(72, NULLABLE)]],
      rows: [
        [2, 5, null, null, null, null],
        [1, 1, null, cabinet, null, null],
      ],
    },
  };
}

describe('MSI tables written from scratch', () => {
  it.each([
    ['2-byte string references', 0],
    ['3-byte string references', 70_000],
  ])('%s: lists the files and extracts the kernel', async (_label, padding) => {
    const kernel = buildBzImage({ release: RELEASE, size: 50_000 });
    const msi = syntheticMsi(kernelPackageTables(kernel, '#k.cab'), { 'k.cab': buildCab([{ name: 'kernel', data: kernel }]) }, padding);
    const d = await fresh('synthetic');
    await fsp.writeFile(path.join(d, 'p.msi'), msi);
    const files = await listMsiFiles(nodeFs, path.join(d, 'p.msi'));
    expect(files).toEqual([
      expect.objectContaining({ fileKey: 'kernel', name: 'kernel', directoryPath: ['lxss', 'tools'], cabinet: '#k.cab', diskId: 1 }),
      expect.objectContaining({ fileKey: 'liesmich', name: 'Liesmich – Größen.txt', directoryPath: ['Dokumente für WSL'], cabinet: null, diskId: 2 }),
    ]);
    const r = await extractKernelFromMsi(nodeFs, path.join(d, 'p.msi'), d);
    expect((await fsp.readFile(r.path)).equals(kernel)).toBe(true);
    if (missing.length === 0) {
      // msitools reads the same table, so the fixture's layout is the real one.
      expect(run('msiinfo', ['export', path.join(d, 'p.msi'), 'File'])).toContain(`kernel\tKernelComp\tKERNEL~1|kernel\t${kernel.length}`);
    }
  });

  it('refuses a string reference past the pool with 3-byte references', async () => {
    const kernel = buildBzImage({ release: RELEASE, size: 10_000 });
    const tables = kernelPackageTables(kernel, '#k.cab');
    const msi = editStream(syntheticMsi(tables, { 'k.cab': buildCab([{ name: 'kernel', data: kernel }]) }, 70_000), 'File', true, (b) => {
      b.writeUIntLE(0xfffff0, 3, 3);
      return b;
    });
    const d = await fresh('synthetic');
    await fsp.writeFile(path.join(d, 'p.msi'), msi);
    expect((await refusal(extractKernelFromMsi(nodeFs, path.join(d, 'p.msi'), d))).message).toMatch(/string 16777200/);
    expect(await fsp.readdir(d)).toEqual(['p.msi']);
  });
});

/** Directory entries of a v3 compound file, found by walking its FAT (enough for wixl's output). */
function cfbEntries(msi: Buffer): { at: number; name: string; start: number; size: number }[] {
  const fat = (s: number): number => msi.readInt32LE((msi.readInt32LE(76 + 4 * Math.floor(s / 128)) + 1) * 512 + (s % 128) * 4);
  const out: { at: number; name: string; start: number; size: number }[] = [];
  for (let s = msi.readInt32LE(48); s >= 0; s = fat(s)) {
    for (let at = (s + 1) * 512; at < (s + 2) * 512; at += 128) {
      const len = msi.readUInt16LE(at + 64);
      out.push({ at, name: msi.toString('utf16le', at, at + Math.max(len - 2, 0)), start: msi.readInt32LE(at + 116), size: msi.readInt32LE(at + 120) });
    }
  }
  return out;
}

withTools('refusing damaged and hostile packages', () => {
  const kernel = buildBzImage({ release: RELEASE, size: 100_000 });
  let embedded: Buffer;
  let external: string;
  let cab: Buffer;

  beforeAll(async () => {
    embedded = await fsp.readFile(await buildMsi([{ id: 'kernel', name: 'kernel', data: kernel }]));
    external = await buildMsi([{ id: 'kernel', name: 'kernel', data: kernel }], '<Media Id="1" Cabinet="kernel.cab" EmbedCab="no"/>');
    cab = buildCab([{ name: 'kernel', data: kernel }]);
  });

  /** Write a package (and optionally its external cabinet), try it, and check nothing is left. */
  async function attempt(msi: Buffer, extCab?: Buffer, code: ErrorCode = 'invalid-msi'): Promise<KernelSetupError> {
    const d = await fresh('case');
    const file = path.join(d, 'wsl_update_x64.msi');
    await fsp.writeFile(file, msi);
    if (extCab) await fsp.writeFile(path.join(d, 'kernel.cab'), extCab);
    const staging = path.join(d, 'staging');
    await fsp.mkdir(staging);
    const err = await refusal(extractKernelFromMsi(nodeFs, file, staging), code);
    await emptyDir(staging);
    return err;
  }
  const externalMsi = (): Promise<Buffer> => fsp.readFile(external);
  /** A copy of the external-cabinet package changed with an msibuild SQL statement. */
  async function withSql(sql: string, base = external): Promise<Buffer> {
    const copy = path.join(await fresh('sql'), 'p.msi');
    await fsp.copyFile(base, copy);
    run('msibuild', [copy, '-q', sql]);
    return fsp.readFile(copy);
  }
  const patchCab = (edit: (b: Buffer) => void): Buffer => {
    const b = Buffer.from(cab);
    edit(b);
    return b;
  };

  it('refuses a package truncated at several lengths', async () => {
    const len = embedded.length;
    for (const cut of [0, 8, 511, 512, 1536, 4096, len >> 2, len >> 1, len - 4096, len - 1024]) {
      const err = await attempt(embedded.subarray(0, cut));
      expect(err.message).toMatch(/installer package cannot be read/);
    }
    // The tail of the last sector is padding: without it the package is either refused or intact.
    const d = await fresh('tail');
    await fsp.writeFile(path.join(d, 'p.msi'), embedded.subarray(0, len - 1));
    const r = await extractKernelFromMsi(nodeFs, path.join(d, 'p.msi'), d).catch((e: unknown) => e);
    if (r instanceof KernelSetupError) expect(r.code).toBe('invalid-msi');
    else expect((await fsp.readFile((r as { path: string }).path)).equals(kernel)).toBe(true);
  });

  it('refuses files that are not packages, and a missing file', async () => {
    await attempt(Buffer.alloc(0));
    await attempt(Buffer.from('PK\u0003\u0004 this is a zip, not an MSI'.padEnd(600, '.')));
    await attempt(Buffer.alloc(4096, 0xab));
    const staging = await fresh('staging');
    await refusal(extractKernelFromMsi(nodeFs, path.join(staging, 'absent.msi'), staging));
    await refusal(extractKernelFromMsi(nodeFs, staging, staging));
  });

  it('refuses Quantum with the msiexec route, LZX that does not decode, and unknown compression types', async () => {
    const setType = (type: number): Buffer =>
      editStream(embedded, 'kernel.cab', false, (b) => {
        b.writeUInt16LE(type, 42);
        return b;
      });
    const err = await attempt(setType(2), undefined, 'unsupported-compression');
    expect(err.message).toContain('Quantum');
    expect(err.message).toContain('msiexec /a "wsl_update_x64.msi" /qb TARGETDIR="C:\\temp"');
    // LZX with no window size, and MSZIP data declared as LZX: the LZX reader refuses both.
    expect((await attempt(setType(3))).message).toContain('LZX window of 2^0');
    await attempt(setType(0x1503));
    await attempt(setType(7));
  });

  it('refuses bit flips in the cabinet, or yields the exact kernel when the byte does not matter', async () => {
    const msi = await externalMsi();
    let refused = 0;
    const positions = [4, 8, 11, 16, 25, 26, 28, 30, 36, 40, 42, 44, 48, 52, 56, 60];
    for (let i = 0; i < 40; i++) positions.push(60 + Math.floor(((cab.length - 61) * i) / 39));
    for (const at of positions) {
      const flipped = patchCab((b) => (b[at] = b[at]! ^ 0x10));
      const d = await fresh('flip');
      await fsp.mkdir(path.join(d, 'staging'));
      await fsp.writeFile(path.join(d, 'p.msi'), msi);
      await fsp.writeFile(path.join(d, 'kernel.cab'), flipped);
      try {
        const r = await extractKernelFromMsi(nodeFs, path.join(d, 'p.msi'), path.join(d, 'staging'));
        expect((await fsp.readFile(r.path)).equals(kernel), `flip at ${at}`).toBe(true);
      } catch (err) {
        expect((err as KernelSetupError).code, `flip at ${at}: ${String(err)}`).toBe('invalid-msi');
        await emptyDir(path.join(d, 'staging'));
        refused++;
      }
    }
    expect(refused).toBeGreaterThanOrEqual(positions.length - 8);
    // And inside a package: a flipped data byte fails the block checksum.
    const err = await attempt(editStream(embedded, 'kernel.cab', false, (b) => {
      b.writeUInt8(b.readUInt8(b.length - 100) ^ 1, b.length - 100);
      return b;
    }));
    expect(err.message).toMatch(/checksum/);
  });

  it('refuses absurd sizes in the cabinet before decompressing anything', async () => {
    const msi = await externalMsi();
    expect((await attempt(msi, patchCab((b) => b.writeUInt32LE(0xfffffff0, 44)))).message).toMatch(/declares/);
    expect((await attempt(msi, patchCab((b) => b.writeUInt32LE(0x7fffffff, 8)))).message).toMatch(/truncated/);
    expect((await attempt(msi, patchCab((b) => b.writeUInt16LE(0xffff, 26)))).message).toMatch(/folders/);
    expect((await attempt(msi, patchCab((b) => b.writeUInt16LE(0xffff, 40)))).message).toMatch(/past its end|truncated|impossible/);
    expect((await attempt(msi, patchCab((b) => b.writeUInt16LE(0xffff, b.readUInt32LE(36) + 6)))).message).toMatch(/impossible/);
    expect((await attempt(msi, patchCab((b) => b.writeUInt32LE(0x10, 16)))).message).toMatch(/./);
    // 65535 tiny blocks that each claim 32 KiB, the kernel placed at the end of those 2 GiB: refused
    // from the block headers, before any block is decompressed.
    const bomb = Buffer.from(cab.subarray(0, cab.readUInt32LE(36)));
    bomb.writeUInt32LE(0x7ff00000, bomb.readUInt32LE(16) + 4);
    const blocks = Buffer.alloc(65535 * 9);
    for (let i = 0; i < 65535; i++) {
      blocks.writeUInt16LE(1, i * 9 + 4);
      blocks.writeUInt16LE(32768, i * 9 + 6);
    }
    bomb.writeUInt16LE(65535, 40);
    const big = Buffer.concat([bomb, blocks]);
    big.writeUInt32LE(big.length, 8);
    expect((await attempt(msi, big)).message).toMatch(/1 GiB before the file wanted/);
    expect((await attempt(await withSql("UPDATE File SET FileSize=2147483647 WHERE File='kernel'"), cab)).message).toMatch(/File table says/);
  });

  it('refuses a package without a kernel file', async () => {
    const msi = await buildMsi([{ id: 'vmlinux', name: 'vmlinux', data: kernel }]);
    expect((await attempt(await fsp.readFile(msi))).message).toMatch(/no.*"kernel"|does not install a file named "kernel"/);
  });

  it('refuses cabinet names that are paths, parents or drives, without reading them', async () => {
    const d = await fresh('hostile');
    await fsp.mkdir(path.join(d, 'pkg', 'sub'), { recursive: true });
    for (const evil of ['evil.cab', 'pkg/sub/evil.cab']) await fsp.writeFile(path.join(d, evil), cab);
    for (const name of ['../evil.cab', 'sub/evil.cab', 'sub\\evil.cab', 'C:evil.cab', '..', '/etc/passwd', 'CON', 'nul.cab', 'evil.cab.']) {
      const msi = await withSql(`UPDATE Media SET Cabinet='${name}' WHERE DiskId=1`);
      await fsp.writeFile(path.join(d, 'pkg', 'p.msi'), msi);
      await fsp.mkdir(path.join(d, 'staging'), { recursive: true });
      const err = await refusal(extractKernelFromMsi(nodeFs, path.join(d, 'pkg', 'p.msi'), path.join(d, 'staging')));
      expect(err.message).toMatch(/not a plain file name/);
      await emptyDir(path.join(d, 'staging'));
    }
  });

  it('refuses a cabinet file name with a path in it', async () => {
    // The File key is a primary key msibuild will not change, so rewrite it in the string data.
    const base = await buildMsi([{ id: 'kernel_bin', name: 'kernel', data: kernel }], '<Media Id="1" Cabinet="kernel.cab" EmbedCab="no"/>');
    for (const evil of ['..\\kernelb', '../kernel_', 'C:kernel_b']) {
      const msi = editStream(await fsp.readFile(base), '_StringData', true, (b) => {
        // Every occurrence: the component "C_kernel_bin" contains it too.
        for (let at = b.indexOf('kernel_bin'); at >= 0; at = b.indexOf('kernel_bin', at)) b.write(evil, at, 'latin1');
        return b;
      });
      expect((await attempt(msi, buildCab([{ name: evil, data: kernel }]))).message).toMatch(/not a plain file name/);
    }
  });

  it('refuses broken tables: string refs out of range, partial rows, cycles, missing media or streams', async () => {
    const badRef = editStream(embedded, 'File', true, (b) => (b.writeUInt16LE(0xfff0, 0), b));
    expect((await attempt(badRef)).message).toMatch(/string 65520, past the end/);
    const partial = editStream(embedded, 'File', true, (b) => Buffer.concat([b, Buffer.from([1])]));
    expect((await attempt(partial)).message).toMatch(/partial row/);
    const pool = editStream(embedded, '_StringPool', true, (b) => (b.writeUInt16LE(0xffff, 8), b));
    expect((await attempt(pool)).message).toMatch(/past the string data/);
    const cycle = await withSql("UPDATE Directory SET Directory_Parent='TOOLS' WHERE Directory='TARGETDIR'");
    expect((await attempt(cycle, cab)).message).toMatch(/cycle/);
    expect((await attempt(await withSql('DELETE FROM Media'), cab)).message).toMatch(/no Media row/);
    expect((await attempt(await withSql("UPDATE Media SET Cabinet='#nope.cab' WHERE DiskId=1"))).message).toMatch(/embedded cabinet "nope.cab" is missing/);
    expect((await attempt(await externalMsi())).message).toMatch(/cabinet "kernel.cab" does not exist/);
  });

  it('refuses a compound file whose sector chain or directory tree loops, quickly', async () => {
    const entries = cfbEntries(embedded);
    const cabEntry = entries.find((e) => e.name === encodeStreamName('kernel.cab', false))!;
    const fatAt = (s: number): number => (embedded.readInt32LE(76 + 4 * Math.floor(s / 128)) + 1) * 512 + (s % 128) * 4;
    const s1 = embedded.readInt32LE(fatAt(cabEntry.start));
    const s2 = embedded.readInt32LE(fatAt(s1));
    // The stream now starts inside a two-sector cycle (cfb 1.2.2 alone follows it until out of memory).
    const loop = Buffer.from(embedded);
    loop.writeInt32LE(s1, fatAt(s2));
    loop.writeInt32LE(s1, cabEntry.at + 116);
    const t0 = performance.now();
    expect((await attempt(loop)).message).toMatch(/loops/);
    // Two siblings that are each other's children (cfb 1.2.2 alone never returns).
    const tree = Buffer.from(embedded);
    const [a, b] = [1, 2];
    tree.writeInt32LE(b, entries[a]!.at + 68);
    tree.writeInt32LE(a, entries[b]!.at + 68);
    tree.writeInt32LE(a, entries[b]!.at + 72);
    tree.writeInt32LE(b, entries[a]!.at + 72);
    await attempt(tree);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('only ever throws KernelSetupError on 200 random mutations of a real package, quickly', async () => {
    const small = await fsp.readFile(await buildMsi([{ id: 'kernel', name: 'kernel', data: buildBzImage({ release: RELEASE, size: 8192 }) }]));
    const d = await fresh('fuzz');
    const target = path.join(d, 'wsl_update_x64.msi');
    const staging = path.join(d, 'staging');
    await fsp.mkdir(staging);
    const dirAt = (small.readInt32LE(48) + 1) * 512;
    const edit = fc.record({ region: fc.constantFrom('any', 'header', 'directory'), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) });
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 8 }), fc.option(fc.nat(), { freq: 4 }), async (edits, cut) => {
        const bytes = Buffer.from(small);
        for (const e of edits) {
          const at = e.region === 'header' ? e.at % 512 : e.region === 'directory' ? dirAt + (e.at % 512) : e.at % bytes.length;
          if (at < bytes.length) bytes[at] = e.value;
        }
        await fsp.writeFile(target, cut === null ? bytes : bytes.subarray(0, cut % bytes.length));
        const t0 = performance.now();
        try {
          const r = await extractKernelFromMsi(nodeFs, target, staging);
          expect((await fsp.stat(r.path)).size).toBe(r.size);
          await fsp.unlink(r.path);
        } catch (err) {
          if (!(err instanceof KernelSetupError)) throw err;
          expect(['invalid-msi', 'unsupported-compression']).toContain(err.code);
        }
        slowest = Math.max(slowest, performance.now() - t0);
        expect(await fsp.readdir(staging)).toEqual([]);
      }),
      { numRuns: 200 },
    );
    expect(slowest).toBeLessThan(2000);
  });
});
