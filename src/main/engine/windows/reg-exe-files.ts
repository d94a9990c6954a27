/**
 * Exact reads and writes through reg.exe's file forms: `reg export` writes a key as a UTF-16LE
 * REGEDIT5 file and `reg import` reads one, so no value passes through the console code page or
 * reg.exe's display format. Parsed and written with the sandbox's own REGEDIT5 code (reg-file.ts).
 */
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegValue } from '../machine/machine';
import { emptyRegTree, getValue, parseReg, serializeReg, setValue } from '../registry/reg-file';

/** Runs reg.exe with these arguments (`/reg:64` added by the caller); returns its exit code. */
export type RegCall = (args: string[]) => Promise<number | null>;

async function withTempFile<T>(fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await fsp.mkdtemp(join(tmpdir(), 'wslk-reg-'));
  try {
    return await fn(join(dir, 'values.reg'));
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

/** One value of `key`, read from `reg export` of the key; null when the key or value is absent. */
export function exportValue(reg: RegCall, key: string, name: string): Promise<RegValue | null> {
  return withTempFile(async (file) => {
    if ((await reg(['export', `HKLM\\${key}`, file, '/y'])) !== 0) return null;
    return getValue(parseReg(await fsp.readFile(file), 'reg export').tree, key, name);
  });
}

/** Writes one value with `reg import` of a one-value file; returns reg.exe's exit code. */
export function importValue(reg: RegCall, key: string, name: string, value: RegValue): Promise<number | null> {
  return withTempFile(async (file) => {
    const tree = emptyRegTree();
    setValue(tree, key, name, value);
    await fsp.writeFile(file, serializeReg(tree, 'utf16le'));
    return reg(['import', file]);
  });
}

/** Printable ASCII survives every console code page; anything else may come back changed. */
const SAFE_TEXT = /^[\x20-\x3e\x40-\x7e]*$/;

/**
 * Whether a `reg query` line can be trusted as it reads: text outside printable ASCII (or a `?`,
 * what a code page prints for what it cannot show), a REG_MULTI_SZ (its display drops a trailing
 * empty string) and a REG_QWORD that is not hex (Wine prints `(null)`) are read again exactly.
 */
export function queryIsExact(name: string, v: { type: string; data: string }): boolean {
  if (!SAFE_TEXT.test(name)) return false;
  switch (v.type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return SAFE_TEXT.test(v.data);
    case 'REG_MULTI_SZ':
      return false;
    case 'REG_QWORD':
      return /^0x[0-9a-fA-F]{1,16}$/.test(v.data.trim());
    default:
      return true;
  }
}
