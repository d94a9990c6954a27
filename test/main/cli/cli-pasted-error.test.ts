/** `diagnose --error TEXT | -` through the real CLI process (docs/design.md §7, §13). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../src/shared/types';
import { ROOT, cli, tempDir } from '../../helpers/sandbox';
import { TEXTS } from '../../helpers/wsl-error-texts';

let work: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => (work = await tempDir()));
afterAll(() => work.cleanup());

let made = 0;
async function machine(preset: string): Promise<string> {
  const m = join(work.dir, `${preset}-${++made}`);
  expect((await cli(['sandbox', 'init', m, '--preset', preset, '--json'])).code).toBe(0);
  return m;
}

/** Run the CLI with bytes on stdin. */
function withStdin(args: string[], input: Buffer): Promise<{ code: number | null; stdout: string; json: CommandResult | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'wslk.cjs'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      let json: CommandResult | null = null;
      try {
        json = JSON.parse(stdout) as CommandResult;
      } catch {
        json = null;
      }
      resolve({ code, stdout, json });
    });
    // The CLI may stop reading early (too much input): that is not a failure of the test.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

describe('wslk diagnose --error', () => {
  it('--json: the pasted error beside every key of diagnose', async () => {
    const m = await machine('store-missing-custom');
    const r = await cli(['diagnose', '--machine', m, '--error', TEXTS.customKernel.de, '--json']);
    expect(r.code).toBe(0);
    for (const key of ['ok', 'code', 'message', 'exitCode', 'status', 'checks', 'findings']) expect(r.json, key).toHaveProperty(key);
    expect(r.json.status?.boot?.error?.code).toBe('WSL_E_CUSTOM_KERNEL_NOT_FOUND');
    expect(r.json.pastedError).toMatchObject({
      recognised: true,
      code: 'WSL_E_CUSTOM_KERNEL_NOT_FOUND',
      errorPath: 'Wsl/Service/CreateInstance/CreateVm/WSL_E_CUSTOM_KERNEL_NOT_FOUND',
      aboutKernel: true,
      findings: ['custom-kernel-missing'],
    });
    expect(r.json.findings?.[0]?.id).toBe('custom-kernel-missing');
  });

  it('--error - reads stdin, as wsl.exe writes a redirected error (UTF-16LE)', async () => {
    const m = await machine('store-kernel-missing');
    const r = await withStdin(['diagnose', '--machine', m, '--error', '-', '--json'], Buffer.from(TEXTS.filesMissing.ko, 'utf16le'));
    expect(r.code).toBe(0);
    expect(r.json?.pastedError).toMatchObject({ kind: 'wsl-files-missing', findings: ['wsl-install-damaged'] });
    expect(r.json?.findings?.find((f) => f.id === 'wsl-install-damaged')?.fixes[0]?.id).toBe('repair-wsl-msi');
  });

  it('human output: not about the kernel, and the one next step', async () => {
    const m = await machine('no-vm-platform');
    const r = await cli(['diagnose', '--machine', m, '--error', TEXTS.virtualization.registerDistribution]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Pasted error: 0x80370102 (virtualization-off)');
    expect(r.stdout).toContain('not about the kernel; next step: Enable the Virtual Machine Platform feature');
    expect(r.stdout).toContain('[error] vm-platform-missing');
  });

  it('unrecognised text: said so, the normal diagnosis follows', async () => {
    const m = await machine('kernel-missing');
    const r = await cli(['diagnose', '--machine', m, '--error', TEXTS.unrelated.en, '--json']);
    expect(r.json.pastedError?.recognised).toBe(false);
    expect(r.json.findings?.map((f) => f.id)).toContain('kernel-missing');
  });

  it('refuses too much input on stdin, an empty text, and --error twice: usage (1639), nothing read', async () => {
    const m = await machine('fresh');
    const big = await withStdin(['diagnose', '--machine', m, '--error', '-', '--json'], Buffer.alloc(200 * 1024, 0x41));
    expect(big.json).toMatchObject({ ok: false, code: 'usage', exitCode: 1639 });
    expect(big.code).toBe(1639 & 0xff);
    const utf8 = await withStdin(['diagnose', '--machine', m, '--error', '-', '--json'], Buffer.alloc(100 * 1024, 0x41));
    expect(utf8.json).toMatchObject({ code: 'usage', message: expect.stringContaining('64 KiB') });
    expect((await withStdin(['diagnose', '--machine', m, '--error', '-', '--json'], Buffer.from(' \r\n'))).json).toMatchObject({ code: 'usage' });
    expect((await cli(['diagnose', '--machine', m, '--error', '', '--json'])).json).toMatchObject({ code: 'usage' });
    expect((await cli(['diagnose', '--machine', m, '--error', 'a', '--error', 'b', '--json'])).json).toMatchObject({ code: 'usage' });
    expect((await cli(['status', '--machine', m, '--error', 'a', '--json'])).json).toMatchObject({ code: 'usage' });
  });
});

describe('every row of docs/design.md §13 through the CLI, with localized prose where WSL translates it', () => {
  it.each([
    ['fresh', 'kernel-component-missing', TEXTS.kernelComponent.jaMangled, 'kernel-missing'],
    ['no-wsl', 'kernel-installer-precheck', TEXTS.installerPrecheck.en, 'wsl-not-enabled'],
    ['store-missing-custom', 'custom-kernel-not-found', TEXTS.customKernel.ja, 'custom-kernel-missing'],
    ['store-bad-escape', 'wslconfig-invalid-escape', TEXTS.invalidEscape.fr, 'wslconfig-bad-escape'],
    ['store-policy-blocked', 'kernel-setting-policy', TEXTS.policy.de, 'kernel-setting-blocked'],
    ['store-vmlinux', 'vm-timeout', TEXTS.vmTimeout.fr, 'custom-kernel-invalid'],
    ['store-kernel-missing', 'wsl-files-missing', TEXTS.filesMissing.nl, 'wsl-install-damaged'],
    ['no-vm-platform', 'virtualization-off', TEXTS.virtualization.de, 'vm-platform-missing'],
    ['arm64', 'installer-wrong-architecture', TEXTS.wrongArch.en, null],
    ['store-fresh', 'wsl-installer-failed', TEXTS.installerFailed.deExitOnly, null],
  ])('%s: %s', async (preset, kind, text, finding) => {
    const m = await machine(preset);
    const r = await cli(['diagnose', '--machine', m, '--error', text, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.pastedError?.kind).toBe(kind);
    if (finding) {
      expect(r.json.pastedError?.findings[0]).toBe(finding);
      expect(r.json.findings?.map((f) => f.id)).toContain(finding);
    } else {
      expect(r.json.pastedError).toMatchObject({ aboutKernel: false, findings: [] });
      expect(r.json.pastedError?.nextStep.length).toBeGreaterThan(20);
    }
  });
});
