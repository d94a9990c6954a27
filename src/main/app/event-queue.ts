/**
 * App events on their way to the renderer, held back until the renderer says it listens.
 *
 * Events emitted before the page has subscribed (recovery at start-up, progress while the page
 * reloads) would otherwise be dropped by Electron; they are queued and flushed on `ready`.
 */
import type { AppEvent } from '../../shared/ipc';

/** Queued events kept at most; beyond it the oldest progress events go first (newer ones supersede them). */
export const MAX_QUEUED_EVENTS = 500;

export class EventQueue {
  private readonly queued: AppEvent[] = [];
  private isReady = false;

  /** `deliver` sends one event to the page; it returns false when the page is gone. */
  constructor(private readonly deliver: (event: AppEvent) => boolean) {}

  get ready(): boolean {
    return this.isReady;
  }

  get size(): number {
    return this.queued.length;
  }

  emit(event: AppEvent): void {
    if (this.isReady && this.deliver(event)) return;
    this.queued.push(event);
    if (this.queued.length > MAX_QUEUED_EVENTS) {
      const oldestProgress = this.queued.findIndex((e) => e.type === 'progress');
      this.queued.splice(oldestProgress >= 0 ? oldestProgress : 0, 1);
    }
  }

  /** The renderer subscribed: deliver what was queued, in order, then send directly. */
  markReady(): void {
    this.isReady = true;
    while (this.queued.length > 0) {
      if (!this.deliver(this.queued[0]!)) {
        this.isReady = false;
        return;
      }
      this.queued.shift();
    }
  }

  /** The page is reloading or gone: queue again until it is ready. */
  reset(): void {
    this.isReady = false;
  }
}
