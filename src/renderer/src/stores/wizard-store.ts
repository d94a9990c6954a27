/**
 * The install wizard: Welcome → Pre-checks → Plan → Progress → Done. The store decides the step;
 * every verdict (checks, plan, refusals) comes from the engine's results.
 */
import { create } from 'zustand';
import type { PickedFile } from '../../../shared/ipc';
import type { CommandResult } from '../../../shared/types';
import { call } from '../api';
import { useHealth } from './health-store';
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
  /** The machine's change count (health-store) when the step's answers were read. */
  readAt: number;
  loadWelcome(): Promise<void>;
  /** The wizard is shown again: a step whose answers another screen's change made stale asks again. */
  resume(): void;
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
  readAt: 0,
};

export const useWizard = create<WizardState>((set, get) => {
  const payloadId = () => get().picked?.id;

  const run = runner(set);
  const now = () => useHealth.getState().changes;

  return {
    ...initial,
    ...operationActions(set),

    /** The first screen: what is installed now and what installing means (update, downgrade, up to date). */
    loadWelcome: () =>
      run(async () => {
        const id = payloadId();
        const readAt = now();
        const [status, plan] = await Promise.all([call('status', {}), call('plan', id ? { payloadId: id } : {})]);
        set({ status, plan, readAt });
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
        const readAt = now();
        set({ precheck: await call('precheck', id ? { payloadId: id } : {}), readAt });
      }),

    async goToPlan(overrides) {
      const next = { ...get().overrides, ...overrides };
      set({ step: 'plan', plan: null, overrides: next });
      await run(async () => {
        const id = payloadId();
        const readAt = now();
        set({ plan: await call('plan', { ...(id ? { payloadId: id } : {}), ...next }), readAt });
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

    resume() {
      const { step, readAt } = get();
      if (readAt === now()) return;
      // Rolled back in Settings, repaired …: what Welcome said is installed, the checks and the plan
      // no longer hold. They are dropped before the next paint and asked again. Progress and Done
      // describe an install that happened; they stay.
      if (step === 'welcome') {
        set({ status: null, plan: null });
        void get().loadWelcome();
      } else if (step === 'prechecks') {
        set({ precheck: null });
        void get().checkAgain();
      } else if (step === 'plan') void get().goToPlan();
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
