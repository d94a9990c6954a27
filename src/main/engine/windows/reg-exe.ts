/**
 * The real HKEY_LOCAL_MACHINE through `reg.exe`: the fallback when the in-process binding
 * (native-registry.ts) cannot load.
 *
 * Every call passes `/reg:64`, so a 32-bit process still sees the 64-bit view, where WSL keeps its
 * values. `reg.exe` exits with 1 when a key or value does not exist; that is an answer ("absent"),
 * not an error. Only names, types and data are parsed, never its (localized) messages. What
 * `reg query` cannot show exactly is read through `reg export`, and what `reg add` cannot write
 * exactly is written through `reg import` (reg-exe-files.ts).
 */
import { isUtf8 } from 'node:buffer';
import { KernelSetupError } from '../../../shared/errors';
import type { RegValue, Registry } from '../machine/machine';
import { runFile, system32Dir, type RunResult, type Runner } from './exec';
import { exportValue, importValue, queryIsExact } from './reg-exe-files';

const TIMEOUT_MS = 30_000;
const READS = new Set(['query', 'export']);

/** Kinds of the types reg.exe names that have no typed form here. */
const RAW_KINDS: Record<string, number> = {
  REG_NONE: 0,
  REG_DWORD_BIG_ENDIAN: 5,
  REG_LINK: 6,
  REG_RESOURCE_LIST: 8,
  REG_FULL_RESOURCE_DESCRIPTOR: 9,
  REG_RESOURCE_REQUIREMENTS_LIST: 10,
};

/** One value line of `reg query` output. */
export interface RegQueryValue {
  name: string;
  type: string;
  data: string;
}

/** reg.exe prints in the console code page; anything not valid UTF-8 is read byte for byte. */
export function decodeRegOutput(buf: Buffer): string {
  return isUtf8(buf) ? buf.toString('utf8') : buf.toString('latin1');
}

/**
 * The value lines of `reg query` output: four spaces, the name, four spaces, the type, four
 * spaces, the data (`    CurrentBuild    REG_SZ    19045`). Key lines and blank lines are skipped.
 */
export function parseRegQuery(output: string): RegQueryValue[] {
  const values: RegQueryValue[] = [];
  for (const line of output.split(/\r*\n/)) {
    const m = /^ {4}(.*?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line.replace(/\r+$/, ''));
    if (m) values.push({ name: m[1] ?? '', type: m[2] ?? '', data: m[3] ?? '' });
  }
  return values;
}

function hexBytes(text: string): Uint8Array {
  const clean = text.trim();
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`unexpected binary data from reg.exe: ${clean}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Converts one `reg query` value line to a RegValue. */
export function toRegValue(v: RegQueryValue): RegValue {
  switch (v.type) {
    case 'REG_SZ':
      return { type: 'REG_SZ', data: v.data };
    case 'REG_EXPAND_SZ':
      return { type: 'REG_EXPAND_SZ', data: v.data };
    case 'REG_MULTI_SZ':
      // reg.exe shows the NUL separators as the two characters `\0`.
      return { type: 'REG_MULTI_SZ', data: v.data === '' ? [] : v.data.split('\\0') };
    case 'REG_DWORD': {
      const t = v.data.trim();
      if (!/^0x[0-9a-fA-F]{1,8}$/.test(t)) throw new Error(`unexpected REG_DWORD from reg.exe: ${v.data}`);
      return { type: 'REG_DWORD', data: Number(t) };
    }
    case 'REG_QWORD': {
      const t = v.data.trim();
      if (!/^0x[0-9a-fA-F]{1,16}$/.test(t)) throw new Error(`unexpected REG_QWORD from reg.exe: ${v.data}`);
      return { type: 'REG_QWORD', data: BigInt(t) };
    }
    case 'REG_BINARY':
      return { type: 'REG_BINARY', data: hexBytes(v.data) };
    default: {
      const kind = RAW_KINDS[v.type];
      if (kind === undefined) throw new Error(`unknown registry type from reg.exe: ${v.type}`);
      let data: Uint8Array;
      try {
        data = hexBytes(v.data);
      } catch {
        data = new Uint8Array(0);
      }
      return { type: 'REG_RAW', kind, data };
    }
  }
}

/** The `/t … /d …` arguments of `reg add` for a value. */
export function regAddData(value: RegValue): string[] {
  switch (value.type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return ['/t', value.type, '/d', value.data];
    case 'REG_MULTI_SZ': {
      // reg.exe splits /d on a separator character (/s); pick one no string contains.
      const sep = ['|', '~', '^', '`', '#', '*', ';'].find((c) => value.data.every((s) => !s.includes(c)));
      if (sep === undefined) throw new Error('REG_MULTI_SZ strings use every separator reg.exe could be given');
      return ['/t', 'REG_MULTI_SZ', '/s', sep, '/d', value.data.join(sep)];
    }
    case 'REG_DWORD':
      return ['/t', 'REG_DWORD', '/d', String(value.data >>> 0)];
    case 'REG_QWORD':
      return ['/t', 'REG_QWORD', '/d', `0x${value.data.toString(16)}`];
    case 'REG_BINARY':
      return ['/t', 'REG_BINARY', '/d', Buffer.from(value.data).toString('hex')];
    case 'REG_RAW':
      throw new Error(`reg.exe cannot write registry type ${value.kind}`);
  }
}

function valueArgs(name: string): string[] {
  return name === '' ? ['/ve'] : ['/v', name];
}

export class RegExeRegistry implements Registry {
  constructor(
    private readonly run: Runner = runFile,
    private readonly regExe: string = `${system32Dir()}\\reg.exe`,
  ) {}

  private async reg(args: string[]): Promise<RunResult> {
    let r = await this.run(this.regExe, [...args, '/reg:64'], TIMEOUT_MS);
    // A read that failed in an unexpected way (reg.exe killed or crashed on a loaded machine) is
    // asked once more: reading twice changes nothing. Writes are never repeated blindly.
    if (r.code !== 0 && r.code !== 1 && !r.notFound && !r.timedOut && READS.has(args[0] ?? '')) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      r = await this.run(this.regExe, [...args, '/reg:64'], TIMEOUT_MS);
    }
    if (r.code === 0 || r.code === 1) return r;
    const why = r.notFound ? 'reg.exe was not found' : r.timedOut ? 'reg.exe timed out' : `reg.exe exited with ${r.code}`;
    throw new KernelSetupError('io-error', `${why} (reg ${args.join(' ')}): ${decodeRegOutput(r.stderr).trim()}`);
  }

  async keyExists(key: string): Promise<boolean> {
    return (await this.reg(['query', `HKLM\\${key}`])).code === 0;
  }

  private readonly call = async (args: string[]): Promise<number | null> => (await this.reg(args)).code;

  async getValue(key: string, name: string): Promise<RegValue | null> {
    const r = await this.reg(['query', `HKLM\\${key}`, ...valueArgs(name)]);
    if (r.code !== 0) return null;
    const values = parseRegQuery(decodeRegOutput(r.stdout));
    // With /ve the default value's name is localized ("(Default)"); with /v it is the name asked for.
    const found = name === '' ? values[0] : values.find((v) => v.name.toLowerCase() === name.toLowerCase());
    if (found && queryIsExact(name, found)) return toRegValue(found);
    // Not shown exactly (or its name came back changed): read the key's export instead.
    return exportValue(this.call, key, name);
  }

  async subkeys(key: string): Promise<string[]> {
    const r = await this.reg(['query', `HKLM\\${key}`]);
    if (r.code !== 0) return [];
    const prefix = `HKEY_LOCAL_MACHINE\\${key}\\`.toLowerCase();
    return decodeRegOutput(r.stdout)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.toLowerCase().startsWith(prefix))
      .map((l) => l.slice(prefix.length))
      .filter((n) => n && !n.includes('\\'));
  }

  async setValue(key: string, name: string, value: RegValue): Promise<void> {
    // reg add cannot write an empty string inside a REG_MULTI_SZ, nor types it has no name for.
    const viaImport = value.type === 'REG_MULTI_SZ' || value.type === 'REG_RAW';
    const r = viaImport
      ? { code: await importValue(this.call, key, name, value), stderr: Buffer.alloc(0) }
      : await this.reg(['add', `HKLM\\${key}`, ...valueArgs(name), ...regAddData(value), '/f']);
    if (r.code !== 0) {
      throw new KernelSetupError('io-error', `Could not write HKLM\\${key}\\${name}: ${decodeRegOutput(r.stderr).trim()}`);
    }
  }

  async deleteValue(key: string, name: string): Promise<void> {
    const r = await this.reg(['delete', `HKLM\\${key}`, ...valueArgs(name), '/f']);
    // Exit code 1 is usually "already absent", which is what was asked, but it is also "access
    // denied": check, rather than read the (localized) message.
    if (r.code !== 0 && (await this.getValue(key, name)) !== null) {
      throw new KernelSetupError('io-error', `Could not delete HKLM\\${key}\\${name}: ${decodeRegOutput(r.stderr).trim()}`);
    }
  }
}
