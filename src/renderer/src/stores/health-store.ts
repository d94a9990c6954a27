/**
 * The engine's verdict on whether WSL can start (shared/types Health). Every command result
 * carries it; api.ts feeds each one in, so the banner on every screen follows the machine.
 */
import { create } from 'zustand';
import type { Health } from '../../../shared/types';

interface HealthState {
  health: Health | null;
  set(health: Health): void;
  reset(): void;
}

export const useHealth = create<HealthState>((set) => ({
  health: null,
  set(health) {
    set({ health });
  },
  reset() {
    set({ health: null });
  },
}));
