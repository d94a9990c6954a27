/** The catalog of pasted errors (docs/design.md §13): codes first, in any language; English prose only as a fallback. */
import { describe, expect, it } from 'vitest';
import { KernelSetupError } from '../../../../src/shared/errors';
import { PASTED_ERROR_CATALOG, PASTED_ERROR_MAX_BYTES, decodePastedBytes, recognisePastedError } from '../../../../src/main/engine/repair/pasted-error';
import { TEXTS } from '../../../helpers/wsl-error-texts';

const kindOf = (text: string) => recognisePastedError(text)?.row.kind ?? null;

describe('recognisePastedError: every row of docs/design.md §13, by code', () => {
  it.each([
    ['kernel-component-missing', TEXTS.kernelComponent.en, '0x800701bc'],
    ['kernel-component-missing', TEXTS.kernelComponent.setDefault, '0x1bc'],
    ['kernel-component-missing', TEXTS.kernelComponent.jaMangled, '0x800701bc'],
    ['kernel-component-missing', TEXTS.kernelComponent.de, '0x800701bc'],
    ['kernel-component-missing', TEXTS.kernelComponent.timesSign, '0x800701bc'],
    ['custom-kernel-not-found', TEXTS.customKernel.en, 'WSL_E_CUSTOM_KERNEL_NOT_FOUND'],
    ['custom-kernel-not-found', TEXTS.customKernel.de, 'WSL_E_CUSTOM_KERNEL_NOT_FOUND'],
    ['custom-kernel-not-found', TEXTS.customKernel.fr, 'WSL_E_CUSTOM_KERNEL_NOT_FOUND'],
    ['custom-kernel-not-found', TEXTS.customKernel.ja, 'WSL_E_CUSTOM_KERNEL_NOT_FOUND'],
    ['custom-kernel-not-found', TEXTS.customKernel.hex, '0x80040307'],
    ['vm-timeout', TEXTS.vmTimeout.en, 'HCS_E_CONNECTION_TIMEOUT'],
    ['vm-timeout', TEXTS.vmTimeout.fr, 'HCS_E_CONNECTION_TIMEOUT'],
    ['vm-timeout', TEXTS.vmTimeout.hex, '0x80370109'],
    ['wsl-files-missing', TEXTS.filesMissing.en, 'ERROR_FILE_NOT_FOUND'],
    ['wsl-files-missing', TEXTS.filesMissing.nl, 'ERROR_FILE_NOT_FOUND'],
    ['wsl-files-missing', TEXTS.filesMissing.ko, 'ERROR_FILE_NOT_FOUND'],
    ['file-not-found-elsewhere', TEXTS.filesMissing.mount, 'ERROR_FILE_NOT_FOUND'],
    ['virtualization-off', TEXTS.virtualization.en, 'HCS_E_HYPERV_NOT_INSTALLED'],
    ['virtualization-off', TEXTS.virtualization.de, 'HCS_E_HYPERV_NOT_INSTALLED'],
    ['virtualization-off', TEXTS.virtualization.registerDistribution, '0x80370102'],
    ['virtualization-off', TEXTS.virtualization.serviceFr, 'HCS_E_SERVICE_NOT_AVAILABLE'],
    ['virtualization-off', TEXTS.virtualization.serviceHexFr, '0x80370114'],
    ['installer-wrong-architecture', TEXTS.wrongArch.en, '0x80070661'],
    ['wsl-installer-failed', TEXTS.installerFailed.en, 'ERROR_INSTALL_FAILURE'],
    ['wsl-installer-failed', TEXTS.installerFailed.callMsi, 'ERROR_INSTALL_FAILURE'],
    ['wsl-installer-failed', TEXTS.installerFailed.deExitOnly, '1603'],
    ['modules-vhd-access', TEXTS.modulesAccess.en, 'E_ACCESSDENIED'],
    ['modules-vhd-access', TEXTS.modulesAccess.de, 'E_ACCESSDENIED'],
  ])('%s ← %j', (kind, text, code) => {
    const r = recognisePastedError(text)!;
    expect(r.row.kind).toBe(kind);
    expect(r.code).toBe(code);
    expect(r.by).toBe('code');
  });

  it('keeps WSL\'s error path and every code of the text', () => {
    const r = recognisePastedError(TEXTS.filesMissing.en)!;
    expect(r.path).toBe('Wsl/Service/CreateInstance/CreateVm/HCS/ERROR_FILE_NOT_FOUND');
    expect(recognisePastedError(TEXTS.kernelComponent.en)!.codes).toEqual(['0x800701bc']);
  });

  it('the policy warning is recognised by the setting name WSL never translates', () => {
    for (const t of [TEXTS.policy.en, TEXTS.policy.de, TEXTS.policy.ja]) expect(kindOf(t)).toBe('kernel-setting-policy');
  });

  it('a .wslconfig warning in any language is recognised by its <file>:<line>', () => {
    expect(recognisePastedError(TEXTS.invalidEscape.en)).toMatchObject({ row: { kind: 'wslconfig-invalid-escape' }, by: 'prose', wslconfigLine: 4 });
    expect(recognisePastedError(TEXTS.invalidEscape.de)).toMatchObject({ row: { kind: 'wslconfig-invalid-escape' }, by: 'wslconfig-line', wslconfigLine: 4 });
    expect(recognisePastedError(TEXTS.invalidEscape.fr)).toMatchObject({ by: 'wslconfig-line', wslconfigLine: 4 });
  });

  it('English prose is the fallback when no code is in the text', () => {
    expect(recognisePastedError(TEXTS.kernelComponent.proseOnly)).toMatchObject({ row: { kind: 'kernel-component-missing' }, by: 'prose', code: null });
    expect(recognisePastedError(TEXTS.installerPrecheck.en)).toMatchObject({ row: { kind: 'kernel-installer-precheck' }, by: 'prose' });
    expect(kindOf('The operation timed out because a response was not received from the virtual machine or container.')).toBe('vm-timeout');
    // A code wins over prose that names another row.
    expect(kindOf(`WSL 2 requires an update to its kernel component. ${TEXTS.vmTimeout.hex}`)).toBe('vm-timeout');
  });

  it('codes in any case, full-width digits, and a signed decimal HRESULT', () => {
    expect(kindOf('ERROR: 0X800701BC')).toBe('kernel-component-missing');
    expect(kindOf('エラー: ０ｘ８００７０１ｂｃ')).toBe('kernel-component-missing');
    expect(kindOf('exit status -2147024452')).toBe('kernel-component-missing');
    expect(kindOf('Error: 0x80070002')).toBe('wsl-files-missing');
  });

  it('unknown text and unknown codes are not recognised', () => {
    expect(recognisePastedError(TEXTS.unrelated.en)).toBeNull();
    expect(recognisePastedError(`The parameter is incorrect.\r\nError code: Wsl/Service/CreateInstance/CreateVm/HCS/E_INVALIDARG`)).toBeNull();
    expect(recognisePastedError('build 16030, version 0x1603')).toBeNull();
    expect(recognisePastedError(TEXTS.modulesAccess.elsewhere)).toBeNull();
    expect(recognisePastedError('Error: 0x80070005')).toBeNull();
  });

  it('every row can be recognised by something', () => {
    for (const row of PASTED_ERROR_CATALOG) expect(row.hresults.length + row.symbols.length + row.prose.length, row.kind).toBeGreaterThan(0);
  });

  it('refuses empty and oversized text with a usage error', () => {
    const usage = (t: string) => {
      try {
        recognisePastedError(t);
      } catch (err) {
        return err instanceof KernelSetupError ? err.code : 'other';
      }
      return null;
    };
    expect(usage('  \r\n ')).toBe('usage');
    expect(usage('x'.repeat(PASTED_ERROR_MAX_BYTES + 1))).toBe('usage');
    // The bound is in bytes: 22 000 three-byte characters are over 64 KiB.
    expect(usage('エ'.repeat(22_000))).toBe('usage');
    expect(usage(`${'x'.repeat(PASTED_ERROR_MAX_BYTES - 20)} 0x800701bc`)).toBeNull();
  });

  it('decodes what wsl.exe writes to a file: UTF-16LE without a BOM, with one, or UTF-8', () => {
    const text = TEXTS.customKernel.ja;
    expect(decodePastedBytes(Buffer.from(text, 'utf16le'))).toBe(text);
    expect(decodePastedBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(text);
    expect(decodePastedBytes(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodePastedBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Error: 0x1bc')]))).toBe('Error: 0x1bc');
  });
});
