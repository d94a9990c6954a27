/**
 * The repair wizard: Diagnose → Findings → Apply → Verify. The engine finds the problems, orders
 * the fixes (safest first) and applies them; the store only walks the steps.
 */
import { create } from 'zustand';
import type { PickedFile } from '../../../shared/ipc';
import type { CommandResult } from '../../../shared/types';
import { call, problemFrom } from '../api';
import type { Problem } from '../problem';
import { useHealth } from './health-store';
import { operationActions, operationInitial, runner } from './operation';
import type { OperationState } from './operation';
import { useProgress } from './progress-store';

export const REPAIR_STEPS = ['diagnose', 'findings', 'apply', 'verify'] as const;
export type RepairStep = (typeof REPAIR_STEPS)[number];

interface RepairState extends OperationState {
  step: RepairStep;
  diagnosis: CommandResult | null;
  /** The chosen fix id; defaults to the engine's recommended (first) fix. */
  fix: string | null;
  msi: PickedFile | null;
  result: CommandResult | null;
  bundle: { busy: boolean; path: string | null; error: Problem | null };
  /** The error message the user pasted on the first screen. */
  pasted: string;
  /** The machine's change count (health-store) when the diagnosis was made. */
  readAt: number;
  setPasted(text: string): void;
  diagnose(): Promise<void>;
  /** Diagnose with the pasted error: what it means here, and the findings it leads to first. */
  lookUpError(): Promise<void>;
  chooseFix(id: string): void;
  pickMsi(): Promise<void>;
  clearMsi(): void;
  apply(): Promise<void>;
  exportBundle(): Promise<void>;
  startOver(): void;
  /** The wizard is shown again: findings another screen's change made stale are looked for again. */
  resume(): void;
  reset(): void;
}

const initial = {
  ...operationInitial,
  step: 'diagnose' as RepairStep,
  diagnosis: null,
  fix: null,
  msi: null,
  result: null,
  bundle: { busy: false, path: null, error: null },
  pasted: '',
  readAt: 0,
};

/** The engine's fix that takes the kernel from an installer package the user picks (`repair --from-msi`). */
export const MSI_FIX_ID = 'install-from-msi';

/**
 * The fix chosen at first: the first one, in the engine's order (findings by importance, fixes
 * safest first), that the tool applies itself. Manual fixes are steps for the user.
 */
export function firstToolFix(result: CommandResult | null): string | null {
  for (const f of result?.findings ?? []) {
    const fix = f.fixes.find((x) => !x.manual);
    if (fix) return fix.id;
  }
  return null;
}

/** The findings the pasted error leads to come first, in the engine's order of relevance; the others keep theirs. */
export function matchedFirst(result: CommandResult): CommandResult {
  const ids = result.pastedError?.findings ?? [];
  if (!ids.length || !result.findings) return result;
  const rank = (id: string) => (ids.includes(id) ? ids.indexOf(id) : ids.length);
  return { ...result, findings: [...result.findings].sort((a, b) => rank(a.id) - rank(b.id)) };
}

export const useRepair = create<RepairState>((set, get) => {
  const run = runner(set);
  const now = () => useHealth.getState().changes;

  return {
    ...initial,
    ...operationActions(set),

    diagnose: () =>
      run(async () => {
        const readAt = now();
        const diagnosis = await call('diagnose', {});
        set({ diagnosis, fix: firstToolFix(diagnosis), step: 'findings', result: null, shutdown: null, readAt });
      }),

    setPasted(text) {
      set({ pasted: text });
    },

    lookUpError: () =>
      run(async () => {
        const readAt = now();
        const diagnosis = matchedFirst(await call('diagnose', { error: get().pasted }));
        // The fix chosen first is one of the findings the error leads to, when the error leads to any.
        const ids = diagnosis.pastedError?.findings ?? [];
        const matched = ids.length ? { ...diagnosis, findings: (diagnosis.findings ?? []).filter((f) => ids.includes(f.id)) } : diagnosis;
        set({ diagnosis, fix: firstToolFix(matched), step: 'findings', result: null, shutdown: null, readAt });
      }),

    chooseFix(id) {
      set({ fix: id });
    },

    pickMsi: () =>
      run(async () => {
        const msi = await call('pickMsi', {});
        if (msi) set({ msi });
      }),

    clearMsi() {
      set({ msi: null });
    },

    async apply() {
      useProgress.getState().reset();
      const { fix, msi } = get();
      set({ step: 'apply', result: null, cancelling: false, shutdown: null });
      await run(async () => {
        const result = await call('repair', { ...(fix ? { fix } : {}), ...(msi && fix === MSI_FIX_ID ? { msiId: msi.id } : {}) });
        set({ result });
      });
      set({ step: 'verify', cancelling: false });
    },

    async exportBundle() {
      set({ bundle: { busy: true, path: null, error: null } });
      try {
        const saved = await call('saveBundle', {});
        set({ bundle: { busy: false, path: saved?.path ?? null, error: null } });
      } catch (err) {
        set({ bundle: { busy: false, path: null, error: problemFrom(err) } });
      }
    },

    resume() {
      const { step, readAt, diagnosis } = get();
      if (step !== 'findings' || readAt === now()) return;
      // The findings were made before a change elsewhere (an install, a rollback): look again,
      // the same way (with the pasted error when there was one), before they are shown.
      const pasted = Boolean(diagnosis?.pastedError);
      set({ step: 'diagnose', diagnosis: null, fix: null });
      void (pasted ? get().lookUpError() : get().diagnose());
    },

    startOver() {
      set({ ...initial, bundle: get().bundle });
    },

    reset() {
      set({ ...initial });
    },
  };
});
