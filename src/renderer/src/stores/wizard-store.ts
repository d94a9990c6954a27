/**
 * The install wizard: Welcome → Pre-checks → Plan → Progress → Done. The store decides the step;
 * every verdict (checks, plan, refusals) comes from the engine's results.
 */
import { create } from 'zustand';
import type { PickedFile } from '../../../shared/ipc';
import type { CommandResult } from '../../../shared/types';
import { call } from '../api';
import { operationActions, operationInitial, runner } from './operation';
import type { OperationState } from './operation';
import { useProgress } from './progress-store';

export const WIZARD_STEPS = ['welcome', 'prechecks', 'plan', 'progress', 'done'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export interface InstallOverrides {
  force: boolean;
  allowDowngrade: boolean;
  allowOlder: boolean;
  takeOver: boolean;
}

interface WizardState extends OperationState {
  step: WizardStep;
  status: CommandResult | null;
  /** A kernel file the user picked instead of the bundled one. */
  picked: PickedFile | null;
  precheck: CommandResult | null;
  plan: CommandResult | null;
  overrides: InstallOverrides;
  result: CommandResult | null;
  loadWelcome(): Promise<void>;
  pickPayload(): Promise<void>;
  chooseBundled(): void;
  goToPrechecks(): Promise<void>;
  checkAgain(): Promise<void>;
  goToPlan(overrides?: Partial<InstallOverrides>): Promise<void>;
  install(): Promise<void>;
  back(): void;
  startOver(): Promise<void>;
  reset(): void;
}

const initial = {
  ...operationInitial,
  step: 'welcome' as WizardStep,
  status: null,
  picked: null,
  precheck: null,
  plan: null,
  overrides: { force: false, allowDowngrade: false, allowOlder: false, takeOver: false },
  result: null,
};

export const useWizard = create<WizardState>((set, get) => {
  const payloadId = () => get().picked?.id;

  const run = runner(set);

  return {
    ...initial,
    ...operationActions(set),

    /** The first screen: what is installed now and what installing means (update, downgrade, up to date). */
    loadWelcome: () =>
      run(async () => {
        const id = payloadId();
        const [status, plan] = await Promise.all([call('status', {}), call('plan', id ? { payloadId: id } : {})]);
        set({ status, plan });
      }),

    pickPayload: () =>
      run(async () => {
        const picked = await call('pickPayload', {});
        if (picked) set({ picked, precheck: null, plan: null });
        if (picked?.payload) set({ plan: await call('plan', { payloadId: picked.id }) });
      }),

    chooseBundled() {
      set({ picked: null, precheck: null, plan: null });
      void get().loadWelcome();
    },

    async goToPrechecks() {
      set({ step: 'prechecks', precheck: null });
      await get().checkAgain();
    },

    checkAgain: () =>
      run(async () => {
        const id = payloadId();
        set({ precheck: await call('precheck', id ? { payloadId: id } : {}) });
      }),

    async goToPlan(overrides) {
      const next = { ...get().overrides, ...overrides };
      set({ step: 'plan', plan: null, overrides: next });
      await run(async () => {
        const id = payloadId();
        set({ plan: await call('plan', { ...(id ? { payloadId: id } : {}), ...next }) });
      });
    },

    async install() {
      useProgress.getState().reset();
      set({ step: 'progress', result: null, cancelling: false, shutdown: null });
      await run(async () => {
        const id = payloadId();
        const result = await call('install', { ...(id ? { payloadId: id } : {}), ...get().overrides });
        set({ result });
      });
      set({ step: 'done', cancelling: false });
    },

    back() {
      const i = WIZARD_STEPS.indexOf(get().step);
      const prev = WIZARD_STEPS[Math.max(0, i - 1)]!;
      set({ step: prev, error: null, ...(prev === 'welcome' ? { overrides: initial.overrides } : {}) });
    },

    async startOver() {
      // The kernel the user picked stays picked: starting over is not choosing again.
      set({ ...initial, picked: get().picked });
      await get().loadWelcome();
    },

    reset() {
      set({ ...initial });
    },
  };
});
