/**
 * The real HKEY_LOCAL_MACHINE in-process, through `native-reg` (Win32 RegGetValueW, RegSetValueExW,
 * RegDeleteValueW; prebuilt N-API binaries for x64, arm64 and ia32 inside its npm package, so the
 * same file loads in Node and in Electron).
 *
 * Values travel as raw bytes with their type and are converted here with the same rules as the
 * sandbox's REGEDIT5 reader, so every type round-trips exactly, non-ASCII text included (reg.exe
 * prints in the console code page and cannot show a REG_QWORD under Wine or a trailing empty
 * string of a REG_MULTI_SZ). Every call uses the 64-bit view, where WSL keeps its values.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as NativeReg from 'native-reg';
import { KernelSetupError } from '../../../shared/errors';
import type { RegValue, Registry } from '../machine/machine';
import { multiString, multiStringText } from '../registry/reg-file';

type NativeRegModule = typeof NativeReg;

const KIND = { SZ: 1, EXPAND_SZ: 2, BINARY: 3, DWORD: 4, MULTI_SZ: 7, QWORD: 11 } as const;
/** KEY_WOW64_64KEY and RRF_SUBKEY_WOW6464KEY: the 64-bit view, even from a 32-bit process. */
const WOW64_64KEY = 0x0100;
const RRF_SUBKEY_WOW6464KEY = 0x10000;
const RRF_NOEXPAND = 0x10000000;
const RRF_RT_ANY = 0xffff;
const KEY_QUERY_VALUE = 0x0001;
const KEY_SET_VALUE = 0x0002;
const KEY_ENUMERATE_SUB_KEYS = 0x0008;
const HKLM = 0x80000002;

function utf16(bytes: Buffer): string {
  return bytes.subarray(0, bytes.length & ~1).toString('utf16le');
}

/** Raw registry bytes of type `kind` as a RegValue (the rules of reg-parse.ts for hex(n) data). */
export function fromRaw(kind: number, bytes: Buffer): RegValue {
  switch (kind) {
    case KIND.SZ:
    case KIND.EXPAND_SZ: {
      const s = utf16(bytes);
      return { type: kind === KIND.SZ ? 'REG_SZ' : 'REG_EXPAND_SZ', data: s.endsWith('\0') ? s.slice(0, -1) : s };
    }
    case KIND.MULTI_SZ:
      return { type: 'REG_MULTI_SZ', data: multiString(utf16(bytes)) };
    case KIND.DWORD:
      if (bytes.length === 4) return { type: 'REG_DWORD', data: bytes.readUInt32LE(0) };
      break;
    case KIND.QWORD:
      if (bytes.length === 8) return { type: 'REG_QWORD', data: bytes.readBigUInt64LE(0) };
      break;
    case KIND.BINARY:
      return { type: 'REG_BINARY', data: Uint8Array.from(bytes) };
  }
  // Any other type, or a DWORD / QWORD of the wrong size: kept byte for byte.
  return { type: 'REG_RAW', kind, data: Uint8Array.from(bytes) };
}

/** A RegValue as its registry type and bytes (the inverse of fromRaw). */
export function toRaw(value: RegValue): { kind: number; bytes: Buffer } {
  switch (value.type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return { kind: value.type === 'REG_SZ' ? KIND.SZ : KIND.EXPAND_SZ, bytes: Buffer.from(`${value.data}\0`, 'utf16le') };
    case 'REG_MULTI_SZ':
      return { kind: KIND.MULTI_SZ, bytes: Buffer.from(multiStringText(value.data), 'utf16le') };
    case 'REG_DWORD': {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(value.data >>> 0);
      return { kind: KIND.DWORD, bytes: b };
    }
    case 'REG_QWORD': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(value.data);
      return { kind: KIND.QWORD, bytes: b };
    }
    case 'REG_BINARY':
      return { kind: KIND.BINARY, bytes: Buffer.from(value.data) };
    case 'REG_RAW':
      return { kind: value.kind, bytes: Buffer.from(value.data) };
  }
}

function fail(what: string, err: unknown): never {
  throw new KernelSetupError('io-error', `${what}: ${(err as Error).message}`);
}

export class NativeRegistry implements Registry {
  constructor(private readonly reg: NativeRegModule) {}

  async keyExists(key: string): Promise<boolean> {
    let h: NativeReg.HKEY | null;
    try {
      h = this.reg.openKey(HKLM, key, KEY_QUERY_VALUE | WOW64_64KEY);
    } catch (err) {
      return fail(`Could not open HKLM\\${key}`, err);
    }
    this.reg.closeKey(h);
    return h !== null;
  }

  async getValue(key: string, name: string): Promise<RegValue | null> {
    let raw: NativeReg.Value | null;
    try {
      // NOEXPAND: a REG_EXPAND_SZ is returned as stored, like every other type.
      raw = this.reg.getValueRaw(HKLM, key, name, RRF_RT_ANY | RRF_NOEXPAND | RRF_SUBKEY_WOW6464KEY);
    } catch (err) {
      return fail(`Could not read HKLM\\${key}\\${name}`, err);
    }
    return raw ? fromRaw(raw.type, raw) : null;
  }

  /** The names of a key's subkeys (ProfileList's SIDs); none when the key does not exist. */
  async subkeys(key: string): Promise<string[]> {
    let h: NativeReg.HKEY | null = null;
    try {
      h = this.reg.openKey(HKLM, key, KEY_ENUMERATE_SUB_KEYS | WOW64_64KEY);
      return h === null ? [] : this.reg.enumKeyNames(h);
    } catch (err) {
      return fail(`Could not list the subkeys of HKLM\\${key}`, err);
    } finally {
      this.reg.closeKey(h);
    }
  }

  async setValue(key: string, name: string, value: RegValue): Promise<void> {
    const { kind, bytes } = toRaw(value);
    let h: NativeReg.HKEY | null = null;
    try {
      h = this.reg.createKey(HKLM, key, KEY_SET_VALUE | WOW64_64KEY);
      this.reg.setValueRaw(h, name, kind, bytes);
    } catch (err) {
      fail(`Could not write HKLM\\${key}\\${name}`, err);
    } finally {
      this.reg.closeKey(h);
    }
  }

  async deleteValue(key: string, name: string): Promise<void> {
    let h: NativeReg.HKEY | null = null;
    try {
      h = this.reg.openKey(HKLM, key, KEY_SET_VALUE | WOW64_64KEY);
      // No key, or no value (deleteValue returns false): already what was asked.
      if (h !== null) this.reg.deleteValue(h, name);
    } catch (err) {
      fail(`Could not delete HKLM\\${key}\\${name}`, err);
    } finally {
      this.reg.closeKey(h);
    }
  }
}

/** The in-process registry, or null when the binding cannot load here (not Windows, or blocked). */
export function loadNativeRegistry(): NativeRegistry | null {
  if (process.platform !== 'win32') return null;
  // Loaded at run time from node_modules (never bundled): node-gyp-build finds the prebuilt binary
  // for this architecture beside the package. The packaged CLI (resources\cli\wslk.cjs) finds it
  // in the app's archive beside it.
  for (const id of ['native-reg', join(dirname(__filename), '..', 'app.asar', 'node_modules', 'native-reg')]) {
    try {
      return new NativeRegistry(createRequire(__filename)(id) as NativeRegModule);
    } catch {
      // Not there, or blocked from loading: try the next place, then fall back to reg.exe.
    }
  }
  return null;
}
