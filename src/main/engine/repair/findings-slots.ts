/**
 * Findings about the two kernel slots and RollbackKernel: the seed's "WSL 2 requires an update to
 * its kernel component" (no kernel), a damaged kernel, a rollback flag with nothing to boot, and
 * files changed behind the tool's back.
 */
import type { Finding, Fix } from '../../../shared/types';
import { REG } from '../machine/machine';
import { toolFix } from './fix-catalog';
import type { Snapshot, SlotVerdict } from './inspect';
import { usableBundled } from './inspect';

/** One line saying what a slot holds: path, release, size and hash. */
export function slotText(v: SlotVerdict): string {
  const f = v.facts;
  if (!f.present) return `${f.path} does not exist`;
  const what = f.header ? `kernel ${f.header.release} (${f.header.arch})` : 'not a kernel';
  return `${f.path}: ${what}, ${f.size} bytes, sha256 ${f.sha256}`;
}

/** Why a present slot is not usable, in words. */
function problemText(v: SlotVerdict, arch: string | null): string {
  const f = v.facts;
  if (!f.present) return 'it does not exist';
  switch (v.problem) {
    case 'wrong-architecture':
      return `it is a kernel for ${f.header?.arch ?? 'another architecture'} (${f.header?.release ?? '?'}), but this computer is ${arch ?? 'of another architecture'}`;
    case 'truncated':
      return `it is shorter than the kernel ${v.record?.release ?? ''} the tool installed there (${f.size} of ${v.record?.size ?? '?'} bytes): it is truncated`;
    default:
      return 'it is not a Linux kernel (no x64 bzImage or ARM64 Image header with a version)';
  }
}

const FLAG_NAME = `HKLM\\${REG.lxss}\\${REG.rollbackValue}`;

function flagText(s: Snapshot): string {
  return `RollbackKernel: ${s.flag ? 'set (WSL boots kernel.rollback)' : 'not set (WSL boots kernel)'}`;
}

const MSI_FIX = toolFix('install-from-msi', 'Take the kernel from a WSL update package you already have (wsl_update_x64.msi) and install it');

/** restore-rollback, when kernel.rollback is a good kernel to copy. */
function restoreFix(s: Snapshot): Fix[] {
  const r = s.rollback;
  if (!r.usable || r.markedBad || !r.facts.present) return [];
  const keep = s.kernel.facts.present ? ' (a copy of the damaged file is kept for support)' : '';
  return [toolFix('restore-rollback', `Put the previous kernel ${r.facts.header?.version ?? ''} back in place${keep}`)];
}

function installFix(s: Snapshot): Fix[] {
  const p = usableBundled(s);
  return p ? [toolFix('install-bundled', `Install the bundled kernel ${p.version}`)] : [];
}

function reinstallFix(s: Snapshot): Fix[] {
  const p = usableBundled(s);
  return p ? [toolFix('reinstall', `Install the bundled kernel ${p.version} in place of the current file (a copy of it is kept for support)`)] : [];
}

/** The fixes that put a good kernel in `kernel`, safest first. */
function kernelFixes(s: Snapshot): Fix[] {
  if (!s.kernel.facts.present) return [...restoreFix(s), ...installFix(s), MSI_FIX];
  return [...reinstallFix(s), ...restoreFix(s), MSI_FIX];
}

export function slotFindings(s: Snapshot): Finding[] {
  const out: Finding[] = [];
  const k = s.kernel;
  const r = s.rollback;
  // With RollbackKernel set and a good kernel.rollback, WSL still starts: the kernel is a latent problem.
  const wslStarts = s.flag && r.usable;
  const consequence = wslStarts
    ? 'WSL still starts, because a rollback is active and it boots kernel.rollback; but undoing the rollback is not possible until kernel is repaired.'
    : 'WSL 2 cannot start ("WSL 2 requires an update to its kernel component").';
  if (!k.facts.present) {
    out.push({
      id: 'kernel-missing',
      severity: wslStarts ? 'warning' : 'error',
      observed: `${slotText(k)}. kernel.rollback: ${r.facts.present ? slotText(r) : 'missing'}. ${flagText(s)}.`,
      cause: `${consequence} Usual causes: WSL 2 is being set up for the first time, Windows was updated or reset, or the kernel file was deleted (cleanup software, a failed update).`,
      fixes: kernelFixes(s),
    });
  } else if (!k.usable) {
    out.push({
      id: 'kernel-invalid',
      severity: wslStarts ? 'warning' : 'error',
      observed: `${slotText(k)}; ${problemText(k, s.arch)}. ${flagText(s)}.`,
      cause: `${consequence} The file was damaged (an interrupted copy, a disk error), replaced by something that is not a kernel, or copied from a computer of another architecture.`,
      fixes: kernelFixes(s),
    });
  } else if (k.modified && k.record) {
    out.push({
      id: 'kernel-modified',
      severity: 'warning',
      observed: `${slotText(k)}; the tool installed kernel ${k.record.release} there (sha256 ${k.record.sha256}, ${k.record.size} bytes, ${k.record.at}).`,
      cause: 'Another program replaced the file after this tool installed it: another WSL installer (wsl --update, the MSI), a manual copy, or damage that kept the header intact.',
      fixes: [...reinstallFix(s), toolFix('record-current', `Keep the current file (${k.facts.present && k.facts.header ? k.facts.header.version : '?'}) and record it as known`)],
    });
  }

  if (s.flag && !r.usable) {
    const kv = k.facts.present && k.facts.header ? k.facts.header.version : '';
    // Ending the rollback boots the kernel the user rolled back from: say so, and offer a good
    // kernel first when there is one to install.
    const clear = toolFix(
      'clear-rollback-flag',
      k.markedBad
        ? `End the rollback and use kernel ${kv} again — the version you rolled back from, so its problem may come back`
        : `End the rollback and use kernel ${kv} again`,
    );
    const fixes: Fix[] = k.usable ? [...reinstallFix(s), clear] : kernelFixes(s).filter((f) => f.id !== 'restore-rollback');
    out.push({
      id: 'rollback-flag-orphaned',
      severity: 'error',
      observed: `${FLAG_NAME} is set, but kernel.rollback ${r.facts.present ? `is not usable: ${slotText(r)}; ${problemText(r, s.arch)}` : `does not exist (${r.facts.path})`}. kernel: ${k.facts.present ? slotText(k) : 'missing'}.`,
      cause: `WSL boots kernel.rollback while RollbackKernel is set, so it cannot start. kernel.rollback was deleted or damaged after a rollback.${k.usable ? '' : ' kernel is not usable either: it is repaired first, which also clears the flag.'}`,
      fixes,
    });
  } else if (r.facts.present && !r.usable) {
    out.push({
      id: 'rollback-kernel-invalid',
      severity: 'warning',
      observed: `${slotText(r)}; ${problemText(r, s.arch)}.`,
      cause: 'kernel.rollback was damaged or replaced. WSL is not affected (it boots kernel), but rolling back is not possible. The next kernel update keeps the current kernel as kernel.rollback in its place.',
      fixes: [],
    });
  } else if (r.modified && r.record) {
    out.push({
      id: 'rollback-kernel-modified',
      severity: 'warning',
      observed: `${slotText(r)}; the tool put kernel ${r.record.release} there (sha256 ${r.record.sha256}, ${r.record.size} bytes, ${r.record.at}).`,
      cause: 'Another program replaced kernel.rollback after this tool wrote it (another WSL installer or a manual copy).',
      fixes: [toolFix('record-current', `Keep the current kernel.rollback (${r.facts.present && r.facts.header ? r.facts.header.version : '?'}) and record it as known`)],
    });
  }
  return out;
}
