/**
 * The pre-checks of docs/design.md §3.2 / docs/design.md §5 rule 1. The seed's "This update only applies to machines with
 * the Windows Subsystem for Linux" has three causes; each is reported on its own with its remedy.
 */
import { ERRORS } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';
import type { Arch, Check, CheckId } from '../../../shared/types';
import type { Machine, RegValue } from './machine';
import { REG } from './machine';

export interface WindowsFacts {
  build: number | null;
  ubr: number | null;
  arch: Arch | null;
  /** The raw PROCESSOR_ARCHITECTURE value, for messages. */
  archName: string | null;
  wslEnabled: boolean;
  vmPlatform: boolean;
  rebootPending: boolean;
  elevated: boolean;
  freeBytes: number;
}

function text(v: RegValue | null): string | null {
  if (!v) return null;
  if (v.type === 'REG_SZ' || v.type === 'REG_EXPAND_SZ') return v.data;
  if (v.type === 'REG_DWORD') return String(v.data);
  if (v.type === 'REG_QWORD') return v.data.toString();
  return null;
}

function toArch(name: string | null): Arch | null {
  const n = name?.toUpperCase();
  if (n === 'AMD64' || n === 'X64') return 'x64';
  if (n === 'ARM64') return 'arm64';
  return null;
}

export async function readWindowsFacts(machine: Machine): Promise<WindowsFacts> {
  const reg = machine.registry;
  const buildText = text(await reg.getValue(REG.currentVersion, 'CurrentBuild')) ?? text(await reg.getValue(REG.currentVersion, 'CurrentBuildNumber'));
  const build = buildText && /^\d+$/.test(buildText.trim()) ? Number(buildText.trim()) : null;
  const ubrValue = await reg.getValue(REG.currentVersion, 'UBR');
  const ubr = ubrValue?.type === 'REG_DWORD' ? ubrValue.data : null;
  const native = await machine.facts.nativeArch();
  const archName = text(await reg.getValue(REG.environment, 'PROCESSOR_ARCHITECTURE'));
  const arch = native ?? toArch(archName);
  const pendingRename = await reg.getValue(REG.sessionManager, 'PendingFileRenameOperations');
  const rebootPending =
    (await reg.keyExists(REG.cbsRebootPending)) ||
    (await reg.keyExists(REG.wuRebootRequired)) ||
    (pendingRename !== null && !(pendingRename.type === 'REG_MULTI_SZ' && pendingRename.data.every((s) => s === '')));
  return {
    build,
    ubr,
    arch,
    archName: archName ?? native,
    wslEnabled: await reg.keyExists(REG.lxssManager),
    vmPlatform: (await reg.keyExists(REG.vmcompute)) && (await reg.keyExists(REG.hns)),
    rebootPending,
    elevated: await machine.facts.isElevated(),
    freeBytes: await machine.facts.freeBytes(machine.toolsDir),
  };
}

/** WSL 2 on x64: 18362/18363 with UBR >= 1049, or >= 19041; on ARM64: >= 19041. */
export function buildSupportsWsl2(build: number | null, ubr: number | null, arch: Arch | null): boolean {
  if (build === null) return false;
  if (build >= 19041) return true;
  if (arch === 'arm64') return false;
  return (build === 18362 || build === 18363) && (ubr ?? 0) >= 1049;
}

function check(id: CheckId, status: Check['status'], message: string, code?: ErrorCode, remedy?: string): Check {
  const c: Check = { id, status, message, remedy: status === 'pass' ? '' : (remedy ?? (code ? ERRORS[code].remedy : '')) };
  if (code && status !== 'pass') c.code = code;
  return c;
}

export interface PayloadCheckInput {
  /** The payload's facts, or the error that made it unusable, or null when none is known. */
  payload: { version: string; arch: Arch; size: number; release: string } | { error: ErrorCode; message: string } | null;
  /** Bytes the operation will write into the tools folder. */
  needBytes: number;
}

export function evaluateChecks(f: WindowsFacts, input: PayloadCheckInput): Check[] {
  const checks: Check[] = [];
  const buildText = f.build === null ? 'unknown' : `${f.build}${f.ubr !== null ? `.${f.ubr}` : ''}`;
  checks.push(
    buildSupportsWsl2(f.build, f.ubr, f.arch)
      ? check('windows-build', 'pass', `Windows build ${buildText} supports WSL 2.`)
      : check('windows-build', 'fail', `This version of Windows (build ${buildText}) is too old for WSL 2: it needs Windows 10 version 2004 or later, or version 1903 or 1909 with the latest updates.`, 'wsl-unsupported-build'),
  );
  if (f.wslEnabled) checks.push(check('wsl-feature', 'pass', 'Windows Subsystem for Linux is turned on.'));
  else if (f.rebootPending)
    // One cause, one failed check: the restart (below) is what is missing, so this one only warns.
    checks.push(check('wsl-feature', 'warn', 'Windows Subsystem for Linux is turned on, and starts working after Windows restarts.', undefined, 'Restart Windows (see below).'));
  else checks.push(check('wsl-feature', 'fail', 'Windows Subsystem for Linux is turned off.', 'wsl-not-enabled'));
  checks.push(
    f.rebootPending
      ? check('reboot', 'fail', 'Windows must restart to finish installing changes.', 'reboot-required')
      : check('reboot', 'pass', 'No restart is pending.'),
  );
  checks.push(
    f.vmPlatform
      ? check('vm-platform', 'pass', 'Virtual Machine Platform is turned on.')
      : check('vm-platform', 'fail', 'Virtual Machine Platform is turned off.', 'vm-platform-missing'),
  );
  checks.push(
    f.elevated
      ? check('elevated', 'pass', 'Running as administrator.')
      : check('elevated', 'fail', 'Not running as administrator.', 'not-elevated'),
  );
  const p = input.payload;
  if (!f.arch) {
    checks.push(check('architecture', 'fail', `Processor architecture ${f.archName ?? 'unknown'} is not supported by WSL 2 (x64 or ARM64 needed).`, 'wsl-unsupported-build'));
  } else if (p && 'arch' in p && p.arch !== f.arch) {
    checks.push(check('architecture', 'fail', `The kernel is for ${p.arch}, this computer is ${f.arch}.`, 'wrong-architecture'));
  } else {
    checks.push(check('architecture', 'pass', `Processor architecture: ${f.arch}.`));
  }
  // Keep a margin: the new kernel is staged next to the old one before any file is replaced.
  const margin = 16 * 1024 * 1024;
  const need = input.needBytes + margin;
  checks.push(
    f.freeBytes >= need
      ? check('disk-space', 'pass', f.freeBytes >= Number.MAX_SAFE_INTEGER ? `There is enough free space (${formatBytes(need)} needed).` : `${formatBytes(f.freeBytes)} free; ${formatBytes(need)} needed.`)
      : check('disk-space', 'fail', `Only ${formatBytes(f.freeBytes)} free; ${formatBytes(need)} needed.`, 'insufficient-disk-space'),
  );
  if (p === null) checks.push(check('payload', 'warn', 'No kernel to install was found.', undefined, 'Choose a kernel file or folder (--payload).'));
  else if ('error' in p) checks.push(check('payload', 'fail', p.message, p.error));
  else checks.push(check('payload', 'pass', `Kernel ${p.release} (${p.arch}) is valid.`));
  return checks;
}

export function firstFailure(checks: Check[]): Check | undefined {
  return checks.find((c) => c.status === 'fail');
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n >= Number.MAX_SAFE_INTEGER) return 'unlimited';
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} bytes` : `${v.toFixed(1)} ${units[i]}`;
}
