/**
 * The errors users paste (docs/design.md §13): each row of the catalog is recognised by its code
 * first — hex HRESULTs (`0x800701bc`, `Error: 0x1bc`), WSL's symbolic codes and its `Error code:
 * Wsl/.../CODE` paths — because codes are the same in every language; the English prose is only
 * a fallback. Pure: no machine, no I/O (what the error means *here* is pasted-error-machine.ts).
 */
import { KernelSetupError } from '../../../shared/errors';

/** The rows of the catalog. */
export type PastedErrorKind =
  | 'kernel-component-missing'
  | 'kernel-installer-precheck'
  | 'custom-kernel-not-found'
  | 'wslconfig-invalid-escape'
  | 'kernel-setting-policy'
  | 'vm-timeout'
  | 'wsl-files-missing'
  | 'virtualization-off'
  | 'installer-wrong-architecture'
  | 'wsl-installer-failed'
  | 'modules-vhd-access'
  | 'file-not-found-elsewhere';

export interface CatalogRow {
  kind: PastedErrorKind;
  /** HRESULTs, lower case, 8 hex digits. A Win32 code `0x1bc` is matched as `0x800701bc`. */
  hresults: string[];
  /** Symbolic names as WSL prints them (`WSL_E_…`, `HCS_E_…`, `ERROR_…`). */
  symbols: string[];
  /** English prose, the fallback when no code is in the text (lower case, matched as a substring). */
  prose: string[];
  /** What the error means, in one sentence (independent of the machine). */
  meaning: string;
}

/** docs/design.md §13, row by row. Order matters only for prose matches (the first row whose prose occurs wins). */
export const PASTED_ERROR_CATALOG: readonly CatalogRow[] = [
  {
    kind: 'kernel-component-missing',
    hresults: ['0x800701bc'],
    symbols: [],
    prose: ['requires an update to its kernel component'],
    meaning: 'Inbox WSL (the Windows optional component) found no kernel at %SystemRoot%\\System32\\lxss\\tools\\kernel, so WSL 2 cannot start.',
  },
  {
    kind: 'kernel-installer-precheck',
    hresults: [],
    symbols: [],
    prose: ['only applies to machines with the windows subsystem for linux'],
    meaning:
      'The WSL 2 kernel installer refused to run: Windows is too old for WSL 2, the Windows Subsystem for Linux feature is off, or it was just turned on and Windows has not restarted yet.',
  },
  {
    kind: 'custom-kernel-not-found',
    hresults: ['0x80040307'],
    symbols: ['WSL_E_CUSTOM_KERNEL_NOT_FOUND'],
    prose: ['the custom kernel specified in', 'custom kernel modules vhd in', 'kernel modules were supplied without specifying'],
    meaning: 'WSL could not find the kernel (or the kernel modules VHD) that .wslconfig names, so it did not start its virtual machine.',
  },
  {
    kind: 'wslconfig-invalid-escape',
    hresults: [],
    symbols: [],
    prose: ['invalid escaped character'],
    meaning: 'A line of .wslconfig has a backslash followed by a letter WSL does not accept; WSL ignores that whole line (a Windows path needs its backslashes doubled).',
  },
  {
    kind: 'kernel-setting-policy',
    hresults: [],
    symbols: [],
    prose: ['is disabled by the computer policy'],
    meaning: "A computer policy (AllowKernelUserSetting = 0) makes WSL ignore .wslconfig's kernel setting; WSL boots its own kernel instead.",
  },
  {
    kind: 'vm-timeout',
    hresults: ['0x80370109'],
    symbols: ['HCS_E_CONNECTION_TIMEOUT'],
    prose: ['a response was not received from the virtual machine or container'],
    meaning: "WSL's virtual machine did not answer in time: usually the kernel did not boot (for example a vmlinux file instead of a bzImage).",
  },
  {
    kind: 'wsl-files-missing',
    hresults: ['0x80070002'],
    symbols: ['ERROR_FILE_NOT_FOUND'],
    prose: ['the system cannot find the file specified'],
    meaning: "A file WSL needs to start its virtual machine is missing: store WSL's own kernel, modules.vhd or system.vhd in its install folder.",
  },
  {
    kind: 'virtualization-off',
    hresults: ['0x80370102', '0x80370114'],
    symbols: ['HCS_E_HYPERV_NOT_INSTALLED', 'HCS_E_SERVICE_NOT_AVAILABLE'],
    prose: ['virtualization is not enabled', 'ensure virtualization is enabled', 'a required feature is not installed'],
    meaning: 'Windows cannot run virtual machines: virtualization is off in the firmware, the hypervisor does not start, or Virtual Machine Platform is off.',
  },
  {
    kind: 'installer-wrong-architecture',
    hresults: ['0x80070661'],
    symbols: ['ERROR_INSTALL_PLATFORM_UNSUPPORTED'],
    prose: ['not supported by this processor type'],
    meaning: 'The installer that was run is for another processor architecture (for example wsl_update_arm64.msi on an x64 computer).',
  },
  {
    kind: 'wsl-installer-failed',
    hresults: ['0x80070643'],
    symbols: ['ERROR_INSTALL_FAILURE'],
    prose: ['fatal error during installation', 'older version of windows subsystem for linux cannot be removed'],
    meaning: "WSL's own installer (its MSI) failed, most often because the older WSL version could not be removed first.",
  },
  {
    // microsoft/WSL#40482: only with WSL's VM start in its path; access denied elsewhere is too vague to name.
    kind: 'modules-vhd-access',
    hresults: ['0x80070005'],
    symbols: ['E_ACCESSDENIED'],
    prose: [],
    meaning:
      'WSL was denied access to a file it starts its virtual machine with: since WSL 2.7.1, a kernelModules VHD must be readable by BUILTIN\\Users, ALL APPLICATION PACKAGES and ALL RESTRICTED APPLICATION PACKAGES.',
  },
];

const FILE_NOT_FOUND_ELSEWHERE: CatalogRow = {
  kind: 'file-not-found-elsewhere',
  hresults: [],
  symbols: [],
  prose: [],
  meaning: 'WSL could not find a file it was asked to use (a disk to mount, a distribution to import); this is not a file WSL starts its virtual machine with.',
};

/** The most text accepted: an error message, with some context around it (a terminal screen or a log excerpt). */
export const PASTED_ERROR_MAX_BYTES = 64 * 1024;

/** What was recognised in a text. */
export interface Recognised {
  row: CatalogRow;
  /** The code as it appeared, normalised (`0x800701bc`, `WSL_E_CUSTOM_KERNEL_NOT_FOUND`), or null when only prose matched. */
  code: string | null;
  /** WSL's full error path when the text has one (`Wsl/Service/CreateInstance/CreateVm/HCS_E_CONNECTION_TIMEOUT`). */
  path: string | null;
  /** A `.wslconfig` file and line the message points at (WSL's config warnings end in `<file>:<line>`). */
  wslconfigLine: number | null;
  /** Every code found in the text, in order. */
  codes: string[];
  /** How it was recognised. */
  by: 'code' | 'prose' | 'wslconfig-line';
}

/** Refuse what cannot be a pasted error: empty, or larger than the bound. Nothing is read or changed. */
export function checkPastedText(text: string): string {
  if (Buffer.byteLength(text, 'utf8') > PASTED_ERROR_MAX_BYTES) {
    throw new KernelSetupError('usage', `The error text is longer than ${PASTED_ERROR_MAX_BYTES / 1024} KiB: paste only the message WSL showed (a few lines).`);
  }
  const trimmed = text.replace(/\0/g, '').trim();
  if (!trimmed) throw new KernelSetupError('usage', 'The error text is empty: paste the message WSL showed.');
  return trimmed;
}

/** Bytes of a pasted file or stdin as text: UTF-16LE (with a BOM, or NULs in every other byte, as wsl.exe writes it) or UTF-8. */
export function decodePastedBytes(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  const sample = bytes.subarray(0, 512);
  let oddNuls = 0;
  for (let i = 1; i < sample.length; i += 2) if (sample[i] === 0) oddNuls++;
  return sample.length >= 4 && oddNuls >= sample.length / 4 ? bytes.toString('utf16le') : bytes.toString('utf8');
}

/** Fold what terminals, fonts and translations do to codes: full-width characters, `0×` for `0x`, invisible marks. */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200b-\u200f\u2060\ufeff]/g, '')
    .replace(/\b0[×Х]/g, '0x');
}

/** A hex code as an HRESULT: Win32 errors (`0x1bc`) become HRESULT_FROM_WIN32 (`0x800701bc`). */
function hresultOf(hex: string): string | null {
  const v = Number.parseInt(hex, 16);
  if (!Number.isFinite(v) || v > 0xffffffff) return null;
  const h = v > 0 && v <= 0xffff ? (0x80070000 | v) >>> 0 : v >>> 0;
  return `0x${h.toString(16).padStart(8, '0')}`;
}

interface Token {
  at: number;
  code: string;
  hresult: string | null;
  symbol: string | null;
  path: string | null;
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  // WSL's error path: `Wsl/Service/CreateInstance/CreateVm/HCS/ERROR_FILE_NOT_FOUND` (older builds: `Bash/…`).
  const paths = [...text.matchAll(/\b(?:Wsl|Bash)(?:\/[A-Za-z0-9_]+)+/g)];
  const inPath = (i: number) => paths.find((p) => i >= p.index && i < p.index + p[0].length)?.[0] ?? null;
  for (const m of text.matchAll(/\b0x([0-9a-f]{1,8})\b/gi)) {
    const h = hresultOf(m[1]!);
    if (h) out.push({ at: m.index, code: m[0].length <= 6 ? m[0].toLowerCase() : h, hresult: h, symbol: null, path: inPath(m.index) });
  }
  // An HRESULT written as a signed decimal (-2147024452), as some tools and event logs print it.
  for (const m of text.matchAll(/(?<![\d.])-(214\d{7})\b/g)) {
    const v = 2 ** 32 - Number(m[1]);
    if (v >= 0x80000000) out.push({ at: m.index, code: m[0], hresult: `0x${v.toString(16)}`, symbol: null, path: null });
  }
  for (const m of text.matchAll(/\b(?:WSL_E|HCS_E|ERROR|E)_[A-Z0-9_]*[A-Z0-9]\b/g)) {
    out.push({ at: m.index, code: m[0], hresult: null, symbol: m[0], path: inPath(m.index) });
  }
  return out.sort((a, b) => a.at - b.at);
}

function rowOfToken(t: Token): CatalogRow | null {
  for (const row of PASTED_ERROR_CATALOG) {
    if ((t.hresult && row.hresults.includes(t.hresult)) || (t.symbol && row.symbols.includes(t.symbol))) {
      // A missing file outside WSL's VM start (`wsl --mount`, an import) is not about the kernel.
      if (row.kind === 'wsl-files-missing' && t.path && !/\/CreateVm\//i.test(t.path)) return FILE_NOT_FOUND_ELSEWHERE;
      if (row.kind === 'modules-vhd-access' && !(t.path && /\/CreateVm\//i.test(t.path))) return null;
      return row;
    }
  }
  return null;
}

/** The `.wslconfig` line a config warning points at: `…\.wslconfig:12`. */
function wslconfigLineOf(text: string): number | null {
  const m = /\.wslconfig\s?:(\d{1,6})\b/i.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * Recognise a pasted error: the first code of the text that the catalog knows; else an exit code
 * of an installer (1603, 1633) next to nothing else; else the English prose; else null.
 */
export function recognisePastedError(raw: string): Recognised | null {
  const text = normalise(checkPastedText(raw));
  const found = tokens(text);
  const codes = [...new Set(found.map((t) => t.code))];
  const wslconfigLine = wslconfigLineOf(text);
  for (const t of found) {
    const row = rowOfToken(t);
    if (row) return { row, code: t.code, path: t.path, wslconfigLine, codes, by: 'code' };
  }
  const lower = text.toLowerCase();
  // The policy warning names the setting, which WSL never translates: 'wsl2.kernel' / 'wsl2.kernelModules'.
  const policySetting = /['"‘’“”„«»「」\s]wsl2\.kernel(?:modules)?['"‘’“”„«»「」]/i.test(text) && wslconfigLine === null;
  if (policySetting) return { row: rowByKind('kernel-setting-policy'), code: null, path: null, wslconfigLine, codes, by: 'code' };
  for (const row of PASTED_ERROR_CATALOG) {
    if (row.prose.some((p) => lower.includes(p))) return { row, code: null, path: null, wslconfigLine, codes, by: 'prose' };
  }
  // msiexec's exit codes, as "Update failed (exit code: 1603)." prints them in any language.
  const exit = /(?<![\w.])(1603|1633)(?![\w.])/.exec(text);
  if (exit) {
    const row = rowByKind(exit[1] === '1603' ? 'wsl-installer-failed' : 'installer-wrong-architecture');
    return { row, code: exit[1]!, path: null, wslconfigLine, codes: [...codes, exit[1]!], by: 'code' };
  }
  // A config warning about a `.wslconfig` line, in whatever language: which line it is decides (on the machine).
  if (wslconfigLine !== null) return { row: rowByKind('wslconfig-invalid-escape'), code: null, path: null, wslconfigLine, codes, by: 'wslconfig-line' };
  return null;
}

export function rowByKind(kind: PastedErrorKind): CatalogRow {
  return kind === 'file-not-found-elsewhere' ? FILE_NOT_FOUND_ELSEWHERE : PASTED_ERROR_CATALOG.find((r) => r.kind === kind)!;
}
