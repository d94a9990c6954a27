/**
 * Settings: both slots, the history, and Rollback / Undo rollback. Whether each action is possible
 * (and why not) is the engine's answer from availability().
 */
import { create } from 'zustand';
import type { Availability } from '../../../shared/ipc';
import type { CommandResult, HistoryEntry } from '../../../shared/types';
import { call } from '../api';
import type { Problem } from '../problem';
import { runner } from './operation';

export type SettingsAction = 'rollback' | 'undo' | 'use-default';

interface SettingsState {
  loaded: boolean;
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
  load(): Promise<void>;
  ask(action: SettingsAction): void;
  dismiss(): void;
  confirm(): Promise<void>;
  restartWsl(): Promise<void>;
  reset(): void;
}

const initial = {
  loaded: false,
  busy: false,
  error: null,
  status: null,
  history: [],
  availability: null,
  confirming: null,
  done: null,
  shutdown: null,
};

export const useSettings = create<SettingsState>((set, get) => {
  const run = runner(set);

  async function refresh(): Promise<void> {
    const [status, history, availability] = await Promise.all([call('status', {}), call('history', { limit: 50 }), call('availability', {})]);
    set({ status, history, availability, loaded: true });
  }

  return {
    ...initial,
    load: () => run(refresh),
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
    restartWsl: () =>
      run(async () => {
        set({ shutdown: await call('shutdownWsl', {}) });
        await refresh();
      }),
    reset() {
      set({ ...initial });
    },
  };
});
