/**
 * Settings > Updates (docs/design.md §12): the feed, channel, hold and last check as the engine reports
 * them, Check now, and Install update. What is allowed (and why not) is the engine's answer.
 */
import { create } from 'zustand';
import type { CommandResult, UpdateCheck } from '../../../shared/types';
import { call, problemFrom, problemOf } from '../api';
import type { Problem } from '../problem';
import { useSettings } from './settings-store';

interface UpdatesState {
  info: UpdateCheck | null;
  busy: 'load' | 'check' | 'install' | 'settings' | null;
  problem: Problem | null;
  /** The last check's or install's result. */
  result: CommandResult | null;
  load(): Promise<void>;
  check(): Promise<void>;
  install(): Promise<void>;
  set(change: { channel?: 'stable' | 'preview'; autoUpdate?: boolean; hold?: string | null }): Promise<void>;
  reset(): void;
}

const initial = { info: null, busy: null, problem: null, result: null } as const;

export const useUpdates = create<UpdatesState>()((set, get) => {
  /** Run one call; a refusal or failure becomes the problem shown, and the info is re-read. */
  async function run(busy: NonNullable<UpdatesState['busy']>, fn: () => Promise<CommandResult | null>): Promise<void> {
    set({ busy, problem: null });
    try {
      const result = await fn();
      const info = result?.update ?? (await call('updates', {}));
      set({ info: { ...get().info, ...info }, ...(result ? { result, problem: problemOf(result) } : {}) });
    } catch (err) {
      set({ problem: problemFrom(err) });
    } finally {
      set({ busy: null });
    }
  }
  return {
    ...initial,
    load: () => run('load', async () => null),
    check: () => run('check', () => call('checkUpdate', {})),
    install: async () => {
      await run('install', () => call('installUpdate', {}));
      // The slots picture and the history show the new kernel too.
      if (get().result?.ok) await useSettings.getState().load();
    },
    set: (change) => run('settings', () => call('setUpdates', change)),
    reset: () => set({ ...initial }),
  };
});
