/**
 * The install wizard: Welcome → Pre-checks → Plan → Progress → Done. The store decides the step;
 * every verdict (checks, plan, refusals) comes from the engine's results.
 */
import { create } from 'zustand';
import type { PickedFile } from '../../../shared/ipc';
import type { CommandResult } from '../../../shared/types';
import { call, problemFrom } from '../api';
import type { Problem } from '../problem';
import { useProgress } from './progress-store';

export const WIZARD_STEPS = ['welcome', 'prechecks', 'plan', 'progress', 'done'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export interface InstallOverrides {
  force: boolean;
  allowDowngrade: boolean;
}

interface WizardState {
  step: WizardStep;
  busy: boolean;
  error: Problem | null;
  status: CommandResult | null;
  /** A kernel file the user picked instead of the bundled one. */
  picked: PickedFile | null;
  precheck: CommandResult | null;
  plan: CommandResult | null;
  overrides: InstallOverrides;
  result: CommandResult | null;
  cancelling: boolean;
  shutdown: CommandResult | null;
  restarting: boolean;
  shutdownError: Problem | null;
  loadWelcome(): Promise<void>;
  pickPayload(): Promise<void>;
  chooseBundled(): void;
  goToPrechecks(): Promise<void>;
  checkAgain(): Promise<void>;
  goToPlan(overrides?: Partial<InstallOverrides>): Promise<void>;
  install(): Promise<void>;
  cancel(): Promise<void>;
  restartWsl(): Promise<void>;
  back(): void;
  startOver(): Promise<void>;
  reset(): void;
}

const initial = {
  step: 'welcome' as WizardStep,
  busy: false,
  error: null,
  status: null,
  picked: null,
  precheck: null,
  plan: null,
  overrides: { force: false, allowDowngrade: false },
  result: null,
  cancelling: false,
  shutdown: null,
  restarting: false,
  shutdownError: null,
};

export const useWizard = create<WizardState>((set, get) => {
  const payloadId = () => get().picked?.id;

  /** Run one call with the busy flag and the error box handled. */
  async function run(work: () => Promise<void>): Promise<void> {
    set({ busy: true, error: null });
    try {
      await work();
    } catch (err) {
      set({ error: problemFrom(err) });
    } finally {
      set({ busy: false });
    }
  }

  return {
    ...initial,

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
      set({ restarting: true, shutdownError: null });
      try {
        set({ shutdown: await call('shutdownWsl', {}) });
      } catch (err) {
        set({ shutdownError: problemFrom(err) });
      } finally {
        set({ restarting: false });
      }
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
