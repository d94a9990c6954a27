/**
 * Findings about everything around the kernel files: an interrupted operation in the journal,
 * the tool's own state, leftover temps, and each failed pre-check with its guided steps.
 */
import type { Check, Finding } from '../../../shared/types';
import { formatBytes } from '../machine/prechecks';
import { statePaths } from '../state/state-files';
import type { Machine } from '../machine/machine';
import { manualFix, toolFix } from './fix-catalog';
import type { Snapshot } from './inspect';

const OP_NAMES: Record<string, string> = {
  install: 'installation',
  rollback: 'rollback',
  'undo-rollback': 'undo of a rollback',
  'restore-rollback': 'restore of kernel.rollback',
  'clear-flag': 'clearing of RollbackKernel',
  cleanup: 'cleanup of temporary files',
};

export function journalFindings(s: Snapshot, machine: Machine): Finding[] {
  const path = statePaths(machine).journal;
  if (s.runningOp) {
    return [
      {
        id: 'operation-running',
        severity: 'info',
        observed: `Another process is running an operation (${s.runningOp}) right now.`,
        cause: 'An install, rollback or repair is in progress; the findings below may change when it finishes.',
        fixes: [],
      },
    ];
  }
  if (s.journal.kind === 'corrupt') {
    return [
      {
        id: 'journal-unreadable',
        severity: 'error',
        observed: `${path} cannot be read (${s.journal.reason}).`,
        cause: 'The tool stopped while it was writing its journal, before it changed anything.',
        fixes: [toolFix('recover', 'Discard the unreadable journal and its temporary files (nothing had been changed)')],
      },
    ];
  }
  if (s.journal.kind !== 'ok') return [];
  const j = s.journal.journal;
  const what = OP_NAMES[j.op] ?? j.op;
  const version = j.payload?.version ?? j.version ?? null;
  const finish = j.phase === 'commit';
  return [
    {
      id: 'operation-interrupted',
      severity: 'error',
      observed: `${path} records an unfinished ${what}${version ? ` (kernel ${version})` : ''}, started ${j.startedAt} by process ${j.pid}, stopped ${finish ? 'after' : 'before'} its commit point${j.temps.length ? `; its temporary files: ${j.temps.join(', ')}` : ''}.`,
      cause: 'The tool was stopped in the middle of an operation (a crash, a power loss, or the process was ended). Other findings may change once it is recovered.',
      fixes: [toolFix('recover', finish ? `Finish the interrupted ${what}` : `Undo the interrupted ${what} (nothing had been replaced yet)`)],
    },
  ];
}

export function stateFindings(s: Snapshot, machine: Machine): Finding[] {
  const out: Finding[] = [];
  if (s.stateProblem) {
    const path = statePaths(machine).state;
    out.push({
      id: 'state-damaged',
      severity: 'error',
      observed: s.stateProblem,
      cause: "The tool's state file was damaged or edited by hand; the tool does not overwrite it silently, so install and rollback are refused until it is set aside.",
      fixes: [manualFix('manual-reset-state', [`Rename ${path} to state.json.damaged (as administrator).`, 'Run diagnose again. The list of kernel versions you rolled back from starts empty.'])],
    });
  }
  if (s.temps.length) {
    const total = s.temps.reduce((n, t) => n + t.size, 0);
    out.push({
      id: 'temp-files-left',
      severity: 'warning',
      observed: `${s.temps.length} temporary file(s), ${formatBytes(total)}: ${s.temps.map((t) => t.path).join(', ')}.`,
      cause: 'An operation of this tool was stopped (or could not delete its temporary files) and no journal refers to them any more.',
      fixes: [toolFix('clean-temps', `Delete the ${s.temps.length} leftover temporary file(s)`)],
    });
  }
  return out;
}

function failed(checks: Check[], id: Check['id']): Check | undefined {
  return checks.find((c) => c.id === id && c.status === 'fail');
}

/** Each failed pre-check, told apart as the seed's three causes are, with its guided steps. */
export function precheckFindings(s: Snapshot): Finding[] {
  const out: Finding[] = [];
  const w = s.windows;
  const build = failed(s.checks, 'windows-build');
  if (build) {
    out.push({
      id: 'windows-build-unsupported',
      severity: 'error',
      observed: `${build.message} (HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion: CurrentBuild ${w.build ?? 'missing'}, UBR ${w.ubr ?? 'missing'}; ${w.arch ?? w.archName ?? 'unknown architecture'}).`,
      cause: 'WSL 2 needs Windows 10 version 1903/1909 with update revision 1049 or later, or build 19041 or later ("This update only applies to machines with the Windows Subsystem for Linux").',
      fixes: [manualFix('manual-windows-update')],
    });
  }
  const arch = failed(s.checks, 'architecture');
  if (arch && !w.arch) {
    out.push({
      id: 'unsupported-architecture',
      severity: 'error',
      observed: arch.message,
      cause: 'WSL 2 runs on x64 and ARM64 processors only.',
      fixes: [],
    });
  }
  if (!w.wslEnabled && !w.rebootPending) {
    out.push({
      id: 'wsl-not-enabled',
      severity: 'error',
      observed: 'The LxssManager service does not exist (HKLM\\SYSTEM\\CurrentControlSet\\Services\\LxssManager) and no restart is pending.',
      cause: 'The Windows Subsystem for Linux optional feature is not turned on ("This update only applies to machines with the Windows Subsystem for Linux").',
      fixes: [manualFix('manual-enable-wsl')],
    });
  }
  if (w.rebootPending) {
    out.push({
      id: 'restart-pending',
      severity: 'error',
      observed: `Windows has a restart pending${w.wslEnabled ? '' : ', and the LxssManager service does not exist yet'}.`,
      cause: w.wslEnabled
        ? 'Windows updates or feature changes wait for a restart; installing a kernel now could be undone by it.'
        : 'The Windows Subsystem for Linux feature was enabled, but it is not active until Windows restarts.',
      fixes: [manualFix('manual-restart')],
    });
  }
  if (!w.vmPlatform) {
    out.push({
      id: 'vm-platform-missing',
      severity: 'error',
      observed: 'The vmcompute and HNS services do not exist (HKLM\\SYSTEM\\CurrentControlSet\\Services).',
      cause: 'WSL 2 runs its kernel in a lightweight virtual machine, which needs the Virtual Machine Platform optional feature.',
      fixes: [manualFix('manual-enable-vm-platform')],
    });
  }
  if (!w.elevated) {
    out.push({
      id: 'not-elevated',
      severity: 'warning',
      observed: 'The tool runs without administrator rights.',
      cause: 'Diagnosing works without them, but every repair changes files in the Windows folder and needs them.',
      fixes: [manualFix('manual-run-as-admin')],
    });
  }
  const disk = failed(s.checks, 'disk-space');
  if (disk) {
    out.push({
      id: 'low-disk-space',
      severity: 'warning',
      observed: disk.message,
      cause: 'A kernel is copied next to the old one before it replaces it, so a repair that installs or restores one needs that much free space.',
      fixes: [manualFix('manual-free-disk-space')],
    });
  }
  return out;
}
