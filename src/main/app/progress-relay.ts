/** Forward engine progress as app events without flooding the IPC channel. */
import type { AppEvent } from '../../shared/ipc';
import type { Progress } from '../../shared/types';

/**
 * A progress callback that emits an event when the step changes, when a step completes, and
 * otherwise at most once per percent of the step's bytes.
 */
export function progressRelay(emit: (event: AppEvent) => void): (p: Progress) => void {
  let lastStep = '';
  let lastDone = -1;
  return (p) => {
    const onePercent = Math.max(1, Math.floor(p.total / 100));
    const changed = p.step !== lastStep || p.done >= p.total || p.done < lastDone || p.done - lastDone >= onePercent;
    if (!changed) return;
    lastStep = p.step;
    lastDone = p.done;
    emit({ type: 'progress', progress: { step: p.step, title: p.title, done: p.done, total: p.total } });
  };
}
