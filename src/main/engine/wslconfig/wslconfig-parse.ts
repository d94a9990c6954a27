/**
 * `.wslconfig` read exactly as WSL reads it: a port of the parse mode of `ParseConfigFile` in
 * microsoft/WSL `src/shared/configfile/configfile.cpp` (state labels NewLine, ParseSection,
 * ParseKeyValue, ValueDone, InvalidLine kept as the C++ names them), run as WSL runs it for
 * `.wslconfig` (flags CFG_SKIP_INVALID_LINES | CFG_SKIP_UNKNOWN_VALUES; `WslCoreConfig.cpp`).
 *
 * Besides the values WSL sees, each key line carries where it sits in the text, so the writer
 * (`wslconfig-edit.ts`) can change one value and leave every other character alone.
 */
import { CharReader, CR, isAlnum, isAlpha, isHSpace, LF, toWslString, WEOF } from './char-reader';
import { knownKeyIndex } from './known-keys';

const HASH = 0x23;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** One `key = value` line (or lines, with continuations) as WSL parsed it. */
export interface WslConfigEntry {
  /** `section.name` as WSL builds it from the text (`name` alone before any section). */
  fullKey: string;
  /** The section the key is in, as written ('' before any header). */
  section: string;
  /** WSL's line number for this key (the one its warnings print). */
  line: number;
  /** False when WSL dropped the line (invalid escape, unclosed quote). */
  valid: boolean;
  /** The value WSL passes on (quotes removed, escapes applied, trailing blanks trimmed); '' when dropped. */
  value: string;
  /** Offset of the first character of the physical line the key starts on. */
  lineStart: number;
  /** Offset of the first character of the value (after `=` and the blanks after it). */
  valueStart: number;
  /** Offset just after the last character of the value that WSL keeps (trailing blanks excluded). */
  valueEnd: number;
  /** Offset of the unquoted `#` of a trailing comment, or -1. */
  commentStart: number;
  /** Offset of the line break ending the line (the CR of a CR LF), or the text length at the end. */
  lineEnd: number;
}

export interface WslConfigWarning {
  /** WSL's message, without the `wsl: ` prefix wsl.exe prints. */
  text: string;
  line: number;
  kind: 'invalid-escape' | 'invalid-key' | 'invalid-section' | 'expected' | 'unknown-key' | 'duplicate-key';
}

/** A `[section]` header WSL accepted. */
export interface WslConfigSection {
  name: string;
  /** Offset of the `[`. */
  start: number;
  /** Offset of the line break ending the header line, or the text length at the end. */
  lineEnd: number;
}

export interface WslConfigDocument {
  entries: WslConfigEntry[];
  sections: WslConfigSection[];
  warnings: WslConfigWarning[];
  /** The entry WSL takes for a known key (the first valid one of its ConfigKey), by lower-case full key. */
  effective: Map<string, WslConfigEntry>;
}

const cString = (s: string): string => s.split('\0')[0] ?? '';

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Where a line WSL dropped ends, and where its comment would start (for the writer). */
function scanRestOfLine(text: string, from: number): { commentStart: number; lineEnd: number; valueEnd: number } {
  let inQuote = false;
  let i = from;
  let commentStart = -1;
  let valueEnd = from;
  for (; i < text.length && text[i] !== '\n' && text[i] !== '\r'; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') {
      i++;
      valueEnd = i + 1;
    } else if (ch === '"') {
      inQuote = !inQuote;
      valueEnd = i + 1;
    } else if (ch === '#' && !inQuote) {
      commentStart = i;
      break;
    } else if (ch !== ' ' && ch !== '\t') {
      valueEnd = i + 1;
    }
  }
  let lineEnd = i;
  while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
  return { commentStart, lineEnd, valueEnd };
}

export interface ParseOptions {
  /**
   * True (the default) reads as the Windows service does: C runtime text mode, where CR LF is LF
   * and Ctrl+Z ends the file. False reads as WSL's Linux side reads `/etc/wsl.conf` (binary).
   */
  textMode?: boolean;
}

/** Parses `.wslconfig` text; `filePath` is the Windows path WSL prints in its warnings. */
export function parseWslConfig(text: string, filePath = '%UserProfile%\\.wslconfig', options: ParseOptions = {}): WslConfigDocument {
  const r = new CharReader(text, options.textMode ?? true);
  const entries: WslConfigEntry[] = [];
  const sections: WslConfigSection[] = [];
  const warnings: WslConfigWarning[] = [];
  const effective = new Map<string, WslConfigEntry>();
  const firstByKey = new Map<number, { name: string; line: number }>();
  const warn = (kind: WslConfigWarning['kind'], msg: string, line: number): void => {
    warnings.push({ kind, text: `${msg} in ${filePath}:${line}`, line });
  };

  let ch = 0;
  let line = 0;
  let trailingComment = false;
  let inQuote = false;
  let sectionLength = 0;
  let key = '';
  let value: number[] = [];
  let trimmedLength = 0;
  let current: WslConfigEntry | null = null;
  let state: 'NewLine' | 'ParseSection' | 'ParseKeyValue' | 'InvalidLine' | 'Done' = 'NewLine';

  const setConfig = (entry: WslConfigEntry): void => {
    // SetConfig + ConfigKey::Parse: unknown keys are reported, a known key keeps its first value.
    const index = knownKeyIndex(entry.fullKey);
    if (index < 0) {
      warn('unknown-key', `Unknown key '${entry.fullKey}'`, entry.line);
      return;
    }
    const first = firstByKey.get(index);
    if (first) {
      warnings.push({
        kind: 'duplicate-key',
        text: `Duplicated config key '${entry.fullKey}' in ${filePath}:${entry.line} (Conflicting key: '${first.name}' in ${filePath}:${first.line})`,
        line: entry.line,
      });
      return;
    }
    firstByKey.set(index, { name: entry.fullKey, line: entry.line });
    effective.set(entry.fullKey.toLowerCase(), entry);
  };

  while (state !== 'Done') {
    if (state === 'NewLine') {
      if (!trailingComment) line++;
      state = 'Done';
      for (;;) {
        if (ch === HASH) {
          do {
            ch = r.get();
            if (ch === CR) ch = r.get();
            if (ch === LF) line++;
          } while (ch !== LF && ch !== WEOF);
          if (trailingComment) trailingComment = false;
        }
        if (r.eof) break;
        while (isHSpace((ch = r.get())));
        if (ch === WEOF || ch === HASH) continue;
        if (ch === CR) {
          const next = r.get();
          if (next === LF) line++;
          else r.unget(next);
          continue;
        }
        if (ch === LF) {
          line++;
          continue;
        }
        if (ch === 0x5b) {
          state = 'ParseSection';
          break;
        }
        if (!isAlpha(ch)) {
          warn('invalid-key', 'Invalid key name', line);
          state = 'InvalidLine';
          break;
        }
        state = 'ParseKeyValue';
        break;
      }
    } else if (state === 'ParseSection') {
      const start = r.last();
      ch = r.get();
      if (!isAlpha(ch)) {
        warn('invalid-section', 'Invalid section name', line);
        state = 'InvalidLine';
        continue;
      }
      key = '';
      do {
        key += String.fromCharCode(ch);
        ch = r.get();
      } while (isAlnum(ch));
      if (ch !== 0x5d) {
        warn('expected', "Expected ']'", line);
        state = 'InvalidLine';
        continue;
      }
      while (isHSpace((ch = r.get())));
      if (ch === HASH) trailingComment = true;
      else if (ch !== WEOF && ch !== LF && ch !== CR) {
        warn('expected', "Expected ' ' or '\\n'", line);
        state = 'InvalidLine';
        continue;
      }
      sectionLength = key.length;
      sections.push({ name: key, start, lineEnd: ch === HASH ? scanRestOfLine(text, r.pos).lineEnd : r.last() });
      state = 'NewLine';
    } else if (state === 'ParseKeyValue') {
      const keyStart = r.last();
      // std::string::resize: cut to the section's length, or pad with NULs when a broken header
      // left a shorter name behind (the C string then ends at the NUL).
      key = key.length >= sectionLength ? key.slice(0, sectionLength) : key.padEnd(sectionLength, '\0');
      const section = cString(key);
      if (key.length > 0) key += '.';
      do {
        key += String.fromCharCode(ch);
        ch = r.get();
      } while (isAlnum(ch));
      while (isHSpace(ch)) ch = r.get();
      if (ch !== 0x3d) {
        warn('expected', "Expected '='", line);
        state = 'InvalidLine';
        continue;
      }
      while (isHSpace((ch = r.get())));
      const valueStart = r.last();
      current = {
        fullKey: cString(key),
        section,
        line,
        valid: true,
        value: '',
        lineStart: lineStartOf(text, keyStart),
        valueStart,
        valueEnd: valueStart,
        commentStart: -1,
        lineEnd: valueStart,
      };
      entries.push(current);
      value = [];
      trimmedLength = 0;
      inQuote = false;
      let invalid = false;
      while (ch !== WEOF && ch !== LF && ch !== CR) {
        if (ch === QUOTE) {
          inQuote = !inQuote;
        } else if (ch === BACKSLASH) {
          const ch2 = r.get();
          if (ch2 === BACKSLASH || ch2 === QUOTE) value.push(ch2);
          else if (ch2 === 0x62) value.push(0x08);
          else if (ch2 === 0x6e) value.push(LF);
          else if (ch2 === 0x74) value.push(0x09);
          else if (ch2 === CR) {
            // dropped, as in the C++
          } else if (ch2 === LF) line++;
          else {
            const shown = ch2 === WEOF ? '\uffff' : String.fromCharCode(ch2);
            warn('invalid-escape', `Invalid escaped character: '${shown}'`, line);
            invalid = true;
            break;
          }
        } else if (ch === HASH && !inQuote) {
          trailingComment = true;
          current.commentStart = r.last();
          break;
        } else {
          value.push(ch);
        }
        if (!isHSpace(ch)) {
          trimmedLength = value.length;
          current.valueEnd = r.pos;
        }
        ch = r.get();
      }
      if (!invalid && inQuote) {
        warn('expected', 'Expected "', line);
        invalid = true;
      }
      if (invalid) {
        current.valid = false;
        const rest = scanRestOfLine(text, current.valueStart);
        current.valueEnd = rest.valueEnd;
        current.commentStart = rest.commentStart;
        current.lineEnd = rest.lineEnd;
        state = 'InvalidLine';
        continue;
      }
      current.lineEnd = trailingComment ? scanRestOfLine(text, r.pos).lineEnd : r.last();
      current.value = toWslString(value.slice(0, trimmedLength));
      setConfig(current);
      state = 'NewLine';
    } else if (state === 'InvalidLine') {
      while (ch !== WEOF && ch !== LF) ch = r.get();
      state = 'NewLine';
    }
  }
  return { entries, sections, warnings, effective };
}
