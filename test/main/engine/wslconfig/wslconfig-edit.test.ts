/** The writer: only the two keys change, byte for byte, and WSL reads back exactly the path. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeWslConfig,
  editWsl2Text,
  encodeWslConfig,
  encodeWslConfigValue,
  parseWslConfig,
  recordKey,
  restoreWsl2Keys,
  setWsl2Paths,
  type WslConfigEncoding,
} from '../../../../src/main/engine/wslconfig';
import { CORPUS } from './corpus';

const KEYS = new Set(['wsl2.kernel', 'wsl2.kernelmodules']);

/** The text with every line of the two keys taken out, as the writer removes them. */
const withoutKeyLines = (text: string): string => editWsl2Text(text, { kernel: { remove: true }, kernelModules: { remove: true } });

const others = (text: string): Record<string, string> =>
  Object.fromEntries([...parseWslConfig(text).effective].filter(([k]) => !KEYS.has(k)).map(([k, e]) => [k, e.value]));
const effective = (text: string, key: string): string | undefined => parseWslConfig(text).effective.get(key)?.value;
const hasHeader = (text: string): boolean => parseWslConfig(text).sections.some((s) => s.name.toLowerCase() === 'wsl2');

const ENCODINGS: WslConfigEncoding[] = ['utf8', 'utf8-bom', 'utf16le-bom'];
const KERNEL = 'C:\\ProgramData\\WslKernelSetup\\boot\\kernel';
const MODULES = 'C:\\ProgramData\\WslKernelSetup\\boot\\modules.vhd';

describe('wslconfig writer on the corpus', () => {
  for (const [name, original] of Object.entries(CORPUS)) {
    for (const encoding of ENCODINGS) {
      it(`${name} (${encoding}): set, round-trip and restore`, () => {
        const bytes = encodeWslConfig(original, encoding);
        const decoded = decodeWslConfig(bytes);
        expect(decoded).toEqual({ encoding: encoding === 'utf8' && bytes.length === 0 ? 'utf8' : encoding, text: original, clean: true });

        const before = { kernel: recordKey(original, 'kernel'), kernelModules: recordKey(original, 'kernelModules') };
        const edited = setWsl2Paths(original, { kernel: KERNEL, kernelModules: MODULES });
        expect(effective(edited, 'wsl2.kernel')).toBe(KERNEL);
        expect(effective(edited, 'wsl2.kernelmodules')).toBe(MODULES);
        expect(others(edited)).toEqual(others(original));

        // Outside the two keys' lines, the bytes are the same (plus a new [wsl2] header when there was none).
        const stripped = withoutKeyLines(edited);
        if (hasHeader(original)) expect(stripped).toBe(withoutKeyLines(original));
        else expect(stripped.startsWith(withoutKeyLines(original))).toBe(true);

        // Same encoding and BOM once written back.
        const out = encodeWslConfig(edited, decoded.encoding);
        expect(decodeWslConfig(out).text).toBe(edited);
        if (encoding !== 'utf8') expect(out.subarray(0, 2)).toEqual(bytes.subarray(0, 2));

        // Putting the user's own lines back gives the original text, byte for byte.
        const restored = restoreWsl2Keys(edited, before);
        if (hasHeader(original)) expect(restored).toBe(original);
        else expect(restored.startsWith(original)).toBe(true);
        expect(others(restored)).toEqual(others(original));
        expect(effective(restored, 'wsl2.kernel')).toBe(effective(original, 'wsl2.kernel'));
      });
    }
  }

  it('uses the line break of the file for new lines', () => {
    expect(setWsl2Paths('[wsl2]\r\nmemory=1GB\r\n', { kernel: 'C:\\k' })).toBe('[wsl2]\r\nkernel=C:\\\\k\r\nmemory=1GB\r\n');
    expect(setWsl2Paths('[wsl2]\nmemory=1GB\n', { kernel: 'C:\\k' })).toBe('[wsl2]\nkernel=C:\\\\k\nmemory=1GB\n');
    expect(setWsl2Paths('[general]\ninstanceIdleTimeout=1', { kernel: 'C:\\k' })).toBe('[general]\ninstanceIdleTimeout=1\n[wsl2]\nkernel=C:\\\\k\n');
    expect(setWsl2Paths('', { kernel: 'C:\\k', kernelModules: 'C:\\m' })).toBe('[wsl2]\r\nkernel=C:\\\\k\r\nkernelModules=C:\\\\m\r\n');
    expect(setWsl2Paths('[wsl2] # mine', { kernel: 'C:\\k' })).toBe('[wsl2] # mine\r\nkernel=C:\\\\k');
  });

  it('replaces a dropped or TAB-mangled line in place, keeping its comment', () => {
    expect(setWsl2Paths('[wsl2]\nkernel=C:\\Windows\\kernel # old\n', { kernel: 'C:\\k' })).toBe('[wsl2]\nkernel=C:\\\\k # old\n');
    expect(setWsl2Paths('[wsl2]\nkernel=C:\\temp\\bzImage\n', { kernel: 'C:\\temp\\bzImage' })).toBe('[wsl2]\nkernel=C:\\\\temp\\\\bzImage\n');
  });

  it('removing a key removes every line of it (a later duplicate would take over) but keeps comments', () => {
    const text = '[wsl2]\nkernelModules=C:\\\\a # mine\nmemory=1GB\nkernelModules=C:\\\\b\n';
    expect(setWsl2Paths(text, { kernelModules: null })).toBe('[wsl2]\n# mine\nmemory=1GB\n');
  });

  it('refuses an edit that would change how WSL reads another line', () => {
    // A last line ending in a backslash: adding a line break would make it a continuation.
    const text = '[general]\ninstanceIdleTimeout=1\\';
    expect(() => setWsl2Paths(text, { kernel: 'C:\\k' })).toThrow(expect.objectContaining({ code: 'wslconfig-unsafe-edit' }));
  });

  it('refuses paths WSL cannot read back (CR, NUL, Ctrl+Z, broken UTF-16)', () => {
    for (const p of ['C:\\a\rb', 'C:\\a\0b', 'C:\\a\x1ab', 'C:\\a\ud800b']) {
      expect(() => encodeWslConfigValue(p)).toThrow(expect.objectContaining({ code: 'wslconfig-unsafe-edit' }));
    }
  });
});

const writable = (s: string): boolean => !/[\r\0]/.test(s) && !s.includes('\u001a');
const pathChar = fc.oneof(
  fc.constantFrom(' ', '#', '"', "'", '\\', '\\\\', '=', '[', ']', ';', '\t', '\n', '\b', 'é', 'ß', '中', '😀', 'Ã', '\u00a0', '\u0100'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }).filter(writable),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 6 }).filter(writable),
);
const windowsPath = fc
  .tuple(fc.constantFrom('C:', 'D:', '\\\\server\\share'), fc.array(fc.array(pathChar, { minLength: 1, maxLength: 6 }).map((a) => a.join('')), { minLength: 1, maxLength: 5 }))
  .map(([drive, parts]) => `${drive}\\${parts.join('\\')}`);

describe('wslconfig writer: parse(write(path)) == path', () => {
  it('holds for arbitrary Windows paths in every corpus file and encoding', () => {
    fc.assert(
      fc.property(windowsPath, fc.option(windowsPath), fc.constantFrom(...Object.keys(CORPUS)), fc.constantFrom(...ENCODINGS), (kernel, modules, name, encoding) => {
        const original = CORPUS[name] as string;
        const edited = setWsl2Paths(original, { kernel, kernelModules: modules });
        const back = decodeWslConfig(encodeWslConfig(edited, encoding));
        expect(back.clean).toBe(true);
        const doc = parseWslConfig(back.text);
        expect(doc.effective.get('wsl2.kernel')?.value).toBe(kernel);
        expect(doc.effective.get('wsl2.kernelmodules')?.value).toBe(modules ?? undefined);
        expect(others(back.text)).toEqual(others(original));
      }),
      { numRuns: 400 },
    );
  });
});
