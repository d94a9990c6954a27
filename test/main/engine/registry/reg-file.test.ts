import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KernelSetupError } from '../../../../src/shared/errors';
import type { RegValue } from '../../../../src/main/engine/machine/machine';
import {
  deleteKey,
  deleteValue,
  emptyRegTree,
  ensureKey,
  getValue,
  keyExists,
  listValues,
  parseReg,
  serializeReg,
  setValue,
  type RegTree,
} from '../../../../src/main/engine/registry/reg-file';

const HEADER = 'Windows Registry Editor Version 5.00';
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const reg = (...lines: string[]) => [HEADER, '', ...lines, ''].join('\r\n');
const treeOf = (...lines: string[]) => parseReg(utf8(reg(...lines))).tree;
const u8 = (...b: number[]) => new Uint8Array(b);

function parseError(text: string | Uint8Array): KernelSetupError {
  try {
    parseReg(typeof text === 'string' ? utf8(text) : text, 'm.reg');
  } catch (err) {
    expect(err).toBeInstanceOf(KernelSetupError);
    expect((err as KernelSetupError).code).toBe('invalid-machine');
    return err as KernelSetupError;
  }
  throw new Error('expected a parse error');
}

describe('parseReg', () => {
  it('reads strings, escapes, defaults and dwords', () => {
    const t = treeOf(
      '; a comment',
      '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]',
      '"CurrentBuild"="19045"',
      '"UBR"=dword:00000cb1',
      '"Quoted"="say \\"hi\\" C:\\\\Windows\\\\"',
      '@="default"',
      '"Spaced" = "x"',
    );
    const key = 'software\\microsoft\\windows nt\\currentversion';
    expect(getValue(t, key, 'currentbuild')).toEqual({ type: 'REG_SZ', data: '19045' });
    expect(getValue(t, key, 'UBR')).toEqual({ type: 'REG_DWORD', data: 0xcb1 });
    expect(getValue(t, key, 'Quoted')).toEqual({ type: 'REG_SZ', data: 'say "hi" C:\\Windows\\' });
    expect(getValue(t, key, '')).toEqual({ type: 'REG_SZ', data: 'default' });
    expect(getValue(t, key, 'Spaced')).toEqual({ type: 'REG_SZ', data: 'x' });
    // Original case kept.
    expect([...t.keys.values()][0]?.path).toBe('SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion');
    expect(listValues(t, key).map((e) => e.name)).toEqual(['CurrentBuild', 'UBR', 'Quoted', '', 'Spaced']);
  });

  it('reads every hex type, with line continuations', () => {
    const t = treeOf(
      '[HKLM\\K]',
      '"q"=hex(b):01,00,00,00,00,00,00,80',
      '"e"=hex(2):25,00,53,00,79,00,73,00,00,00',
      '"m"=hex(7):61,00,00,00,62,00,63,00,00,00,00,00',
      '"b"=hex:de,ad,\\',
      '    be,ef',
      '"n"=hex(0):',
      '"r"=hex(8):01,02',
      '"s"=hex(1):68,00,0a,00,69,00,00,00',
      '"empty"=hex:',
      '"d"=DWORD:FFFFFFFF',
    );
    expect(getValue(t, 'K', 'q')).toEqual({ type: 'REG_QWORD', data: 0x8000000000000001n });
    expect(getValue(t, 'K', 'e')).toEqual({ type: 'REG_EXPAND_SZ', data: '%Sys' });
    expect(getValue(t, 'K', 'm')).toEqual({ type: 'REG_MULTI_SZ', data: ['a', 'bc'] });
    expect(getValue(t, 'K', 'b')).toEqual({ type: 'REG_BINARY', data: u8(0xde, 0xad, 0xbe, 0xef) });
    expect(getValue(t, 'K', 'n')).toEqual({ type: 'REG_RAW', kind: 0, data: u8() });
    expect(getValue(t, 'K', 'r')).toEqual({ type: 'REG_RAW', kind: 8, data: u8(1, 2) });
    expect(getValue(t, 'K', 's')).toEqual({ type: 'REG_SZ', data: 'h\ni' });
    expect(getValue(t, 'K', 'empty')).toEqual({ type: 'REG_BINARY', data: u8() });
    expect(getValue(t, 'K', 'd')).toEqual({ type: 'REG_DWORD', data: 0xffffffff });
  });

  it('reads REG_MULTI_SZ edge cases', () => {
    const t = treeOf('[HKLM\\K]', '"a"=hex(7):00,00', '"b"=hex(7):', '"c"=hex(7):61,00', '"d"=hex(7):00,00,00,00');
    expect(getValue(t, 'K', 'a')).toEqual({ type: 'REG_MULTI_SZ', data: [] });
    expect(getValue(t, 'K', 'b')).toEqual({ type: 'REG_MULTI_SZ', data: [] });
    expect(getValue(t, 'K', 'c')).toEqual({ type: 'REG_MULTI_SZ', data: ['a'] });
    expect(getValue(t, 'K', 'd')).toEqual({ type: 'REG_MULTI_SZ', data: [''] });
  });

  it('applies the file in order: overrides, value deletes, key deletes with subkeys', () => {
    const t = treeOf(
      '[HKEY_LOCAL_MACHINE\\A]',
      '"x"="1"',
      '"y"="2"',
      '[HKEY_LOCAL_MACHINE\\A\\B\\C]',
      '[HKEY_LOCAL_MACHINE\\AB]',
      '[hkey_local_machine\\a]',
      '"X"="3"',
      '"y"=-',
      '@=-',
      '[-HKEY_LOCAL_MACHINE\\A\\B]',
      '[HKEY_LOCAL_MACHINE\\D]',
      '[-HKEY_LOCAL_MACHINE\\d]',
    );
    expect(getValue(t, 'A', 'x')).toEqual({ type: 'REG_SZ', data: '3' });
    expect(listValues(t, 'A').map((e) => e.name)).toEqual(['x']);
    expect(keyExists(t, 'A\\B')).toBe(false);
    expect(keyExists(t, 'A\\B\\C')).toBe(false);
    expect(keyExists(t, 'AB')).toBe(true);
    expect(keyExists(t, 'D')).toBe(false);
  });

  it('accepts UTF-16LE with a BOM, UTF-8 with a BOM, REGEDIT4, LF and bare CR endings', () => {
    const text = reg('[HKEY_LOCAL_MACHINE\\Ünïcødé]', '"名前"="值 ✓ 😀"');
    for (const [bytes, encoding] of [
      [utf16(text), 'utf16le'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]), 'utf8-bom'],
      [utf8(text.replace(/\r\n/g, '\n')), 'utf8'],
      [utf8(text.replace(/\r\n/g, '\r')), 'utf8'],
      [Buffer.from(text, 'utf16le'), 'utf16le'],
    ] as const) {
      const r = parseReg(bytes);
      expect(r.encoding).toBe(encoding);
      expect(getValue(r.tree, 'ünïcødé', '名前')).toEqual({ type: 'REG_SZ', data: '值 ✓ 😀' });
    }
    expect(keyExists(treeOf(), 'x')).toBe(false);
    expect(keyExists(parseReg(utf8('REGEDIT4\n[HKEY_LOCAL_MACHINE\\X]\n')).tree, 'X')).toBe(true);
  });

  it('reads the hive root and ignores trailing backslashes', () => {
    const t = treeOf('[HKEY_LOCAL_MACHINE]', '"r"=dword:1', '[HKLM\\A\\]', '"v"="1"');
    expect(getValue(t, '', 'r')).toEqual({ type: 'REG_DWORD', data: 1 });
    expect(getValue(t, 'A', 'v')).toEqual({ type: 'REG_SZ', data: '1' });
  });

  it.each([
    ['', 1, /header/],
    ['REGEDIT5\r\n', 1, /header/],
    [reg('"x"="1"'), 3, /before any \[key\]/],
    [reg('[HKEY_CURRENT_USER\\Software]'), 3, /not under HKEY_LOCAL_MACHINE/],
    [reg('[HKEY_LOCAL_MACHINEX\\Software]'), 3, /not under HKEY_LOCAL_MACHINE/],
    [reg('[HKLM\\A', '"x"="1"'), 3, /closing/],
    [reg('[HKLM\\A] junk'), 3, /after "\]"/],
    [reg('[HKLM\\A\\\\B]'), 3, /empty name part/],
    [reg('[HKLM\\A]', '', '"x"=dword:123456789'), 5, /bad dword/],
    [reg('[HKLM\\A]', '"x"=dword:xyz'), 4, /bad dword/],
    [reg('[HKLM\\A]', '"x"=dword:'), 4, /bad dword/],
    [reg('[HKLM\\A]', '"x"=hex:0'), 4, /bad hex byte/],
    [reg('[HKLM\\A]', '"x"=hex:01,,02'), 4, /bad hex byte/],
    [reg('[HKLM\\A]', '"x"=hex:01,zz'), 4, /bad hex byte/],
    [reg('[HKLM\\A]', '"x"=hex(2):41,00,42'), 4, /odd number of bytes/],
    [reg('[HKLM\\A]', '"x"=hex(b):01,02'), 4, /exactly 8 bytes/],
    [reg('[HKLM\\A]', '"x"="abc'), 4, /unterminated string/],
    [reg('[HKLM\\A]', '"x="abc"'), 4, /expected "="|unterminated/],
    [reg('[HKLM\\A]', '"x"="a\\q"'), 4, /unknown escape/],
    [reg('[HKLM\\A]', '"x"="a" b'), 4, /after the closing quote/],
    [reg('[HKLM\\A]', '"x"'), 4, /expected "="/],
    [reg('[HKLM\\A]', '"x"=sz:abc'), 4, /unknown value type/],
    [reg('[HKLM\\A]', 'x=1'), 4, /expected "name"=value/],
    [reg('[HKLM\\A]', '"x"=hex:01,\\', '  02,\\', '  zz'), 4, /bad hex byte/],
    [[HEADER, '[HKLM\\A]', '"x"=hex:01,\\'].join('\r\n'), 3, /ends inside a line continuation/],
    [reg('[-HKLM\\A]', '"x"="1"'), 4, /after a key deletion/],
  ])('rejects malformed input %#', (text, line, what) => {
    const err = parseError(text);
    expect(err.message).toMatch(new RegExp(`^m\\.reg line ${line}: `));
    expect(err.message).toMatch(what);
  });

  it('rejects bad encodings with a line number', () => {
    expect(parseError(Buffer.concat([utf8(`${HEADER}\r\n[HKLM\\A]\r\n"x"="`), Buffer.from([0xc3, 0x28, 0x22])])).message).toMatch(
      /^m\.reg line 3: .*UTF-8/,
    );
    expect(parseError(Buffer.concat([utf16(`${HEADER}\r\n`), Buffer.from([0x41])])).message).toMatch(/line 2: .*odd number/);
    expect(parseError(Buffer.from([0xfe, 0xff, 0, 0x57])).message).toMatch(/big-endian/);
  });

  it('never throws anything but invalid-machine on random input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 200 }).map((s) => utf8(reg(s)))), (bytes) => {
        try {
          parseReg(bytes);
        } catch (err) {
          return err instanceof KernelSetupError && err.code === 'invalid-machine';
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('tree helpers', () => {
  it('set, get, delete values and keys, case-insensitively', () => {
    const t = emptyRegTree();
    setValue(t, 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss', 'RollbackKernel', { type: 'REG_DWORD', data: 1 });
    expect(keyExists(t, 'software\\MICROSOFT')).toBe(true);
    expect(keyExists(t, 'SOFTWARE\\Micro')).toBe(false);
    expect(keyExists(t, '')).toBe(true);
    expect(getValue(t, 'software\\microsoft\\windows\\currentversion\\lxss', 'rollbackkernel')).toEqual({ type: 'REG_DWORD', data: 1 });
    setValue(t, 'SOFTWARE\\MICROSOFT\\Windows\\CurrentVersion\\Lxss', 'ROLLBACKKERNEL', { type: 'REG_DWORD', data: 0 });
    expect(listValues(t, 'software\\microsoft\\windows\\currentversion\\lxss')).toEqual([
      { name: 'RollbackKernel', value: { type: 'REG_DWORD', data: 0 } },
    ]);
    expect(deleteValue(t, 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss', 'rollbackKernel')).toBe(true);
    expect(deleteValue(t, 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss', 'rollbackKernel')).toBe(false);
    expect(deleteValue(t, 'Nope', 'x')).toBe(false);
    expect(getValue(t, 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss', 'RollbackKernel')).toBeNull();
    ensureKey(t, 'SOFTWARE\\Other');
    expect(deleteKey(t, 'software\\microsoft')).toBe(true);
    expect(keyExists(t, 'SOFTWARE\\Microsoft')).toBe(false);
    expect(keyExists(t, 'SOFTWARE\\Other')).toBe(true);
  });
});

describe('serializeReg', () => {
  it('writes the header, CRLF, full key paths and a BOM for UTF-16LE', () => {
    const t = emptyRegTree();
    setValue(t, 'SOFTWARE\\WslKernelSetup', 'KernelVersion', { type: 'REG_SZ', data: '5.15.153.1' });
    setValue(t, 'SOFTWARE\\WslKernelSetup', '', { type: 'REG_DWORD', data: 255 });
    const text = serializeReg(t, 'utf8').toString('utf8');
    expect(text).toBe(
      `${HEADER}\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\WslKernelSetup]\r\n"KernelVersion"="5.15.153.1"\r\n@=dword:000000ff\r\n`,
    );
    const wide = serializeReg(t, 'utf16le');
    expect([...wide.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(wide.subarray(2).toString('utf16le')).toBe(text);
  });

  it('wraps long hex data and writes strings with line breaks or lone surrogates as hex(1)', () => {
    const t = emptyRegTree();
    setValue(t, 'K', 'bin', { type: 'REG_BINARY', data: new Uint8Array(100).fill(0xab) });
    setValue(t, 'K', 'nl', { type: 'REG_SZ', data: 'a\r\nb' });
    setValue(t, 'K', 'sur', { type: 'REG_SZ', data: 'x\ud800y' });
    const text = serializeReg(t, 'utf8').toString('utf8');
    expect(text).toContain(',\\\r\n  ab,');
    for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain('"nl"=hex(1):61,00,0d,00,0a,00,62,00,00,00');
    expect(parseReg(serializeReg(t, 'utf8')).tree).toEqual(t);
  });

  it('refuses what the format cannot hold', () => {
    const bad: [string, string, RegValue][] = [
      ['K', 'a\nb', { type: 'REG_SZ', data: '' }],
      ['K\nL', 'a', { type: 'REG_SZ', data: '' }],
      ['K', 'a', { type: 'REG_DWORD', data: -1 }],
      ['K', 'a', { type: 'REG_DWORD', data: 1.5 }],
      ['K', 'a', { type: 'REG_QWORD', data: -1n }],
      ['K', 'a', { type: 'REG_RAW', kind: 1, data: u8() }],
      ['K', 'a', { type: 'REG_MULTI_SZ', data: ['a\0b'] }],
    ];
    for (const [key, name, value] of bad) {
      const t = emptyRegTree();
      setValue(t, key, name, value);
      expect(() => serializeReg(t, 'utf8')).toThrow();
    }
  });
});

describe('round trip', () => {
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const segment = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).filter((s) => !/[\\\r\n\0]/.test(s));
  const keyPath = fc.array(segment, { minLength: 0, maxLength: 3 }).map((parts) => parts.join('\\'));
  const valueName = fc.oneof(fc.constant(''), text.filter((s) => !/[\r\n\0]/.test(s)));
  const bytes = fc.uint8Array({ maxLength: 40 });
  const value: fc.Arbitrary<RegValue> = fc.oneof(
    text.map((data) => ({ type: 'REG_SZ' as const, data })),
    fc.string({ maxLength: 8, unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }).map((data) => ({
      type: 'REG_SZ' as const,
      data,
    })),
    text.map((data) => ({ type: 'REG_EXPAND_SZ' as const, data })),
    fc.array(text.filter((s) => !s.includes('\0')), { maxLength: 4 }).map((data) => ({ type: 'REG_MULTI_SZ' as const, data })),
    fc.nat({ max: 0xffffffff }).map((data) => ({ type: 'REG_DWORD' as const, data })),
    fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }).map((data) => ({ type: 'REG_QWORD' as const, data })),
    bytes.map((data) => ({ type: 'REG_BINARY' as const, data })),
    fc
      .tuple(fc.oneof(fc.constantFrom(0, 4, 5, 6, 8, 10), fc.nat({ max: 0xffffffff })), bytes)
      .filter(([kind]) => ![1, 2, 3, 7, 11].includes(kind))
      .map(([kind, data]) => ({ type: 'REG_RAW' as const, kind, data })),
  );
  const tree: fc.Arbitrary<RegTree> = fc
    .array(fc.tuple(keyPath, fc.array(fc.tuple(valueName, value), { maxLength: 5 })), { maxLength: 5 })
    .map((keys) => {
      const t = emptyRegTree();
      for (const [key, values] of keys) {
        ensureKey(t, key);
        for (const [name, v] of values) setValue(t, key, name, v);
      }
      return t;
    });

  it('parseReg(serializeReg(t)) deep-equals t, in both encodings, keeping order', () => {
    fc.assert(
      fc.property(tree, fc.constantFrom('utf8' as const, 'utf16le' as const), (t, encoding) => {
        const back = parseReg(serializeReg(t, encoding));
        expect(back.encoding).toBe(encoding);
        expect(back.tree).toEqual(t);
        const order = (x: RegTree) => [...x.keys.values()].map((k) => [k.path, [...k.values.values()].map((e) => e.name)]);
        expect(order(back.tree)).toEqual(order(t));
      }),
      { numRuns: 200 },
    );
  });
});
