/** What every operation receives: the machine, its architecture, progress and cancellation. */
import type { Arch, Progress } from '../../../shared/types';
import type { Machine } from '../machine/machine';

export interface OpContext {
  machine: Machine;
  arch: Arch | null;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export function progress(ctx: OpContext, step: string, title: string, done: number, total: number): void {
  ctx.onProgress?.({ step, title, done, total });
}
