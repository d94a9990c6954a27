import { describe, expect, it } from 'vitest';
import type { RunResult, Runner } from '../../../../src/main/engine/windows/exec';
import { system32Dir } from '../../../../src/main/engine/windows/exec';
import { createWslControl, createWindowsMachine } from '../../../../src/main/engine/windows/windows-machine';
import { decodeWslOutput, parseRunningDistros } from '../../../../src/main/engine/windows/wsl-output';

const wide = (s: string) => Buffer.from(s, 'utf16le');

describe('decodeWslOutput', () => {
  it('reads UTF-16LE without a BOM (the default)', () => {
    expect(decodeWslOutput(wide('Ubuntu\r\nDebian\r\n'))).toBe('Ubuntu\r\nDebian\r\n');
  });

  it('reads UTF-8 (WSL_UTF8=1)', () => {
    expect(decodeWslOutput(Buffer.from('Ubuntu\nÜbüntu-测试\n', 'utf8'))).toBe('Ubuntu\nÜbüntu-测试\n');
  });

  it('strips a BOM in either encoding', () => {
    expect(decodeWslOutput(Buffer.concat([Buffer.from([0xff, 0xfe]), wide('A\r\n')]))).toBe('A\r\n');
    expect(decodeWslOutput(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('A\n')]))).toBe('A\n');
  });

  it('reads UTF-16LE names in other scripts, and tolerates a trailing odd byte', () => {
    expect(decodeWslOutput(wide('测试发行版\r\n'))).toBe('测试发行版\r\n');
    expect(decodeWslOutput(Buffer.concat([wide('Ubuntu\r\n'), Buffer.from([0x00])]))).toBe('Ubuntu\r\n');
  });

  it('does not take UTF-8 with one stray NUL for UTF-16', () => {
    expect(decodeWslOutput(Buffer.from('Ubuntu-22.04\n\0', 'utf8'))).toBe('Ubuntu-22.04\n\0');
  });

  it('returns "" for no output', () => {
    expect(decodeWslOutput(Buffer.alloc(0))).toBe('');
  });
});

describe('parseRunningDistros', () => {
  it.each([
    ['UTF-16LE, CRLF', wide('Ubuntu\r\ndocker-desktop\r\n')],
    ['UTF-16LE, CR CR LF', wide('Ubuntu\r\r\ndocker-desktop\r\r\n')],
    ['UTF-8, LF', Buffer.from('Ubuntu\ndocker-desktop\n')],
    ['blank lines and spaces', wide('\r\n  Ubuntu  \r\n\r\n\r\ndocker-desktop\r\n\r\n')],
    ['stray NULs', Buffer.concat([wide('Ubuntu\r\ndocker-desktop\r\n'), Buffer.from([0, 0, 0, 0])])],
    ['BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), wide('Ubuntu\r\ndocker-desktop')])],
  ])('%s', (_, buf) => {
    expect(parseRunningDistros(buf)).toEqual(['Ubuntu', 'docker-desktop']);
  });

  it('finds nothing in empty output (what --quiet prints when nothing runs)', () => {
    expect(parseRunningDistros(Buffer.alloc(0))).toEqual([]);
    expect(parseRunningDistros(wide('\r\n'))).toEqual([]);
  });
});

function fakeRunner(result: Partial<RunResult>): Runner & { calls: [string, readonly string[]][] } {
  const calls: [string, readonly string[]][] = [];
  const run = async (file: string, args: readonly string[]) => {
    calls.push([file, args]);
    return { code: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), notFound: false, timedOut: false, ...result };
  };
  return Object.assign(run, { calls });
}

describe('WSL control', () => {
  it('lists running distributions with --list --running --quiet', async () => {
    const run = fakeRunner({ stdout: wide('Ubuntu\r\r\n') });
    expect(await createWslControl('C:\\Windows\\System32\\wsl.exe', run).listRunning()).toEqual(['Ubuntu']);
    expect(run.calls[0]).toEqual(['C:\\Windows\\System32\\wsl.exe', ['--list', '--running', '--quiet']]);
  });

  it('treats a non-zero exit (WSL disabled: usage text) or a missing wsl.exe as nothing running', async () => {
    const usage = wide('Copyright (c) Microsoft Corporation. All rights reserved.\r\n\r\nUsage: wsl.exe [Argument]\r\n');
    expect(await createWslControl('wsl.exe', fakeRunner({ code: 1, stdout: usage })).listRunning()).toEqual([]);
    expect(await createWslControl('wsl.exe', fakeRunner({ code: null, notFound: true })).listRunning()).toEqual([]);
    await expect(createWslControl('wsl.exe', fakeRunner({ code: null, timedOut: true })).listRunning()).rejects.toThrow(/in time/);
  });

  it('shuts WSL down, and reports a failure', async () => {
    const run = fakeRunner({});
    await createWslControl('wsl.exe', run).shutdown();
    expect(run.calls[0]?.[1]).toEqual(['--shutdown']);
    await expect(createWslControl('wsl.exe', fakeRunner({ code: 1 })).shutdown()).rejects.toMatchObject({ code: 'io-error' });
  });

  it('lists the installed distributions with --list --quiet; none when WSL has none or is missing', async () => {
    const run = fakeRunner({ stdout: wide('Ubuntu-22.04\r\nDebian\r\n') });
    expect(await createWslControl('wsl.exe', run).listDistributions()).toEqual(['Ubuntu-22.04', 'Debian']);
    expect(run.calls[0]?.[1]).toEqual(['--list', '--quiet']);
    expect(await createWslControl('wsl.exe', fakeRunner({ code: 4294967295, stdout: wide('Windows Subsystem for Linux has no installed distributions.\r\n') })).listDistributions()).toEqual([]);
    expect(await createWslControl('wsl.exe', fakeRunner({ code: null, notFound: true })).listDistributions()).toEqual([]);
  });

  it('runs uname -r in a distribution without a shell, decoding UTF-8 from Linux and UTF-16LE from wsl.exe (docs/design.md §10)', async () => {
    const run = fakeRunner({ stdout: Buffer.from('5.15.153.1-microsoft-standard-WSL2\n') });
    expect(await createWslControl('wsl.exe', run).exec('Ubuntu', ['uname', '-r'])).toEqual({ exitCode: 0, stdout: '5.15.153.1-microsoft-standard-WSL2\n', stderr: '' });
    expect(run.calls[0]?.[1]).toEqual(['-d', 'Ubuntu', '--exec', 'uname', '-r']);
    const text = 'The operation timed out because a response was not received from the virtual machine or container.\r\nError code: Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT\r\n';
    const failed = await createWslControl('wsl.exe', fakeRunner({ code: 4294967295, stdout: wide(text) })).exec('Ubuntu', ['uname', '-r']);
    expect(failed).toEqual({ exitCode: 4294967295, stdout: text, stderr: '' });
    expect(await createWslControl('wsl.exe', fakeRunner({ code: null, notFound: true })).exec('Ubuntu', ['uname', '-r'])).toMatchObject({ exitCode: null, stderr: expect.stringMatching(/not found/) });
    expect(await createWslControl('wsl.exe', fakeRunner({ code: null, timedOut: true })).exec('Ubuntu', ['uname', '-r'])).toMatchObject({ exitCode: null, stderr: expect.stringMatching(/did not answer/) });
  });
});

describe('Windows paths', () => {
  it('uses Sysnative from a 32-bit process', () => {
    expect(system32Dir({ SystemRoot: 'D:\\Win' }, 'x64')).toBe('D:\\Win\\System32');
    expect(system32Dir({ SystemRoot: 'D:\\Win' }, 'ia32')).toBe('D:\\Win\\Sysnative');
    expect(system32Dir({}, 'arm64')).toBe('C:\\Windows\\System32');
  });

  it('builds the machine without running anything', () => {
    const m = createWindowsMachine();
    expect(m.kind).toBe('windows');
    expect(m.toolsDir.endsWith('\\lxss\\tools')).toBe(true);
    expect(m.stateDir.endsWith('\\WslKernelSetup')).toBe(true);
  });
});
