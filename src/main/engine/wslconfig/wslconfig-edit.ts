/**
 * Changing `[wsl2] kernel=` / `kernelModules=` in `.wslconfig` text and nothing else.
 *
 * Every other character (comments, blank lines, other keys and sections, line endings) stays as it
 * was: the edit splices the value of one line, or inserts or removes whole lines of these two keys.
 * The result is checked with the WSL-faithful reader before it is returned: the two keys read as
 * asked and every other setting WSL sees is unchanged, or the edit is refused.
 */
import { KernelSetupError } from '../../../shared/errors';
import { parseWslConfig, type WslConfigDocument, type WslConfigEntry } from './wslconfig-parse';

export type Wsl2PathKey = 'kernel' | 'kernelModules';

/** What to do with one key: put this raw value text in place, or remove the key. */
export type KeyEdit = { raw: string } | { remove: true };

/** A key as the file had it, so that it can be put back exactly (the raw text between `=` and the comment). */
export interface KeyRecord {
  present: boolean;
  raw: string;
  /** The value WSL read from it ('' when absent or dropped). */
  value: string;
}

const fullKey = (k: Wsl2PathKey): string => `wsl2.${k}`.toLowerCase();

/**
 * The text to write after `kernel=` so that WSL reads exactly `path` (DESIGN §8.3).
 *
 * Backslashes, quotes, TAB, LF and BS are escaped; a `#` or blanks at either end need quotes.
 * WSL stores each UTF-16 unit it reads as one byte (`static_cast<char>`) and decodes the bytes as
 * UTF-8 (configfile.cpp, `value += static_cast<char>(ch)`; `MultiByteToWide`), so a non-ASCII
 * character is written as its UTF-8 bytes, each as the character U+0080–U+00FF with that value:
 * that is the only spelling WSL reads back as the same character.
 */
export function encodeWslConfigValue(path: string): string {
  if (/[\r\0]/.test(path) || path.includes('\u001a') || /[\uD800-\uDFFF]/.test(path.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) {
    throw new KernelSetupError('wslconfig-unsafe-edit', `The path ${JSON.stringify(path)} cannot be written to .wslconfig.`);
  }
  let out = '';
  for (const c of path) {
    const cp = c.codePointAt(0) ?? 0;
    if (cp >= 0x80) {
      for (const b of Buffer.from(c, 'utf8')) out += String.fromCharCode(b);
      continue;
    }
    out += c === '\\' ? '\\\\' : c === '"' ? '\\"' : c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\b' ? '\\b' : c;
  }
  return /^ | $|#/.test(path) || path === '' ? `"${out}"` : out;
}

/** The first line of the key in `[wsl2]` (the one WSL takes once it is valid), or null. */
function firstEntry(doc: WslConfigDocument, key: Wsl2PathKey): WslConfigEntry | null {
  return doc.entries.find((e) => e.fullKey.toLowerCase() === fullKey(key)) ?? null;
}

export function recordKey(text: string, key: Wsl2PathKey): KeyRecord {
  const doc = parseWslConfig(text);
  const e = firstEntry(doc, key);
  if (!e) return { present: false, raw: '', value: '' };
  return { present: true, raw: text.slice(e.valueStart, e.valueEnd), value: doc.effective.get(fullKey(key))?.value ?? '' };
}

/** The line break the file mostly uses (CR LF for a new file, as Windows editors write). */
export function dominantEol(text: string): string {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  return lf > crlf ? '\n' : '\r\n';
}

function breakAt(text: string, at: number): string {
  if (text.startsWith('\r\n', at)) return '\r\n';
  return text[at] === '\n' || text[at] === '\r' ? (text[at] as string) : '';
}

interface Splice {
  from: number;
  to: number;
  insert: string;
}

function splice(text: string, s: Splice): string {
  return text.slice(0, s.from) + s.insert + text.slice(s.to);
}

/** Removes the last line of the key, or returns null when there is none. */
function removeLastLine(text: string, key: Wsl2PathKey): string | null {
  const e = parseWslConfig(text).entries.filter((x) => x.fullKey.toLowerCase() === fullKey(key)).pop();
  if (!e) return null;
  // A trailing comment is the user's: it stays, on a line of its own.
  if (e.commentStart >= 0) return splice(text, { from: e.lineStart, to: e.commentStart, insert: '' });
  const br = breakAt(text, e.lineEnd);
  // The last line of the file has no break of its own: take the one before it (an insertion added it).
  const before = br || e.lineStart === 0 ? 0 : text.startsWith('\r\n', e.lineStart - 2) ? 2 : 1;
  return splice(text, { from: e.lineStart - before, to: e.lineEnd + br.length, insert: '' });
}

function applyKey(text: string, key: Wsl2PathKey, edit: KeyEdit, eol: string): string {
  if ('remove' in edit) {
    // Every line of the key goes: a later duplicate would otherwise become the one WSL takes.
    let out = text;
    for (let next = removeLastLine(out, key); next !== null; next = removeLastLine(out, key)) out = next;
    return out;
  }
  const doc = parseWslConfig(text);
  const first = firstEntry(doc, key);
  if (first) {
    const insert = text[first.valueEnd] === '#' ? `${edit.raw} ` : edit.raw;
    return splice(text, { from: first.valueStart, to: first.valueEnd, insert });
  }
  const line = `${key}=${edit.raw}`;
  const header = doc.sections.find((s) => s.name.toLowerCase() === 'wsl2');
  if (header) {
    const at = header.lineEnd + breakAt(text, header.lineEnd).length;
    const br = breakAt(text, header.lineEnd);
    return splice(text, { from: at, to: at, insert: br ? `${line}${br}` : `${eol}${line}` });
  }
  const needsBreak = text.length > 0 && !text.endsWith('\n') && !text.endsWith('\r');
  return `${text}${needsBreak ? eol : ''}[wsl2]${eol}${line}${eol}`;
}

/**
 * Applies the edits and returns the new text. Keys without a line are added under the first
 * `[wsl2]` header, or in a new `[wsl2]` section at the end.
 */
export function editWsl2Text(text: string, edits: Partial<Record<Wsl2PathKey, KeyEdit>>): string {
  const eol = dominantEol(text);
  let out = text;
  // kernelModules first: a new kernel= line then lands above it, right under the header.
  for (const key of ['kernelModules', 'kernel'] as const) {
    const edit = edits[key];
    if (edit) out = applyKey(out, key, edit, eol);
  }
  verify(text, out, edits);
  return out;
}

/** Refuses an edit that would make WSL read anything else differently. */
function verify(before: string, after: string, edits: Partial<Record<Wsl2PathKey, KeyEdit>>): void {
  const a = parseWslConfig(before).effective;
  const b = parseWslConfig(after).effective;
  const touched = new Set(Object.keys(edits).map((k) => fullKey(k as Wsl2PathKey)));
  const fail = (why: string): never => {
    throw new KernelSetupError('wslconfig-unsafe-edit', `Changing .wslconfig here would ${why}; it was left as it is.`);
  };
  for (const [k, e] of a) if (!touched.has(k) && b.get(k)?.value !== e.value) fail(`change how WSL reads ${e.fullKey}`);
  for (const [k, e] of b) if (!touched.has(k) && !a.has(k)) fail(`add a setting ${e.fullKey}`);
  for (const [key, edit] of Object.entries(edits) as [Wsl2PathKey, KeyEdit][]) {
    const got = b.get(fullKey(key));
    if ('remove' in edit && got) fail(`leave ${key}= in place`);
  }
}

/** Sets the keys to these Windows paths (null removes the key). */
export function setWsl2Paths(text: string, paths: Partial<Record<Wsl2PathKey, string | null>>): string {
  const edits: Partial<Record<Wsl2PathKey, KeyEdit>> = {};
  for (const [key, p] of Object.entries(paths) as [Wsl2PathKey, string | null][]) {
    edits[key] = p === null ? { remove: true } : { raw: encodeWslConfigValue(p) };
  }
  const out = editWsl2Text(text, edits);
  const doc = parseWslConfig(out);
  for (const [key, p] of Object.entries(paths) as [Wsl2PathKey, string | null][]) {
    if (p !== null && doc.effective.get(fullKey(key))?.value !== p) {
      throw new KernelSetupError('wslconfig-unsafe-edit', `WSL would not read ${key}= back as ${JSON.stringify(p)}; .wslconfig was left as it is.`);
    }
  }
  return out;
}

/** Puts keys back as a record says they were. */
export function restoreWsl2Keys(text: string, records: Partial<Record<Wsl2PathKey, KeyRecord>>): string {
  const edits: Partial<Record<Wsl2PathKey, KeyEdit>> = {};
  for (const [key, r] of Object.entries(records) as [Wsl2PathKey, KeyRecord][]) {
    edits[key] = r.present ? { raw: r.raw } : { remove: true };
  }
  return editWsl2Text(text, edits);
}
