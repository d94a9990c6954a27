/**
 * The app's IPC handlers, free of Electron: one async function per channel of the contract in
 * src/shared/ipc.ts, over the engine of the current machine.
 *
 * Two adapters use them: the Electron main process (src/main/electron/ipc-main.ts, after it has checked the
 * sender frame) and the browser host (src/main/browser-host). Both call `invokeChannel`, which parses the raw
 * request with the channel's zod schema and turns every outcome into an `IpcResult`.
 *
 * Stable API:
 *   createHandlers(deps)                          → Handlers (one function per channel)
 *   invokeChannel(handlers, channel, rawRequest)  → Promise<IpcResult<Responses[channel]>>
 */
import { KernelSetupError } from '../../shared/errors';
import type { AppEvent, AppInfo, EntryScreen, MachineInfo, PickedFile, Responses } from '../../shared/ipc';
import type { Engine } from '../engine';
import { SETTINGS_PAGES } from '../../shared/remedies';
import { PickedFiles } from './picked-files';
import type { PickedKind } from './picked-files';
import { progressRelay } from './progress-relay';
import { updateHandlers } from './update-handlers';

export { invokeChannel, toIpcError } from './invoke';
import type { Handlers } from './invoke';
export type { Handlers } from './invoke';

/** Dialogs shown by the host (Electron's dialog module, or test-controlled in the e2e host). */
export interface Dialogs {
  /** An open-file dialog; the chosen path, or null when the user cancelled. */
  openFile(kind: PickedKind): Promise<string | null>;
  /** A save-file dialog proposing `defaultName`; the chosen path, or null when cancelled. */
  saveFile(defaultName: string): Promise<string | null>;
  /** A folder picker; the chosen folder, or null when cancelled. */
  pickFolder(): Promise<string | null>;
}

export type RelaunchOutcome = Responses['relaunchElevated']['outcome'];

export interface HandlerDeps {
  /** The engine of the current machine (it changes when another sandbox is picked). */
  getEngine(): Engine;
  /** The screen the app opened on (`--settings`, `--repair`, or the install wizard). */
  entry: EntryScreen;
  dialogs: Dialogs;
  /** Deliver an event to the renderer (the adapter queues it until the renderer is ready). */
  emit(event: AppEvent): void;
  /** Relaunch the app elevated; a cancelled UAC prompt is the outcome 'cancelled'. */
  relaunchElevated(): Promise<RelaunchOutcome>;
  /** Switch to the sandbox folder `dir` (validated by the adapter); returns the new machine. */
  setMachine(dir: string): Promise<MachineInfo>;
  /** The app's version, shown in the footer. */
  version: string;
  /**
   * Open a URI from the allow-list of shared/remedies.ts and restart Windows (Electron on Windows
   * only). Without them the page shows the command to copy instead of a button.
   */
  system?: { openSettingsPage(uri: string): Promise<void>; restartWindows(): Promise<void> };
  /** Defaults to process.platform. */
  platform?: string;
  /** The clock, for the default bundle file name (tests pin it). */
  now?: () => Date;
  /** Trusted root.json files of the update feed after the state folder's (default: the shipped one). */
  feedRoots?: string[];
}


/** The proposed file name of a diagnostics bundle: `wsl-kernel-setup-diagnostics-YYYYMMDD-HHMMSS.json`. */
export function bundleFileName(at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `wsl-kernel-setup-diagnostics-${stamp}.json`;
}

export function machineInfo(engine: Engine): MachineInfo {
  const m = engine.machine;
  return { kind: m.kind, label: m.label, root: m.root };
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const picked = new PickedFiles();
  /** Running install/repair operations; `cancel` aborts them (honoured before the commit point). */
  const running = new Set<AbortController>();

  async function track<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    running.add(controller);
    try {
      return await run(controller.signal);
    } finally {
      running.delete(controller);
    }
  }

  const payloadPath = (id: string | undefined) => (id ? picked.resolve(id, 'payload') : undefined);

  async function describePick(kind: PickedKind, path: string): Promise<PickedFile> {
    const id = picked.add(kind, path);
    const name = picked.name(id);
    if (kind === 'msi') return { id, name };
    try {
      const payload = await deps.getEngine().resolvePayload(path);
      if (!payload) return { id, name, error: { code: 'not-a-kernel', message: `${name} could not be read as a kernel.` } };
      return { id, name, payload };
    } catch (err) {
      if (err instanceof KernelSetupError) return { id, name, error: { code: err.code, message: err.message } };
      throw err;
    }
  }

  return {
    async info(): Promise<AppInfo> {
      const engine = deps.getEngine();
      const elevated = await engine.machine.facts.isElevated();
      let bundled: AppInfo['bundled'] = null;
      let bundledError: AppInfo['bundledError'] = null;
      try {
        bundled = await engine.resolvePayload();
        if (!bundled) bundledError = { code: 'not-a-kernel', message: 'No kernel is bundled with this app: choose a kernel file to install.' };
      } catch (err) {
        if (!(err instanceof KernelSetupError)) throw err;
        bundledError = { code: err.code, message: err.message };
      }
      return {
        machine: machineInfo(engine),
        entry: deps.entry,
        platform: deps.platform ?? process.platform,
        version: deps.version,
        elevated,
        needsElevation: engine.machine.kind === 'windows' && !elevated,
        bundled,
        bundledError,
        systemActions: deps.system !== undefined && engine.machine.kind === 'windows',
      };
    },
    status: () => deps.getEngine().status(),
    precheck: (req) => deps.getEngine().precheck(payloadPath(req.payloadId)),
    plan: (req) =>
      deps.getEngine().plan(payloadPath(req.payloadId), { force: req.force === true, allowDowngrade: req.allowDowngrade === true, allowOlder: req.allowOlder === true, takeOver: req.takeOver === true }),
    install: (req) => {
      const payload = payloadPath(req.payloadId);
      return track((signal) =>
        deps.getEngine().install({
          ...(payload ? { payload } : {}),
          force: req.force === true,
          allowDowngrade: req.allowDowngrade === true,
          allowOlder: req.allowOlder === true,
          takeOver: req.takeOver === true,
          onProgress: progressRelay(deps.emit),
          signal,
        }),
      );
    },
    async cancel() {
      const cancelled = running.size > 0;
      for (const controller of running) controller.abort();
      return { cancelled };
    },
    rollback: (req) => deps.getEngine().rollback(req.restart ? { shutdownWsl: true } : {}),
    undoRollback: () => deps.getEngine().undoRollback(),
    shutdownWsl: () => deps.getEngine().shutdownWsl(),
    enableFeatures: () => deps.getEngine().enableFeatures(),
    useDefault: () => deps.getEngine().useDefault(),
    verify: () => deps.getEngine().verify(),
    history: (req) => deps.getEngine().history(req.limit),
    availability: () => deps.getEngine().availability(),
    diagnose: (req) => deps.getEngine().diagnose(req.error !== undefined ? { error: req.error } : {}),
    repair: (req) => {
      const fromMsi = req.msiId ? picked.resolve(req.msiId, 'msi') : undefined;
      return track((signal) =>
        deps.getEngine().repair({
          ...(req.fix ? { fix: req.fix } : {}),
          ...(fromMsi ? { fromMsi } : {}),
          onProgress: progressRelay(deps.emit),
          signal,
        }),
      );
    },
    async pickPayload() {
      const path = await deps.dialogs.openFile('payload');
      return path ? describePick('payload', path) : null;
    },
    async pickMsi() {
      const path = await deps.dialogs.openFile('msi');
      return path ? describePick('msi', path) : null;
    },
    async saveBundle() {
      const path = await deps.dialogs.saveFile(bundleFileName((deps.now ?? (() => new Date()))()));
      if (!path) return null;
      // The save dialog has asked before replacing a file: that is the user's --force.
      const result = await deps.getEngine().diagnose({ bundle: path, force: true });
      // A machine with findings still gets its bundle: only a bundle that was not written fails.
      if (!result.bundle && !result.ok && result.code) throw new KernelSetupError(result.code, result.message);
      return { path: result.bundle ?? path };
    },
    async pickSandbox() {
      if (deps.getEngine().machine.kind !== 'sandbox') {
        throw new KernelSetupError('usage', 'Another sandbox can only be chosen while the app works on a sandbox.');
      }
      const dir = await deps.dialogs.pickFolder();
      if (!dir) return null;
      const machine = await deps.setMachine(dir);
      deps.emit({ type: 'machine-changed', machine });
      return machine;
    },
    async relaunchElevated() {
      return { outcome: await deps.relaunchElevated() };
    },
    ...updateHandlers(deps, track),
    async openSettings(req) {
      // The page names a page id; the URI comes from the allow-list, never from the page.
      const uri = SETTINGS_PAGES[req.page];
      if (!deps.system || deps.getEngine().machine.kind !== 'windows') return { opened: false, uri };
      await deps.system.openSettingsPage(uri);
      return { opened: true, uri };
    },
    async restartWindows() {
      if (!deps.system || deps.getEngine().machine.kind !== 'windows') {
        return { restarting: false, message: 'This app works on a sandbox folder, so it does not restart this computer.' };
      }
      await deps.system.restartWindows();
      return { restarting: true, message: 'Windows is restarting.' };
    },
  };
}
