/** Relaunching elevated: the PowerShell command, and a cancelled UAC prompt as an outcome. */
import { describe, expect, it } from 'vitest';
import { ERROR_CANCELLED, powershellCommand, psLiteral, quoteWindowsArg, relaunchElevated, relaunchScript } from '../../../src/main/electron/elevation';
import type { ProcessRunner } from '../../../src/main/electron/elevation';

const EXE = 'C:\\Program Files\\WSL Kernel Setup\\wsl-kernel-setup.exe';

/** A runner that records the command and exits with `code`. */
function runner(code: number | null): { run: ProcessRunner; calls: { file: string; args: string[] }[] } {
  const calls: { file: string; args: string[] }[] = [];
  return {
    calls,
    run: async (file, args) => {
      calls.push({ file, args });
      return code;
    },
  };
}

function decode(args: string[]): string {
  const i = args.indexOf('-EncodedCommand');
  return Buffer.from(args[i + 1]!, 'base64').toString('utf16le');
}

describe('relaunchElevated', () => {
  it('starts the app through Start-Process -Verb RunAs, with the entry screen', async () => {
    const r = runner(0);
    const outcome = await relaunchElevated({ exe: EXE, args: ['--settings'], cwd: 'C:\\Users\\me', platform: 'win32', run: r.run });
    expect(outcome).toBe('relaunched');
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]!.file).toMatch(/System32[\\/]WindowsPowerShell[\\/]v1\.0[\\/]powershell\.exe$/);
    const script = decode(r.calls[0]!.args);
    expect(script).toContain(`Start-Process -FilePath '${EXE}' -ArgumentList @('--settings') -WorkingDirectory 'C:\\Users\\me' -Verb RunAs`);
  });

  it('reports a declined UAC prompt (ERROR_CANCELLED) as the outcome "cancelled", not an error', async () => {
    const outcome = await relaunchElevated({ exe: EXE, args: [], cwd: 'C:\\', platform: 'win32', run: runner(ERROR_CANCELLED).run });
    expect(outcome).toBe('cancelled');
  });

  it('fails with not-elevated when PowerShell fails for another reason or cannot start', async () => {
    for (const code of [1, null]) {
      await expect(relaunchElevated({ exe: EXE, args: [], cwd: 'C:\\', platform: 'win32', run: runner(code).run })).rejects.toMatchObject({ code: 'not-elevated' });
    }
  });

  it('is unsupported off Windows and runs nothing', async () => {
    const r = runner(0);
    expect(await relaunchElevated({ exe: '/usr/bin/app', args: [], cwd: '/', platform: 'linux', run: r.run })).toBe('unsupported');
    expect(r.calls).toEqual([]);
  });
});

describe('quoting', () => {
  it('quotes arguments the way CommandLineToArgvW reads them back', () => {
    expect(quoteWindowsArg('--repair')).toBe('--repair');
    expect(quoteWindowsArg('C:\\My Sandbox')).toBe('"C:\\My Sandbox"');
    expect(quoteWindowsArg('C:\\dir with space\\')).toBe('"C:\\dir with space\\\\"');
    expect(quoteWindowsArg('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteWindowsArg('')).toBe('""');
  });

  it("keeps PowerShell from expanding anything: single quotes, ' doubled", () => {
    expect(psLiteral("C:\\O'Brien\\$env:x")).toBe("'C:\\O''Brien\\$env:x'");
    const script = relaunchScript("C:\\O'Brien\\app.exe", ['--machine', "C:\\it's here"], 'C:\\');
    expect(script).toContain("-FilePath 'C:\\O''Brien\\app.exe'");
    expect(script).toContain(`-ArgumentList @('--machine', '"C:\\it''s here"')`);
  });

  it('omits -ArgumentList when there are no arguments (PowerShell refuses an empty list)', () => {
    expect(relaunchScript(EXE, [], 'C:\\')).not.toContain('-ArgumentList');
    const { args } = powershellCommand(relaunchScript(EXE, [], 'C:\\'), { SystemRoot: 'D:\\Win' });
    expect(args.slice(0, 4)).toEqual(['-NoProfile', '-NonInteractive', '-WindowStyle', 'Hidden']);
  });
});
