/**
 * What a recognised error means on *this* machine (docs/design.md §13): the catalog row combined
 * with the snapshot (flavour, kernel files, `.wslconfig`, pre-checks) and the normal findings. The
 * result names the findings the error leads to, adds the one finding only a pasted error can
 * reveal (a kernel that does not boot), or says plainly that the error is not about the kernel and
 * gives the one next step that fits.
 */
import type { Finding, Fix, PastedErrorReport } from '../../../shared/types';
import { bootable } from './inspect';
import type { Snapshot } from './inspect';
import { repairWslFix, useDefaultFix } from './findings-wsl';
import type { PastedErrorKind, Recognised } from './pasted-error';

export interface PastedOutcome {
  report: PastedErrorReport;
  /** The findings after adding what only the pasted error shows. */
  findings: Finding[];
}

interface Verdict {
  aboutKernel: boolean;
  onThisMachine: string;
  nextStep: string;
  /** Finding ids, most relevant first (present in the findings). */
  ids: string[];
  added?: Finding;
}

const RESTART_WSL = 'Restart WSL (run: wsl --shutdown) and start your distribution again.';

/** Which findings each row can lead to, most direct first. */
const RELATED: Record<PastedErrorKind, string[]> = {
  'kernel-component-missing': ['kernel-missing', 'kernel-invalid', 'rollback-flag-orphaned', 'operation-interrupted', 'wsl-install-damaged', 'wsl-not-enabled', 'restart-pending'],
  'kernel-installer-precheck': ['windows-build-unsupported', 'unsupported-architecture', 'wsl-not-enabled', 'restart-pending'],
  'custom-kernel-not-found': ['custom-kernel-missing', 'wslconfig-kernel-mangled', 'custom-modules-missing', 'modules-without-kernel'],
  'wslconfig-invalid-escape': ['wslconfig-bad-escape'],
  'kernel-setting-policy': ['kernel-setting-blocked'],
  'vm-timeout': ['custom-kernel-invalid', 'kernel-invalid', 'rollback-flag-orphaned', 'kernel-did-not-boot'],
  'wsl-files-missing': ['wsl-install-damaged', 'custom-kernel-missing', 'custom-modules-missing', 'kernel-missing', 'kernel-invalid', 'rollback-flag-orphaned'],
  'virtualization-off': ['vm-platform-missing'],
  'installer-wrong-architecture': [],
  'wsl-installer-failed': [],
  'modules-vhd-access': [],
  'file-not-found-elsewhere': [],
};

/** The next step a finding offers: its first fix. */
const stepOf = (f: Finding): string => f.fixes[0]?.title ?? f.cause;

function flavourText(s: Snapshot): string {
  if (s.wsl.flavour === 'store') return `store WSL ${s.wsl.wslVersion ?? ''}`.trim();
  return s.wsl.flavour === 'inbox' ? 'inbox WSL (the Windows optional component)' : 'no WSL';
}

function bootText(s: Snapshot): string {
  const b = s.wsl.boot;
  if (!b || !b.path) return 'no kernel';
  const v = b.kernel.present && b.kernel.valid ? ` (${b.kernel.version})` : '';
  return `${b.path}${v}`;
}

/** A kernel that has a valid header but, says the user's error, did not boot. Only a pasted error reveals this. */
function didNotBoot(s: Snapshot): Finding | null {
  const b = s.wsl.boot;
  if (!b || !b.path || !b.kernel.present || !b.kernel.valid) return null;
  const fixes: Fix[] = [];
  const version = b.kernel.version ?? '';
  if (b.source === 'wslconfig' && !b.toolOwned && b.wslconfig) fixes.push(useDefaultFix(b.wslconfig.path));
  let previous: string | null = null;
  const ss = s.wsl.storeSlots;
  if (s.wsl.flavour === 'store') {
    if (b.toolOwned && ss && !ss.rollbackActive && ss.rollbackKernel.present && ss.rollbackKernel.valid) previous = ss.rollbackKernel.version;
  } else if (b.source === 'default' && !s.flag && s.rollback.usable && !s.rollback.markedBad) {
    previous = s.rollback.facts.present ? (s.rollback.facts.header?.version ?? null) : null;
  }
  if (previous) {
    fixes.push({
      id: 'rollback-kernel',
      title: `Roll back to kernel ${previous}`,
      manual: true,
      steps: ['In WSL Kernel Setup, open Settings and choose Rollback (or run as administrator: wslk rollback --shutdown-wsl).', 'Start your distribution again.'],
    });
  }
  if (b.toolOwned && s.wsl.flavour === 'store') {
    fixes.push({ id: 'store-use-default', title: "Boot WSL's own kernel again", manual: true, steps: ['Run as administrator: wslk use-default --shutdown-wsl (or Settings > Use WSL\'s own kernel again).'] });
  }
  if (!fixes.length) return null;
  return {
    id: 'kernel-did-not-boot',
    severity: 'error',
    observed: `The error you pasted says WSL's virtual machine did not answer. WSL boots ${b.path} (kernel ${version}): ${b.reason}`,
    cause: 'The kernel has a valid header, but it does not boot under WSL (a kernel built without the options WSL needs, or a damaged build).',
    fixes,
  };
}

function verdictFor(kind: PastedErrorKind, rec: Recognised, s: Snapshot, found: Finding[]): Verdict {
  const present = RELATED[kind].map((id) => found.find((f) => f.id === id)).filter((f): f is Finding => !!f);
  const ids = present.map((f) => f.id);
  const first = present[0];
  const fromFinding = (aboutKernel: boolean): Verdict => ({ aboutKernel, ids, onThisMachine: `${first!.observed}`, nextStep: stepOf(first!) });
  const cfg = s.wsl.boot?.wslconfig ?? null;
  switch (kind) {
    case 'kernel-component-missing':
      if (first) return fromFinding(!['wsl-not-enabled', 'restart-pending'].includes(first.id));
      if (s.wsl.flavour === 'store')
        return { aboutKernel: true, ids, onThisMachine: `This computer runs ${flavourText(s)}, which boots its own kernel (${bootText(s)}): the message came from the inbox WSL that was here before, or from another computer.`, nextStep: RESTART_WSL };
      return { aboutKernel: true, ids, onThisMachine: bootable(s) ? `The kernel WSL boots is in place and valid now: ${bootText(s)}.` : 'No kernel problem is visible here.', nextStep: RESTART_WSL };
    case 'kernel-installer-precheck':
      if (first) return fromFinding(false);
      return {
        aboutKernel: false,
        ids,
        onThisMachine: `None of the three causes holds here now: Windows build ${s.windows.build ?? '?'} supports WSL 2, the WSL feature is on and no restart is pending.${s.wsl.flavour === 'store' ? ` This computer runs ${flavourText(s)}, which brings its own kernel and needs no kernel installer.` : ''}`,
        nextStep: s.wsl.flavour === 'store' ? 'Nothing to install: run wsl --update to update WSL and its kernel.' : 'Run the kernel installer again, or install the kernel with this app.',
      };
    case 'custom-kernel-not-found':
    case 'kernel-setting-policy':
      if (first) return fromFinding(true);
      return {
        aboutKernel: true,
        ids,
        onThisMachine: cfg?.kernel
          ? `${cfg.path} names ${cfg.kernel} and WSL ${cfg.ignoredBy ? `ignores it now (${cfg.ignoredBy === 'policy' ? 'the computer policy' : 'safe mode'})` : 'finds it now'}.`
          : `${cfg?.path ?? 'The .wslconfig'} names no kernel now: the message came from an earlier version of the file, or from another user's .wslconfig (diagnose --user NAME).`,
        nextStep: RESTART_WSL,
      };
    case 'wslconfig-invalid-escape': {
      const droppedLine = Number(/:(\d+)\s*$/.exec(cfg?.kernelLineDropped ?? '')?.[1] ?? NaN);
      const matches = first && (rec.wslconfigLine === null || rec.wslconfigLine === droppedLine);
      if (matches) return fromFinding(true);
      const line = rec.wslconfigLine ?? null;
      return {
        aboutKernel: false,
        ids: [],
        onThisMachine: `WSL reads the kernel= line of ${cfg?.path ?? '.wslconfig'} without trouble${line ? `; the warning is about line ${line}, another setting` : ''}.`,
        nextStep: line ? `Open ${cfg?.path ?? '.wslconfig'} in Notepad and correct line ${line} as the message says (double every backslash of a Windows path).` : 'Open .wslconfig in Notepad and correct the line the message names (double every backslash of a Windows path).',
      };
    }
    case 'vm-timeout': {
      if (first) return fromFinding(true);
      const added = didNotBoot(s);
      if (added) return { aboutKernel: true, ids: [added.id], onThisMachine: added.observed, nextStep: stepOf(added), added };
      return {
        aboutKernel: false,
        ids,
        onThisMachine: `WSL boots ${bootText(s)}: ${s.wsl.boot?.reason ?? ''} Its kernel is in place and valid, so the timeout is most likely not caused by the kernel.`,
        nextStep: 'Run wsl --shutdown and start WSL again; if it still times out, update WSL (wsl --update) and restart Windows.',
      };
    }
    case 'wsl-files-missing':
      if (first) return fromFinding(true);
      return {
        aboutKernel: false,
        ids,
        onThisMachine: `The kernel WSL boots is in place (${bootText(s)})${s.wsl.defaultKernel?.modulesPresent ? ', and so is modules.vhd' : ''}: the missing file is another of WSL's files (system.vhd) or a distribution's disk.`,
        nextStep: s.wsl.flavour === 'store' ? (repairWslFix(s.wsl.wslVersion).steps ?? []).slice(0, 2).join(' ') : 'Repair WSL: run wsl --update, then restart Windows.',
      };
    case 'virtualization-off':
      if (first) return fromFinding(false);
      return {
        aboutKernel: false,
        ids,
        onThisMachine: 'Virtual Machine Platform is turned on here, so what is off is virtualization in the firmware or the hypervisor at boot.',
        nextStep:
          "Turn on virtualization (Intel VT-x, or AMD-V / SVM) in the computer's firmware (UEFI/BIOS) settings; if it is already on, run as administrator: bcdedit /set hypervisorlaunchtype auto, then restart Windows.",
      };
    case 'installer-wrong-architecture': {
      const arch = s.arch ?? 'x64';
      return {
        aboutKernel: false,
        ids,
        onThisMachine: `This computer is ${arch}.`,
        nextStep: `Run the installer built for ${arch}: wsl_update_${arch}.msi (or wsl.<version>.${arch}.msi); this app installs the ${arch} kernel without it.`,
      };
    }
    case 'wsl-installer-failed':
      return {
        aboutKernel: false,
        ids,
        onThisMachine: `This computer runs ${flavourText(s)}; WSL's installer is not the kernel.`,
        nextStep:
          'Uninstall "Windows Subsystem for Linux" (Settings > Apps > Installed apps; your distributions are kept), then install the latest WSL from https://github.com/microsoft/WSL/releases; the log the message names (wsl-install-logs.txt) tells which step failed.',
      };
    case 'modules-vhd-access': {
      const vhd = s.wsl.boot?.modulesPath ?? null;
      if (vhd && s.wsl.boot?.source === 'wslconfig') {
        return {
          aboutKernel: true,
          ids,
          onThisMachine: `${cfg?.path ?? '.wslconfig'} attaches the kernel modules VHD ${vhd}.`,
          nextStep: `Let the VM read it: run as administrator: icacls "${vhd}" /grant *S-1-5-32-545:(RX) *S-1-15-2-1:(RX) *S-1-15-2-2:(RX) — then wsl --shutdown.`,
        };
      }
      return {
        aboutKernel: false,
        ids,
        onThisMachine: 'No custom kernel modules VHD is attached here: the file WSL was denied is one of its own or a distribution\'s disk.',
        nextStep: 'Check that no security software blocks WSL, then repair WSL (wsl --update) and restart Windows.',
      };
    }
    case 'file-not-found-elsewhere':
      return { aboutKernel: false, ids, onThisMachine: 'Not about the files WSL starts its virtual machine with.', nextStep: 'Check that the file the message names exists (the disk or archive given to wsl.exe).' };
  }
}

/** Combine a recognition (or none) with the machine. Unrecognised text: say so; the normal findings stand. */
export function pastedErrorOutcome(rec: Recognised | null, s: Snapshot, found: Finding[]): PastedOutcome {
  if (!rec) {
    return {
      findings: found,
      report: {
        recognised: false,
        kind: null,
        code: null,
        codes: [],
        errorPath: null,
        by: null,
        meaning: 'The text holds no WSL error code or message this tool knows.',
        aboutKernel: null,
        onThisMachine: 'The normal diagnosis of this machine follows.',
        nextStep: found.some((f) => f.severity === 'error') ? stepOf(found.find((f) => f.severity === 'error')!) : 'Check the full message WSL printed, including its "Error code:" line.',
        findings: [],
      },
    };
  }
  const v = verdictFor(rec.row.kind, rec, s, found);
  const findings = v.added ? [v.added, ...found] : found;
  return {
    findings,
    report: {
      recognised: true,
      kind: rec.row.kind,
      code: rec.code,
      codes: rec.codes,
      errorPath: rec.path,
      by: rec.by,
      meaning: rec.row.meaning,
      aboutKernel: v.aboutKernel,
      onThisMachine: v.onThisMachine,
      nextStep: v.nextStep,
      findings: v.ids,
    },
  };
}

/** The first sentence of diagnose's message for a pasted error. */
export function pastedSummary(r: PastedErrorReport): string {
  if (!r.recognised) return 'The pasted text holds no error this tool knows.';
  const what = r.code ? `Recognised ${r.code}` : 'Recognised the message';
  const about = r.aboutKernel ? (r.findings.length ? ` It leads to: ${r.findings.join(', ')}.` : '') : ' It is not about the kernel.';
  return `${what} (${r.kind}).${about} Next step: ${r.nextStep.replace(/[^.!?]$/, '$&.')}`;
}
