/** Dialogs of the e2e host: each answer is queued beforehand by the test (or the person at the terminal). */
import type { Dialogs } from '../app/handlers';

export type DialogKind = 'payload' | 'msi' | 'save' | 'folder';

export class QueuedDialogs implements Dialogs {
  private readonly queues = new Map<DialogKind, (string | null)[]>();
  /** Every dialog the page opened, in order (tests assert on it). */
  readonly opened: DialogKind[] = [];

  constructor(private readonly onEmpty: (kind: DialogKind) => void = () => undefined) {}

  /** The answer of the next dialog of this kind: a path, or null for "cancelled". */
  queue(kind: DialogKind, path: string | null): void {
    const q = this.queues.get(kind) ?? [];
    q.push(path);
    this.queues.set(kind, q);
  }

  private next(kind: DialogKind): string | null {
    this.opened.push(kind);
    const q = this.queues.get(kind);
    if (!q || q.length === 0) {
      this.onEmpty(kind);
      return null;
    }
    return q.shift() ?? null;
  }

  async openFile(kind: 'payload' | 'msi'): Promise<string | null> {
    return this.next(kind);
  }

  async saveFile(_defaultName: string): Promise<string | null> {
    return this.next('save');
  }

  async pickFolder(): Promise<string | null> {
    return this.next('folder');
  }
}
