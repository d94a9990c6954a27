/**
 * What every store that calls the engine shares: `run` (the busy flag and the error box around one
 * call), and for the wizards the running operation's cancel and the WSL restart offer.
 */
import type { CommandResult } from '../../../shared/types';
import { call, problemFrom } from '../api';
import type { Problem } from '../problem';

export interface CallState {
  busy: boolean;
  error: Problem | null;
}

export interface OperationState extends CallState {
  cancelling: boolean;
  shutdown: CommandResult | null;
  restarting: boolean;
  shutdownError: Problem | null;
  /** The boot check after the WSL restart (docs/design.md §10), and while it runs. */
  verified: CommandResult | null;
  verifying: boolean;
  /** "Roll back to <version>" after a kernel that did not boot: rollback, restart, check again. */
  fallback: CommandResult | null;
  fallingBack: boolean;
  cancel(): Promise<void>;
  restartWsl(): Promise<void>;
  rollBackAfterFailedBoot(): Promise<void>;
}

export const operationInitial = {
  busy: false,
  error: null,
  cancelling: false,
  shutdown: null,
  restarting: false,
  shutdownError: null,
  verified: null,
  verifying: false,
  fallback: null,
  fallingBack: false,
};

/** Run one call with the busy flag and the error box handled. */
export function runner(set: (s: Partial<CallState>) => void): (work: () => Promise<void>) => Promise<void> {
  return async (work) => {
    set({ busy: true, error: null });
    try {
      await work();
    } catch (err) {
      set({ error: problemFrom(err) });
    } finally {
      set({ busy: false });
    }
  };
}

/** Cancel (honoured before the commit point) and the WSL restart offered after a kernel change. */
export function operationActions(set: (s: Partial<OperationState>) => void): Pick<OperationState, 'cancel' | 'restartWsl' | 'rollBackAfterFailedBoot'> {
  return {
    async cancel() {
      set({ cancelling: true });
      try {
        await call('cancel', {});
      } catch (err) {
        set({ error: problemFrom(err), cancelling: false });
      }
    },
    async restartWsl() {
      // Its own error slot: a failed restart must not read as a failed install or repair.
      set({ restarting: true, shutdownError: null, verified: null });
      let restarted = false;
      try {
        const shutdown = await call('shutdownWsl', {});
        restarted = shutdown.ok;
        set({ shutdown });
      } catch (err) {
        set({ shutdownError: problemFrom(err) });
      } finally {
        set({ restarting: false });
      }
      // Every WSL restart is followed by the boot check: does WSL start the new kernel?
      if (!restarted) return;
      set({ verifying: true });
      try {
        set({ verified: await call('verify', {}) });
      } catch (err) {
        set({ shutdownError: problemFrom(err) });
      } finally {
        set({ verifying: false });
      }
    },
    async rollBackAfterFailedBoot() {
      set({ fallingBack: true, shutdownError: null });
      try {
        set({ fallback: await call('rollback', { restart: true }) });
      } catch (err) {
        set({ shutdownError: problemFrom(err) });
      } finally {
        set({ fallingBack: false });
      }
    },
  };
}
