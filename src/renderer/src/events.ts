/**
 * Module-level wiring of main's events into the stores: progress into the progress store, a
 * machine change into a fresh start of every screen. Called once by main.tsx.
 */
import { api } from './api';
import { useApp } from './stores/app-store';
import { useProgress } from './stores/progress-store';
import { useRepair } from './stores/repair-store';
import { useSettings } from './stores/settings-store';
import { useUpdates } from './stores/updates-store';
import { useWizard } from './stores/wizard-store';

/** Reset the screens' stores so they read the new machine. */
export function resetScreens(): void {
  useWizard.getState().reset();
  useSettings.getState().reset();
  useRepair.getState().reset();
  useProgress.getState().reset();
  useUpdates.getState().reset();
}

/** Subscribe to main's events and tell main the renderer listens. Returns the unsubscribe. */
export function connectEvents(): () => void {
  let wslk;
  try {
    wslk = api();
  } catch {
    return () => undefined;
  }
  const stopMachine = useApp.subscribe((state, prev) => {
    if (state.machineVersion !== prev.machineVersion) resetScreens();
  });
  const stopEvents = wslk.onEvent((event) => {
    if (event.type === 'progress') useProgress.getState().apply(event.progress);
    else if (event.type === 'machine-changed') void useApp.getState().machineChanged(event.machine);
  });
  // Only now may main deliver the events it queued while the page loaded.
  wslk.ready();
  return () => {
    stopEvents();
    stopMachine();
  };
}
