/** Progress of the running operation, one entry per step, fed by main's progress events. */
import { create } from 'zustand';
import type { Progress } from '../../../shared/types';

interface ProgressState {
  /** Steps in the order they first reported. */
  steps: Progress[];
  apply(p: Progress): void;
  reset(): void;
}

export const useProgress = create<ProgressState>((set) => ({
  steps: [],
  apply(p) {
    set((s) => {
      const i = s.steps.findIndex((x) => x.step === p.step);
      if (i === -1) return { steps: [...s.steps, p] };
      const steps = s.steps.slice();
      steps[i] = p;
      return { steps };
    });
  },
  reset() {
    set({ steps: [] });
  },
}));
