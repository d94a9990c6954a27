/**
 * Writer for the REGEDIT5 `.reg` format: the exact inverse of `parseReg` for every tree it accepts.
 *
 * Strings that a quoted line cannot carry (CR, LF, NUL, unpaired UTF-16 surrogates) are written as
 * `hex(1):` UTF-16LE, which `parseReg` reads back as REG_SZ, so the round trip is exact.
 */
import type { RegValue } from '../machine/machine';
import type { RegEncoding, RegTree } from './reg-tree';

const HEADER = 'Windows Registry Editor Version 5.00';
const HIVE = 'HKEY_LOCAL_MACHINE';
/** regedit wraps hex data at about 80 columns. */
const WRAP = 76;

/** Code points a quoted string or name cannot hold. */
const UNQUOTABLE = /[\r\n\0]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Serializes a tree as a `.reg` file: CRLF line ends, UTF-16LE with a BOM, or UTF-8 with or without one. */
export function serializeReg(tree: RegTree, encoding: RegEncoding): Buffer {
  const lines: string[] = [HEADER, ''];
  for (const key of tree.keys.values()) {
    checkName(key.path, 'key path');
    if (key.path !== '' && key.path.split('\\').some((s) => s === '')) {
      throw new Error(`cannot write key "${key.path}": it has an empty name part`);
    }
    lines.push(key.path === '' ? `[${HIVE}]` : `[${HIVE}\\${key.path}]`);
    for (const { name, value } of key.values.values()) {
      checkName(name, 'value name');
      const lhs = name === '' ? '@' : quote(name);
      lines.push(`${lhs}=${formatData(value, lhs.length + 1)}`);
    }
    lines.push('');
  }
  const text = lines.join('\r\n');
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

function checkName(name: string, what: string): void {
  if (UNQUOTABLE.test(name)) throw new Error(`cannot write ${what} ${JSON.stringify(name)}: it holds CR, LF, NUL or a lone surrogate`);
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function formatData(value: RegValue, column: number): string {
  switch (value.type) {
    case 'REG_SZ':
      return UNQUOTABLE.test(value.data) ? hexData('hex(1):', utf16z(value.data), column) : quote(value.data);
    case 'REG_EXPAND_SZ':
      return hexData('hex(2):', utf16z(value.data), column);
    case 'REG_MULTI_SZ':
      return hexData('hex(7):', Buffer.from(multiStringText(value.data), 'utf16le'), column);
    case 'REG_DWORD': {
      const n = value.data;
      if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`REG_DWORD out of range: ${n}`);
      return `dword:${n.toString(16).padStart(8, '0')}`;
    }
    case 'REG_QWORD': {
      const b = Buffer.alloc(8);
      if (value.data < 0n || value.data > 0xffffffffffffffffn) throw new Error(`REG_QWORD out of range: ${value.data}`);
      b.writeBigUInt64LE(value.data);
      return hexData('hex(b):', b, column);
    }
    case 'REG_BINARY':
      return hexData('hex:', value.data, column);
    case 'REG_RAW': {
      const { kind } = value;
      // These kinds have a typed form; writing them raw would read back as that type.
      if ([1, 2, 3, 7, 11].includes(kind) || !Number.isInteger(kind) || kind < 0 || kind > 0xffffffff) {
        throw new Error(`REG_RAW cannot use kind ${kind}: use the typed value instead`);
      }
      return hexData(`hex(${kind.toString(16)}):`, value.data, column);
    }
  }
}

/** The string with its NUL terminator, as UTF-16LE (how REG_SZ / REG_EXPAND_SZ are stored). */
function utf16z(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf16le');
}

/** Each string NUL-terminated, then one more NUL (the inverse of `multiString` in reg-parse.ts). */
export function multiStringText(list: readonly string[]): string {
  for (const s of list) if (s.includes('\0')) throw new Error('a REG_MULTI_SZ string cannot contain NUL');
  return `${list.map((s) => `${s}\0`).join('')}\0`;
}

/** `prefix` then comma-separated bytes, wrapped with `,\` and two spaces as regedit does. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hexData(prefix: string, bytes: Uint8Array, column: number): string {
  // Built as a list of lines joined once: linear in the size of the value.
  const lines: string[] = [];
  let line = prefix;
  let col = column + prefix.length;
  for (let i = 0; i < bytes.length; i++) {
    const item = HEX[bytes[i]!]! + (i < bytes.length - 1 ? ',' : '');
    if (col + item.length > WRAP) {
      lines.push(line);
      line = '  ';
      col = 2;
    }
    line += item;
    col += item.length;
  }
  lines.push(line);
  return lines.join('\\\r\n');
}
