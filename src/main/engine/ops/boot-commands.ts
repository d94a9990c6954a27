/**
 * `verify`, and `install`/`update --verify [--auto-rollback]` (docs/design.md §10): a kernel counts
 * as installed once WSL has started it. When the new kernel does not boot, `--auto-rollback` rolls
 * back (the failed kernel is marked bad), restarts WSL and checks that the previous kernel boots,
 * so WSL is left running the previous kernel; the command ends with `kernel-failed-to-boot` (1627).
 */
import { ERRORS, exitCodeFor } from '../../../shared/errors';
import type { BootCheck, CommandResult } from '../../../shared/types';
import type { Body, CommandRunner, RunOptions } from './command-runner';

/** What the boot commands need of the engine. */
export interface BootEngine extends CommandRunner {
  rollback(run: RunOptions): Promise<CommandResult>;
}

const firstLine = (text: string): string => text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';

/** " (HCS_E_CONNECTION_TIMEOUT: The operation timed out …)" */
function wslSaid(check: BootCheck): string {
  const e = check.error;
  if (!e) return '';
  const line = firstLine(e.message);
  return e.code && line && !line.includes(e.code) ? ` (${e.code}: ${line})` : ` (${line || e.code})`;
}

/** Warnings for the outcomes that are not a failure of the command but need the user's eye. */
export function bootWarnings(check: BootCheck): { id: string; message: string }[] {
  switch (check.outcome) {
    case 'not-restarted':
    case 'other-kernel':
    case 'no-distribution':
      return [{ id: `boot-${check.outcome}`, message: check.message }];
    default:
      return [];
  }
}

/** The result body of a boot check: `kernel-failed-to-boot` when WSL did not start. */
export function bootBody(check: BootCheck): Body {
  const failed = check.outcome === 'boot-failed';
  return {
    ...(failed ? { code: 'kernel-failed-to-boot' as const } : {}),
    message: failed ? `${check.message.replace(/\.$/, '')}${wslSaid(check)}.` : check.message,
    boot: check,
    ...(check.outcome === 'not-restarted' ? { restartNeeded: true } : {}),
    ...(bootWarnings(check).length ? { warnings: bootWarnings(check) } : {}),
  };
}

/** `verify`: under the lock (the facts are written there), after recovery, logged in the history. */
export function verifyCommand(engine: CommandRunner, run: RunOptions = {}): Promise<CommandResult> {
  return engine.mutate('verify', run, async () => bootBody(await engine.bootCheckLocked()));
}

/**
 * After an install or update with `--verify` (which restarts WSL): the boot check of the new kernel,
 * and with `autoRollback` the fallback when it did not boot.
 */
export async function verifyInstalled(engine: BootEngine, installed: CommandResult, autoRollback: boolean): Promise<CommandResult> {
  if (!installed.ok) return installed;
  let check = installed.boot ?? null;
  if (!check) {
    // Nothing was restarted (nothing to do, or the restart failed): check what runs now.
    const v = await verifyCommand(engine);
    check = v.boot ?? null;
  }
  const out: CommandResult = { ...installed, boot: check };
  if (!check || check.outcome !== 'boot-failed') {
    const warnings = check ? bootWarnings(check) : [];
    return warnings.length ? { ...out, warnings: [...(out.warnings ?? []), ...warnings] } : out;
  }
  const failedRelease = check.expected?.release ?? installed.payload?.release ?? 'the new kernel';
  const failed = (message: string, remedy: string, more: Partial<CommandResult> = {}): CommandResult => ({
    ...out,
    ...more,
    ok: false,
    code: 'kernel-failed-to-boot',
    exitCode: exitCodeFor('kernel-failed-to-boot'),
    message,
    remedy,
  });
  if (!autoRollback) {
    return failed(
      `Installed kernel ${failedRelease}, but WSL did not start with it${wslSaid(check)}. It was not rolled back.`,
      'Roll back to the previous kernel: rollback --shutdown-wsl (or run the install with --verify --auto-rollback). If no previous kernel boots, run repair.',
    );
  }
  const rb = await engine.rollback({ shutdownWsl: true });
  const after = { ...(rb.status ? { status: rb.status } : {}), ...(rb.health ? { health: rb.health } : {}), shutdown: rb.shutdown ?? null, restart: rb.restart ?? null };
  const repair = 'Run repair (wslk repair, or the repair wizard) to find out why WSL cannot start, and diagnose for the details.';
  if (!rb.ok) {
    return failed(
      `Kernel ${failedRelease} did not boot${wslSaid(check)}, and it could not be rolled back: ${rb.message} WSL has no kernel that is known to boot.`,
      repair,
      { ...after, fallback: { rolledBack: false, to: null, message: rb.message, boot: null } },
    );
  }
  const to = rb.status?.rollbackKernel.present ? rb.status.rollbackKernel.release : null;
  const second = rb.boot ?? null;
  const fallback = { rolledBack: true, to, message: rb.message, boot: second };
  if (second?.outcome === 'boot-failed') {
    return failed(
      `Neither kernel boots: ${failedRelease} did not boot${wslSaid(check)}, and after rolling back to ${to ?? 'the previous kernel'} WSL did not start either${wslSaid(second)}. ${failedRelease} is marked bad.`,
      repair,
      { ...after, fallback },
    );
  }
  const how = second?.outcome === 'booted' ? ', which boots' : second ? `; ${second.message}` : ' (WSL was not restarted, so its boot is not checked yet)';
  return failed(
    `Kernel ${failedRelease} did not boot${wslSaid(check)}; rolled back to ${to ?? 'the previous kernel'}${how}. ${failedRelease} is marked bad and is not installed again unless forced.`,
    second?.outcome === 'booted'
      ? `Nothing to do now: WSL runs ${to ?? 'the previous kernel'} again. Install a newer kernel when one is available.`
      : ERRORS['kernel-failed-to-boot'].remedy,
    { ...after, fallback },
  );
}
