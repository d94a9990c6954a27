/**
 * The engine's verdict on whether WSL can start (shared/types Health). Every command result
 * carries it; api.ts feeds each one in, so the banner on every screen follows the machine.
 * `changes` counts the commands that changed the machine (api.ts): a screen that keeps what it
 * read (Settings) compares it with the count it read at, and reads again instead of showing a
 * picture another screen has made stale.
 */
import { create } from 'zustand';
import type { Health } from '../../../shared/types';

interface HealthState {
  health: Health | null;
  changes: number;
  set(health: Health): void;
  changed(): void;
  reset(): void;
}

export const useHealth = create<HealthState>((set) => ({
  health: null,
  changes: 0,
  set(health) {
    set({ health });
  },
  changed() {
    set((s) => ({ changes: s.changes + 1 }));
  },
  reset() {
    set({ health: null });
  },
}));
