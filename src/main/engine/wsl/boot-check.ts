/**
 * The boot check (docs/design.md §10): start WSL, read the running release with `uname -r`, and
 * compare it with the kernel WSL should boot. `wsl --version` would name the kernel WSL was built
 * with, not the one running; only `uname -r` shows a custom kernel.
 */
import type { BootCheck, MachineStatus, SlotName, SlotStatus } from '../../../shared/types';
import type { Machine } from '../machine/machine';

/**
 * The error code in what WSL printed. Codes are never translated (the prose around them is): the
 * `Wsl/…/CODE` path of WSL 2.x, a `NAME_E_…` symbol, or an HRESULT such as `0x80370109`.
 */
export function wslErrorCode(text: string): string | null {
  const path = /\bWsl\/[A-Za-z0-9_/]*[A-Za-z0-9_]/.exec(text);
  if (path) return path[0];
  const symbol = /\b[A-Z][A-Z0-9]*_E_[A-Z0-9_]+\b/.exec(text);
  if (symbol) return symbol[0];
  const hex = /\b0x[0-9a-fA-F]{1,8}\b/.exec(text);
  return hex ? hex[0].toLowerCase() : null;
}

type Expected = NonNullable<BootCheck['expected']>;

function fromSlot(s: SlotStatus | undefined, slot: SlotName | null): Expected | null {
  if (!s?.present) return null;
  return { release: s.release, version: s.version, sha256: s.sha256 || null, slot };
}

/**
 * The kernel WSL should boot: the slot the tool manages that boots (inbox: `kernel`, or
 * `kernel.rollback` when RollbackKernel is set; store WSL: the tool's slot behind its boot path, once
 * it manages one), else what WSL boots by its own rules (its default kernel, a `.wslconfig` kernel).
 */
export function expectedKernel(status: MachineStatus): Expected | null {
  const store = status.storeSlots;
  if (status.flavour === 'store') {
    // Once the tool manages a kernel, that is the one WSL should run, whatever WSL boots instead.
    if (store && store.kernel.present) {
      const slot: SlotName = store.rollbackActive ? 'kernel.rollback' : 'kernel';
      return fromSlot(slot === 'kernel' ? store.kernel : store.rollbackKernel, slot);
    }
    return fromSlot(status.boot?.kernel, null);
  }
  if (status.effective) return fromSlot(status.effective === 'kernel' ? status.kernel : status.rollbackKernel, status.effective);
  return fromSlot(status.boot?.kernel, null);
}

const BY_HAND = [
  'List the installed distributions: wsl --list --verbose',
  'Install one if there is none: wsl --install -d Ubuntu (or from the Microsoft Store)',
  'Then read the running kernel: wsl --exec uname -r, and compare it with the kernel shown by "wslk status"',
];

/** Start WSL (when it is not running) in one distribution and say what runs. Changes nothing of the tool's. */
export async function checkBoot(machine: Machine, status: MachineStatus, now: Date = new Date()): Promise<BootCheck> {
  const at = now.toISOString();
  const expected = expectedKernel(status);
  const want = expected?.release ?? null;
  const base = { at, expected, running: null, distribution: null, error: null } as const;
  const installed = await machine.wsl.listDistributions().catch(() => [] as string[]);
  if (!installed.length) {
    return {
      ...base,
      outcome: 'no-distribution',
      message: 'No WSL distribution is installed, so nothing can be started to show which kernel runs.',
      steps: BY_HAND,
    };
  }
  const runningBefore = await machine.wsl.listRunning().catch(() => [] as string[]);
  const distribution = runningBefore.find((d) => installed.includes(d)) ?? installed[0]!;
  const r = await machine.wsl.exec(distribution, ['uname', '-r']);
  const release = r.exitCode === 0 ? (r.stdout.replace(/\0/g, '').split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? null) : null;
  if (!release) {
    const text = (r.stderr.trim() || r.stdout.trim() || `wsl.exe exited with code ${r.exitCode ?? 'none'}`).replace(/\0/g, '');
    const code = wslErrorCode(text);
    return {
      ...base,
      distribution,
      outcome: 'boot-failed',
      error: { code, message: text, exitCode: r.exitCode },
      message: `WSL did not start${want ? ` with kernel ${want}` : ''}${code ? ` (${code})` : ''}.`,
    };
  }
  const seen = { ...base, distribution, running: release };
  if (want && release === want) {
    return { ...seen, outcome: 'booted', message: `WSL runs kernel ${release}: the kernel it should boot started (checked with uname -r in ${distribution}).` };
  }
  if (runningBefore.length) {
    return {
      ...seen,
      outcome: 'not-restarted',
      message: `WSL still runs kernel ${release}${want ? `, not ${want}` : ''}: it keeps the kernel it started with until it restarts.`,
      steps: ['Restart WSL: wsl --shutdown (it stops every WSL 1 and WSL 2 instance), or use --shutdown-wsl', 'Then check again: wslk verify'],
    };
  }
  const why = status.boot?.reason ? ` ${status.boot.reason}` : '';
  return {
    ...seen,
    outcome: 'other-kernel',
    message: `WSL started kernel ${release}, not ${want ?? 'a kernel this tool manages'}.${why}`,
  };
}
