/**
 * reg.exe read exactly: what `reg query` shows in the console code page (non-ASCII text), or not
 * at all (Wine's REG_QWORD, a REG_MULTI_SZ's trailing empty string), is read again from `reg
 * export`; REG_MULTI_SZ and raw types are written with `reg import`. And the in-process binding's
 * byte conversions are the exact inverse of each other.
 */
import * as fsp from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RegValue } from '../../../../src/main/engine/machine/machine';
import { emptyRegTree, parseReg, serializeReg, setValue } from '../../../../src/main/engine/registry/reg-file';
import type { RunResult } from '../../../../src/main/engine/windows/exec';
import { RegExeRegistry } from '../../../../src/main/engine/windows/reg-exe';
import { queryIsExact } from '../../../../src/main/engine/windows/reg-exe-files';
import { fromRaw, toRaw } from '../../../../src/main/engine/windows/native-registry';

const KEY = 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';

/** A reg.exe that answers `query` with `shown` and `export` with a file holding `stored`. */
function fakeReg(shown: string, stored: Record<string, RegValue>) {
  const calls: string[][] = [];
  const imported: Buffer[] = [];
  const run = async (_file: string, args: readonly string[]): Promise<RunResult> => {
    calls.push([...args]);
    const ok = { code: 0, notFound: false, timedOut: false, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
    if (args[0] === 'query') return { ...ok, stdout: Buffer.from(shown, 'latin1') };
    if (args[0] === 'export') {
      const tree = emptyRegTree();
      for (const [name, v] of Object.entries(stored)) setValue(tree, KEY, name, v);
      await fsp.writeFile(args[2]!, serializeReg(tree, 'utf16le'));
      return ok;
    }
    if (args[0] === 'import') imported.push(await fsp.readFile(args[1]!));
    return ok;
  };
  return { reg: new RegExeRegistry(run, 'reg.exe'), calls, imported };
}

describe('RegExeRegistry reads what reg query garbles through reg export', () => {
  it('a non-ASCII REG_SZ comes back exactly, not in the console code page', async () => {
    const name = 'Windows 10 Éducation — 日本語';
    const { reg, calls } = fakeReg(`\r\nHKEY_LOCAL_MACHINE\\${KEY}\r\n    ProductName    REG_SZ    Windows 10 \x90ducation \x97 ???\r\n`, {
      ProductName: { type: 'REG_SZ', data: name },
    });
    expect(await reg.getValue(KEY, 'ProductName')).toEqual({ type: 'REG_SZ', data: name });
    expect(calls.map((c) => c[0])).toEqual(['query', 'export']);
    expect(calls[1]?.slice(-2)).toEqual(['/y', '/reg:64']);
  });

  it("Wine's REG_QWORD (null) and a REG_MULTI_SZ's trailing empty string come back exactly", async () => {
    const { reg } = fakeReg(`\r\nHKEY_LOCAL_MACHINE\\${KEY}\r\n    Q    REG_QWORD    (null)\r\n    M    REG_MULTI_SZ    a\\0b\r\n`, {
      Q: { type: 'REG_QWORD', data: 2n ** 63n + 5n },
      M: { type: 'REG_MULTI_SZ', data: ['a', 'b', ''] },
    });
    expect(await reg.getValue(KEY, 'Q')).toEqual({ type: 'REG_QWORD', data: 2n ** 63n + 5n });
    expect(await reg.getValue(KEY, 'M')).toEqual({ type: 'REG_MULTI_SZ', data: ['a', 'b', ''] });
  });

  it('printable ASCII, DWORDs and hex QWORDs are taken from reg query alone', async () => {
    const { reg, calls } = fakeReg(`\r\nHKEY_LOCAL_MACHINE\\${KEY}\r\n    CurrentBuild    REG_SZ    19045\r\n`, {});
    expect(await reg.getValue(KEY, 'CurrentBuild')).toEqual({ type: 'REG_SZ', data: '19045' });
    expect(calls.map((c) => c[0])).toEqual(['query']);
  });

  it('writes a REG_MULTI_SZ with a trailing empty string through reg import, exactly', async () => {
    const { reg, calls, imported } = fakeReg('', {});
    await reg.setValue(KEY, 'M', { type: 'REG_MULTI_SZ', data: ['a', '', 'b', ''] });
    expect(calls[0]?.[0]).toBe('import');
    expect(calls[0]?.at(-1)).toBe('/reg:64');
    const tree = parseReg(imported[0]!).tree;
    expect(tree.keys.get(KEY.toLowerCase())?.values.get('m')?.value).toEqual({ type: 'REG_MULTI_SZ', data: ['a', '', 'b', ''] });
  });

  it('queryIsExact trusts only what every code page shows as it is', () => {
    const v = (type: string, data: string) => ({ name: 'X', type, data });
    expect(queryIsExact('X', v('REG_SZ', 'C:\\Windows'))).toBe(true);
    expect(queryIsExact('X', v('REG_SZ', 'Zo? ??'))).toBe(false);
    expect(queryIsExact('X', v('REG_SZ', 'Zoë'))).toBe(false);
    expect(queryIsExact('Zoë', v('REG_SZ', 'x'))).toBe(false);
    expect(queryIsExact('X', v('REG_MULTI_SZ', 'a\\0b'))).toBe(false);
    expect(queryIsExact('X', v('REG_QWORD', '(null)'))).toBe(false);
    expect(queryIsExact('X', v('REG_QWORD', '0x1'))).toBe(true);
    expect(queryIsExact('X', v('REG_DWORD', '0x1'))).toBe(true);
  });
});

const regValue: fc.Arbitrary<RegValue> = fc.oneof(
  fc.record({ type: fc.constantFrom('REG_SZ' as const, 'REG_EXPAND_SZ' as const), data: fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')) }),
  fc.record({ type: fc.constant('REG_MULTI_SZ' as const), data: fc.array(fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0'))) }),
  fc.record({ type: fc.constant('REG_DWORD' as const), data: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ type: fc.constant('REG_QWORD' as const), data: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
  fc.record({ type: fc.constant('REG_BINARY' as const), data: fc.uint8Array() }),
  fc.record({ type: fc.constant('REG_RAW' as const), kind: fc.constantFrom(0, 5, 6, 8, 9, 10), data: fc.uint8Array() }),
);

describe('the in-process binding converts values to bytes and back exactly', () => {
  it('fromRaw(toRaw(v)) equals v for every value', () => {
    fc.assert(
      fc.property(regValue, (v) => {
        const { kind, bytes } = toRaw(v);
        expect(fromRaw(kind, bytes)).toEqual(v);
      }),
    );
  });

  it('reads a REG_MULTI_SZ trailing empty string and sizes that do not fit their type', () => {
    expect(fromRaw(7, Buffer.from('a\0b\0\0\0', 'utf16le'))).toEqual({ type: 'REG_MULTI_SZ', data: ['a', 'b', ''] });
    expect(fromRaw(7, Buffer.from('a\0b\0\0', 'utf16le'))).toEqual({ type: 'REG_MULTI_SZ', data: ['a', 'b'] });
    expect(fromRaw(4, Buffer.from([1, 0]))).toEqual({ type: 'REG_RAW', kind: 4, data: Uint8Array.from([1, 0]) });
    expect(fromRaw(1, Buffer.from('no terminator', 'utf16le'))).toEqual({ type: 'REG_SZ', data: 'no terminator' });
  });
});
