/**
 * Parser for the REGEDIT5 `.reg` format, restricted to HKEY_LOCAL_MACHINE.
 *
 * The file is applied line by line, as regedit imports it: later lines override earlier ones and
 * `[-key]` / `"name"=-` remove what came before. Anything malformed throws `invalid-machine` with
 * the file label and the line number, so a hand-edited sandbox points at its own mistake.
 */
import { KernelSetupError } from '../../../shared/errors';
import type { RegValue } from '../machine/machine';
import {
  deleteKey,
  deleteValue,
  emptyRegTree,
  ensureKey,
  setValue,
  type RegEncoding,
  type RegTree,
} from './reg-tree';

const HEADERS = ['windows registry editor version 5.00', 'regedit4'];
const HIVES = ['hkey_local_machine', 'hklm'];

class LineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

function fail(line: number, what: string): never {
  throw new LineError(line, what);
}

/** Parses a `.reg` file into the tree it leaves behind. Throws `invalid-machine` when malformed. */
export function parseReg(bytes: Uint8Array, fileLabel = 'machine.reg'): { tree: RegTree; encoding: RegEncoding } {
  try {
    const { text, encoding } = decodeRegText(bytes);
    return { tree: applyLines(text), encoding };
  } catch (err) {
    if (err instanceof LineError) {
      throw new KernelSetupError('invalid-machine', `${fileLabel} line ${err.line}: ${err.message}`, {
        file: fileLabel,
        line: err.line,
      });
    }
    throw err;
  }
}

/** Decodes UTF-16LE (BOM, or NULs in the high bytes) or UTF-8 (BOM optional, must be valid). */
function decodeRegText(bytes: Uint8Array): { text: string; encoding: RegEncoding } {
  const b = bytes;
  if (b[0] === 0xfe && b[1] === 0xff) fail(1, 'UTF-16 big-endian is not supported; save the file as UTF-16LE or UTF-8');
  const utf16Bom = b[0] === 0xff && b[1] === 0xfe;
  // Without a BOM, ASCII text in UTF-16LE has a NUL after its first character; UTF-8 never does.
  const utf16NoBom = !utf16Bom && b.length >= 2 && b[0] !== 0 && b[1] === 0;
  if (utf16Bom || utf16NoBom) {
    const body = b.subarray(utf16Bom ? 2 : 0);
    if (body.length % 2 !== 0) {
      const lines = Buffer.from(body.buffer, body.byteOffset, body.length - 1).toString('utf16le').split('\n');
      fail(lines.length, 'the file is UTF-16 but has an odd number of bytes (truncated?)');
    }
    return { text: Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf16le'), encoding: 'utf16le' };
  }
  const bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  const body = bom ? b.subarray(3) : b;
  try {
    // The BOM is remembered, so a rewrite keeps the file as its author saved it.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: bom ? 'utf8-bom' : 'utf8' };
  } catch {
    // Locate the first line that is not valid UTF-8, to name it.
    let line = 1;
    let start = 0;
    for (let i = 0; i <= body.length; i++) {
      if (i === body.length || body[i] === 0x0a) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(start, i));
        } catch {
          break;
        }
        line++;
        start = i + 1;
      }
    }
    return fail(line, 'the file is neither UTF-16LE with a BOM nor valid UTF-8');
  }
}

/** One logical line: physical lines joined where they end in `\`. */
interface LogicalLine {
  line: number;
  text: string;
}

function logicalLines(text: string): LogicalLine[] {
  const physical = text.split(/\r\n|\r|\n/);
  const out: LogicalLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    const start = i + 1;
    let current = (physical[i] ?? '').trimEnd();
    // Comments and key lines never continue; a value line ending in `\` does (regedit wraps hex).
    // The pieces are collected and joined once: testing the end of an ever longer joined string
    // would make a long wrapped value cost the square of its length.
    if (!/^\s*[;[]/.test(current) && current.endsWith('\\')) {
      const parts: string[] = [];
      let piece = current;
      while (piece.endsWith('\\')) {
        parts.push(piece.slice(0, -1));
        i++;
        if (i >= physical.length) fail(start, 'the file ends inside a line continuation');
        piece = (physical[i] ?? '').trim();
      }
      parts.push(piece);
      current = parts.join('');
    }
    out.push({ line: start, text: current });
  }
  return out;
}

function applyLines(text: string): RegTree {
  const tree = emptyRegTree();
  const lines = logicalLines(text.startsWith('\ufeff') ? text.slice(1) : text);
  let headerSeen = false;
  /** The key value lines apply to; null before the first key or after a key deletion. */
  let current: string | null = null;
  let afterDelete = false;
  for (const { line, text: raw } of lines) {
    const t = raw.trim();
    if (t === '') continue;
    if (!headerSeen) {
      if (!HEADERS.includes(t.toLowerCase())) {
        fail(line, 'expected the header "Windows Registry Editor Version 5.00"');
      }
      headerSeen = true;
      continue;
    }
    if (t.startsWith(';')) continue;
    if (t.startsWith('[')) {
      const close = t.lastIndexOf(']');
      if (close < 0) fail(line, 'key line without a closing "]"');
      if (t.slice(close + 1).trim() !== '') fail(line, 'unexpected text after "]"');
      const remove = t[1] === '-';
      const path = parseKeyPath(t.slice(remove ? 2 : 1, close), line);
      if (remove) {
        deleteKey(tree, path);
        current = null;
        afterDelete = true;
      } else {
        ensureKey(tree, path);
        current = path;
      }
      continue;
    }
    if (current === null) {
      fail(line, afterDelete ? 'value line after a key deletion' : 'value line before any [key] line');
    }
    applyValueLine(tree, current, raw.trimStart(), line);
  }
  if (!headerSeen) fail(1, 'missing the header "Windows Registry Editor Version 5.00"');
  return tree;
}

/** Characters no registry key or value name can hold (the writer cannot quote them either). */
const UNNAMEABLE = /[\r\n\0]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function parseKeyPath(full: string, line: number): string {
  const sep = full.indexOf('\\');
  const hive = (sep < 0 ? full : full.slice(0, sep)).toLowerCase();
  if (!HIVES.includes(hive)) {
    fail(line, `key "${full}" is not under HKEY_LOCAL_MACHINE (only HKEY_LOCAL_MACHINE is supported)`);
  }
  const path = sep < 0 ? '' : full.slice(sep + 1).replace(/\\+$/, '');
  if (path !== '' && path.split('\\').some((s) => s === '')) fail(line, `key "${full}" has an empty name part`);
  // Registry names cannot hold these, and such a name could never be written back.
  if (UNNAMEABLE.test(path)) fail(line, `key "${full}" holds a control character (NUL, CR, LF) or a broken UTF-16 character`);
  return path;
}

/** Reads a quoted string starting at `at` (on the opening quote); returns its text and the index after it. */
function readQuoted(s: string, at: number, line: number): { value: string; end: number } {
  let out = '';
  for (let i = at + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\') {
      const next = s[i + 1];
      if (next === '\\' || next === '"') {
        out += next;
        i++;
        continue;
      }
      fail(line, next === undefined ? 'unterminated string' : `unknown escape "\\${next}" (write a backslash as \\\\)`);
    }
    out += c;
  }
  return fail(line, 'unterminated string');
}

function applyValueLine(tree: RegTree, key: string, s: string, line: number): void {
  let name: string;
  let i: number;
  if (s.startsWith('@')) {
    name = '';
    i = 1;
  } else if (s.startsWith('"')) {
    const q = readQuoted(s, 0, line);
    name = q.value;
    i = q.end;
  } else {
    return fail(line, 'expected "name"=value, @=value, a [key] or a ; comment');
  }
  if (UNNAMEABLE.test(name)) fail(line, 'the value name holds a control character (NUL, CR, LF) or a broken UTF-16 character');
  const rest = s.slice(i).trimStart();
  if (!rest.startsWith('=')) fail(line, 'expected "=" after the value name');
  const data = rest.slice(1).trim();
  if (data === '-') {
    deleteValue(tree, key, name);
    return;
  }
  setValue(tree, key, name, parseData(data, line));
}

function parseData(data: string, line: number): RegValue {
  if (data.startsWith('"')) {
    const q = readQuoted(data, 0, line);
    if (data.slice(q.end).trim() !== '') fail(line, 'unexpected text after the closing quote');
    return { type: 'REG_SZ', data: q.value };
  }
  const lower = data.toLowerCase();
  if (lower.startsWith('dword:')) {
    const digits = data.slice(6).trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(digits)) fail(line, `bad dword "${digits}" (expected 1 to 8 hex digits)`);
    return { type: 'REG_DWORD', data: parseInt(digits, 16) };
  }
  const hex = /^hex(?:\(([0-9a-fA-F]{1,8})\))?:/.exec(lower);
  if (!hex) {
    return fail(line, `unknown value type in "${data.length > 40 ? `${data.slice(0, 40)}…` : data}"`);
  }
  const kind = hex[1] === undefined ? 3 : parseInt(hex[1], 16);
  const bytes = parseHexBytes(data.slice(hex[0].length), line);
  switch (kind) {
    case 1:
      return { type: 'REG_SZ', data: utf16String(bytes, line) };
    case 2:
      return { type: 'REG_EXPAND_SZ', data: utf16String(bytes, line) };
    case 3:
      return { type: 'REG_BINARY', data: bytes };
    case 7:
      return { type: 'REG_MULTI_SZ', data: multiString(utf16(bytes, line)) };
    case 11: {
      if (bytes.length !== 8) fail(line, `hex(b) (REG_QWORD) needs exactly 8 bytes, found ${bytes.length}`);
      return { type: 'REG_QWORD', data: new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true) };
    }
    default:
      return { type: 'REG_RAW', kind, data: bytes };
  }
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/** `aa,bb, cc` → bytes, in one pass over the text (values of megabytes are parsed in linear time). */
function parseHexBytes(list: string, line: number): Uint8Array {
  const out = new Uint8Array((list.length >> 1) + 1);
  let n = 0;
  let i = 0;
  const len = list.length;
  const isSpace = (c: number) => c === 0x20 || c === 0x09;
  while (i < len && isSpace(list.charCodeAt(i))) i++;
  if (i === len) return new Uint8Array(0);
  for (;;) {
    const start = i;
    while (i < len && list.charCodeAt(i) !== 0x2c) i++;
    const part = list.slice(start, i).trim();
    const hi = part.length === 2 ? hexDigit(part.charCodeAt(0)) : -1;
    const lo = part.length === 2 ? hexDigit(part.charCodeAt(1)) : -1;
    if (hi < 0 || lo < 0) fail(line, `bad hex byte "${part}" (expected two hex digits between commas)`);
    out[n++] = (hi << 4) | lo;
    if (i === len) break;
    i++; // the comma
  }
  return out.slice(0, n);
}

function utf16(bytes: Uint8Array, line: number): string {
  if (bytes.length % 2 !== 0) fail(line, `UTF-16 string data has an odd number of bytes (${bytes.length})`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf16le');
}

/** A NUL-terminated UTF-16LE string; the terminator is dropped when present. */
function utf16String(bytes: Uint8Array, line: number): string {
  const s = utf16(bytes, line);
  return s.endsWith('\0') ? s.slice(0, -1) : s;
}

/**
 * A REG_MULTI_SZ list: each string NUL-terminated, then one more NUL. The inverse of
 * `multiStringText` in reg-write.ts, and tolerant of missing terminators.
 */
export function multiString(s: string): string[] {
  let body = s.endsWith('\0') ? s.slice(0, -1) : s;
  if (body === '') return [];
  if (body.endsWith('\0')) body = body.slice(0, -1);
  return body.split('\0');
}
