/** Which machine and screen the app shows: info() from main, the section, the elevation screen. */
import { create } from 'zustand';
import type { AppInfo, EntryScreen, MachineInfo, Responses } from '../../../shared/ipc';
import { call, problemFrom } from '../api';
import type { Problem } from '../problem';

export type Section = EntryScreen;

interface AppState {
  info: AppInfo | null;
  section: Section;
  loading: boolean;
  error: Problem | null;
  /** The user chose to continue without administrator rights. */
  elevationDismissed: boolean;
  elevation: { busy: boolean; outcome: Responses['relaunchElevated']['outcome'] | null; error: Problem | null };
  sandbox: { busy: boolean; error: Problem | null };
  /** Bumped when the machine changes, so screens reload what they show. */
  machineVersion: number;
  load(): Promise<void>;
  setSection(section: Section): void;
  relaunchElevated(): Promise<void>;
  dismissElevation(): void;
  pickSandbox(): Promise<void>;
  machineChanged(machine: MachineInfo): Promise<void>;
}

export const useApp = create<AppState>((set, get) => ({
  info: null,
  section: 'install',
  loading: false,
  error: null,
  elevationDismissed: false,
  elevation: { busy: false, outcome: null, error: null },
  sandbox: { busy: false, error: null },
  machineVersion: 0,

  async load() {
    const first = get().info === null;
    set({ loading: true, error: null });
    try {
      const info = await call('info', {});
      set({ info, loading: false, ...(first ? { section: info.entry } : {}) });
    } catch (err) {
      set({ loading: false, error: problemFrom(err) });
    }
  },

  setSection(section) {
    set({ section });
  },

  async relaunchElevated() {
    set({ elevation: { busy: true, outcome: null, error: null } });
    try {
      const { outcome } = await call('relaunchElevated', {});
      set({ elevation: { busy: false, outcome, error: null } });
    } catch (err) {
      set({ elevation: { busy: false, outcome: null, error: problemFrom(err) } });
    }
  },

  dismissElevation() {
    set({ elevationDismissed: true });
  },

  async pickSandbox() {
    set({ sandbox: { busy: true, error: null } });
    try {
      const machine = await call('pickSandbox', {});
      set({ sandbox: { busy: false, error: null } });
      if (machine) await get().machineChanged(machine);
    } catch (err) {
      set({ sandbox: { busy: false, error: problemFrom(err) } });
    }
  },

  async machineChanged(machine) {
    const { info, machineVersion } = get();
    // The pick's answer and the machine-changed event both land here: act once per machine.
    if (info && info.machine.root === machine.root && info.machine.kind === machine.kind) return;
    set({ machineVersion: machineVersion + 1, ...(info ? { info: { ...info, machine } } : {}) });
    await get().load();
  },
}));
