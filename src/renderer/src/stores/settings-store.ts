/**
 * Settings: both slots, the history, and Rollback / Undo rollback. Whether each action is possible
 * (and why not) is the engine's answer from availability().
 */
import { create } from 'zustand';
import type { Availability } from '../../../shared/ipc';
import type { CommandResult, HistoryEntry } from '../../../shared/types';
import { call } from '../api';
import type { Problem } from '../problem';
import { useHealth } from './health-store';
import { runner } from './operation';

export type SettingsAction = 'rollback' | 'undo' | 'use-default';

interface SettingsState {
  loaded: boolean;
  /** The machine's change count (health-store) when the shown picture was read. */
  readAt: number;
  busy: boolean;
  error: Problem | null;
  status: CommandResult | null;
  history: HistoryEntry[];
  availability: Availability | null;
  /** The action awaiting confirmation. */
  confirming: SettingsAction | null;
  /** The last action and its result (with the WSL restart offer). */
  done: { action: SettingsAction; result: CommandResult } | null;
  shutdown: CommandResult | null;
  /** The boot check (docs/design.md §10): after a WSL restart, or asked for. */
  verified: CommandResult | null;
  verifying: boolean;
  fallback: CommandResult | null;
  fallingBack: boolean;
  verify(): Promise<void>;
  rollBackAfterFailedBoot(): Promise<void>;
  load(): Promise<void>;
  /** The screen is shown: read the machine, dropping first a picture another screen's change made stale. */
  open(): Promise<void>;
  ask(action: SettingsAction): void;
  dismiss(): void;
  confirm(): Promise<void>;
  restartWsl(): Promise<void>;
  reset(): void;
}

const initial = {
  loaded: false,
  readAt: 0,
  busy: false,
  error: null,
  status: null,
  history: [],
  availability: null,
  confirming: null,
  done: null,
  shutdown: null,
  verified: null,
  verifying: false,
  fallback: null,
  fallingBack: false,
};

export const useSettings = create<SettingsState>((set, get) => {
  const run = runner(set);

  async function refresh(): Promise<void> {
    const readAt = useHealth.getState().changes;
    const [status, history, availability] = await Promise.all([call('status', {}), call('history', { limit: 50 }), call('availability', {})]);
    set({ status, history, availability, loaded: true, readAt });
  }

  return {
    ...initial,
    load: () => run(refresh),
    open: () => {
      // Another screen changed the machine since this picture was read (an install, a repair):
      // neither its slots, its offers nor the result of the last action here hold any more.
      if (get().loaded && get().readAt !== useHealth.getState().changes) set({ ...initial });
      return run(refresh);
    },
    ask(action) {
      set({ confirming: action, done: null, shutdown: null, error: null });
    },
    dismiss() {
      set({ confirming: null });
    },
    confirm: () =>
      run(async () => {
        const action = get().confirming;
        if (!action) return;
        const result = await call(action === 'rollback' ? 'rollback' : action === 'undo' ? 'undoRollback' : 'useDefault', {});
        set({ confirming: null, done: { action, result }, shutdown: null });
        await refresh();
      }),
    restartWsl: async () => {
      await run(async () => {
        set({ shutdown: await call('shutdownWsl', {}), verified: null, fallback: null });
      });
      // Every WSL restart is followed by the boot check.
      if (get().shutdown?.ok) await get().verify();
      else await run(refresh);
    },
    async verify() {
      set({ verifying: true, verified: null, fallback: null, error: null });
      await run(async () => {
        try {
          set({ verified: await call('verify', {}) });
        } finally {
          set({ verifying: false });
        }
        await refresh();
      });
    },
    async rollBackAfterFailedBoot() {
      set({ fallingBack: true });
      await run(async () => {
        try {
          set({ fallback: await call('rollback', { restart: true }) });
        } finally {
          set({ fallingBack: false });
        }
        await refresh();
      });
    },
    reset() {
      set({ ...initial });
    },
  };
});
