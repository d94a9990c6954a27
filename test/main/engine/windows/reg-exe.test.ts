import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../../src/main/engine/windows/exec';
import {
  RegExeRegistry,
  decodeRegOutput,
  parseRegQuery,
  regAddData,
  toRegValue,
} from '../../../../src/main/engine/windows/reg-exe';

/** Recorded `reg query` outputs (Windows 10 22H2, en-US and de-DE). */
const CURRENT_VERSION = [
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
  '    CurrentBuild    REG_SZ    19045',
  '',
  '',
].join('\r\n');
const UBR = '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\r\n    UBR    REG_DWORD    0xcb1\r\n\r\n';
const PENDING = [
  '',
  'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager',
  '    PendingFileRenameOperations    REG_MULTI_SZ    \\??\\C:\\Windows\\temp\\a.tmp\\0\\0\\??\\C:\\x.new\\0!\\??\\C:\\x',
  '',
].join('\r\n');
const MIXED = [
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Test',
  '    (Standard)    REG_SZ    Hallo Welt',
  '    Q    REG_QWORD    0x1234567890abcdef',
  '    Bin    REG_BINARY    0102ABff',
  '    Path Value    REG_EXPAND_SZ    %SystemRoot%\\system32',
  '    Empty    REG_SZ    ',
  '    Nothing    REG_NONE    ',
  '    EmptyMulti    REG_MULTI_SZ    ',
  '    Res    REG_RESOURCE_LIST    0A0B',
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Test\\Sub',
  '',
].join('\r\n');

describe('parsing reg query output', () => {
  it('reads REG_SZ and REG_DWORD', () => {
    expect(parseRegQuery(CURRENT_VERSION)).toEqual([{ name: 'CurrentBuild', type: 'REG_SZ', data: '19045' }]);
    expect(parseRegQuery(UBR).map(toRegValue)).toEqual([{ type: 'REG_DWORD', data: 0xcb1 }]);
  });

  it('reads REG_MULTI_SZ with its \\0 separators and empty strings', () => {
    expect(parseRegQuery(PENDING).map(toRegValue)).toEqual([
      { type: 'REG_MULTI_SZ', data: ['\\??\\C:\\Windows\\temp\\a.tmp', '', '\\??\\C:\\x.new', '!\\??\\C:\\x'] },
    ]);
  });

  it('reads every other type, names with spaces and empty data', () => {
    const values = parseRegQuery(MIXED);
    expect(values.map((v) => v.name)).toEqual(['(Standard)', 'Q', 'Bin', 'Path Value', 'Empty', 'Nothing', 'EmptyMulti', 'Res']);
    expect(values.map(toRegValue)).toEqual([
      { type: 'REG_SZ', data: 'Hallo Welt' },
      { type: 'REG_QWORD', data: 0x1234567890abcdefn },
      { type: 'REG_BINARY', data: new Uint8Array([1, 2, 0xab, 0xff]) },
      { type: 'REG_EXPAND_SZ', data: '%SystemRoot%\\system32' },
      { type: 'REG_SZ', data: '' },
      { type: 'REG_RAW', kind: 0, data: new Uint8Array(0) },
      { type: 'REG_MULTI_SZ', data: [] },
      { type: 'REG_RAW', kind: 8, data: new Uint8Array([10, 11]) },
    ]);
  });

  it('rejects data it cannot understand', () => {
    expect(() => toRegValue({ name: 'x', type: 'REG_DWORD', data: '12' })).toThrow();
    expect(() => toRegValue({ name: 'x', type: 'REG_BINARY', data: 'abc' })).toThrow();
    expect(() => toRegValue({ name: 'x', type: 'REG_WHAT', data: '' })).toThrow();
  });

  it('decodes console output that is not UTF-8 byte for byte', () => {
    expect(decodeRegOutput(Buffer.from([0x48, 0xe4, 0x6c]))).toBe('H\u00e4l');
    expect(decodeRegOutput(Buffer.from('Hä', 'utf8'))).toBe('Hä');
  });
});

describe('reg add arguments', () => {
  it('formats each type', () => {
    expect(regAddData({ type: 'REG_DWORD', data: 0xffffffff })).toEqual(['/t', 'REG_DWORD', '/d', '4294967295']);
    expect(regAddData({ type: 'REG_SZ', data: 'C:\\a b\\' })).toEqual(['/t', 'REG_SZ', '/d', 'C:\\a b\\']);
    expect(regAddData({ type: 'REG_QWORD', data: 255n })).toEqual(['/t', 'REG_QWORD', '/d', '0xff']);
    expect(regAddData({ type: 'REG_BINARY', data: new Uint8Array([1, 0xab]) })).toEqual(['/t', 'REG_BINARY', '/d', '01ab']);
    expect(regAddData({ type: 'REG_MULTI_SZ', data: ['a|b', 'c'] })).toEqual(['/t', 'REG_MULTI_SZ', '/s', '~', '/d', 'a|b~c']);
    expect(() => regAddData({ type: 'REG_RAW', kind: 0, data: new Uint8Array(0) })).toThrow();
  });
});

type Reply = Partial<RunResult> & { out?: string; err?: string };

function fakeReg(replies: Reply[]) {
  const calls: string[][] = [];
  const run = async (file: string, args: readonly string[]): Promise<RunResult> => {
    calls.push([file, ...args]);
    const r = replies.shift() ?? {};
    return {
      code: 0,
      notFound: false,
      timedOut: false,
      ...r,
      stdout: Buffer.from(r.out ?? ''),
      stderr: Buffer.from(r.err ?? ''),
    };
  };
  return { reg: new RegExeRegistry(run, 'C:\\Windows\\System32\\reg.exe'), calls };
}

const NOT_FOUND: Reply = { code: 1, err: 'ERROR: The system was unable to find the specified registry key or value.\r\n' };

describe('RegExeRegistry', () => {
  it('queries the 64-bit view and parses the value', async () => {
    const { reg, calls } = fakeReg([{ out: CURRENT_VERSION }]);
    expect(await reg.getValue('SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'currentbuild')).toEqual({ type: 'REG_SZ', data: '19045' });
    expect(calls[0]).toEqual([
      'C:\\Windows\\System32\\reg.exe',
      'query',
      'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
      '/v',
      'currentbuild',
      '/reg:64',
    ]);
  });

  it('reads exit code 1 as absent', async () => {
    const { reg } = fakeReg([NOT_FOUND, NOT_FOUND]);
    expect(await reg.getValue('SOFTWARE\\X', 'Y')).toBeNull();
    expect(await reg.keyExists('SYSTEM\\CurrentControlSet\\Services\\LxssManager')).toBe(false);
  });

  it('checks keys with a plain query', async () => {
    const { reg, calls } = fakeReg([{ out: MIXED }]);
    expect(await reg.keyExists('SOFTWARE\\Test')).toBe(true);
    expect(calls[0]?.slice(1)).toEqual(['query', 'HKLM\\SOFTWARE\\Test', '/reg:64']);
  });

  it('reads the default value with /ve whatever its localized name', async () => {
    const { reg, calls } = fakeReg([{ out: MIXED }]);
    expect(await reg.getValue('SOFTWARE\\Test', '')).toEqual({ type: 'REG_SZ', data: 'Hallo Welt' });
    expect(calls[0]).toContain('/ve');
  });

  it('writes with reg add /f and fails loudly when reg.exe does', async () => {
    const { reg, calls } = fakeReg([{}, { code: 1, err: 'ERROR: Access is denied.\r\n' }]);
    await reg.setValue('SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss', 'RollbackKernel', { type: 'REG_DWORD', data: 1 });
    expect(calls[0]?.slice(1)).toEqual([
      'add',
      'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Lxss',
      '/v',
      'RollbackKernel',
      '/t',
      'REG_DWORD',
      '/d',
      '1',
      '/f',
      '/reg:64',
    ]);
    await expect(reg.setValue('SOFTWARE\\X', 'Y', { type: 'REG_SZ', data: 'z' })).rejects.toMatchObject({
      code: 'io-error',
      message: expect.stringMatching(/Access is denied/),
    });
  });

  it('deletes values; an absent value is a no-op, one that stays is an error', async () => {
    const { reg, calls } = fakeReg([{}, NOT_FOUND, NOT_FOUND, { code: 1, err: 'ERROR: Access is denied.' }, { out: UBR }]);
    await reg.deleteValue('SOFTWARE\\X', 'Y');
    expect(calls[0]?.slice(1)).toEqual(['delete', 'HKLM\\SOFTWARE\\X', '/v', 'Y', '/f', '/reg:64']);
    await reg.deleteValue('SOFTWARE\\X', 'Y');
    await expect(reg.deleteValue('SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'UBR')).rejects.toMatchObject({ code: 'io-error' });
  });

  it('asks a read once more when reg.exe failed in an unexpected way; a write is not repeated', async () => {
    const CRASHED: Reply = { code: 0xc0000005, err: '' };
    const read = fakeReg([CRASHED, { out: CURRENT_VERSION }]);
    expect(await read.reg.getValue('SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'CurrentBuild')).toEqual({ type: 'REG_SZ', data: '19045' });
    expect(read.calls).toHaveLength(2);
    const twice = fakeReg([CRASHED, CRASHED]);
    await expect(twice.reg.keyExists('SOFTWARE\\X')).rejects.toMatchObject({ code: 'io-error', message: expect.stringMatching(/exited with 3221225477/) });
    expect(twice.calls).toHaveLength(2);
    const write = fakeReg([CRASHED, {}]);
    await expect(write.reg.setValue('SOFTWARE\\X', 'Y', { type: 'REG_SZ', data: 'z' })).rejects.toMatchObject({ code: 'io-error' });
    expect(write.calls).toHaveLength(1);
  });

  it('reports a missing or hung reg.exe as an I/O error', async () => {
    await expect(fakeReg([{ code: null, notFound: true }]).reg.keyExists('X')).rejects.toMatchObject({ code: 'io-error' });
    await expect(fakeReg([{ code: null, timedOut: true }]).reg.getValue('X', 'Y')).rejects.toThrow(/timed out/);
  });
});
