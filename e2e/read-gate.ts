/**
 * A file-system port that can hold reads of chosen files, so a test can stop an operation at a
 * known point (mid-copy) and look at the progress screen or cancel it, without timing races.
 */
import type { FileHandle, Fs } from '../src/main/engine/machine/fs-port';

export class ReadGate {
  private budget = Number.POSITIVE_INFINITY;
  private waiters: (() => void)[] = [];
  private heldListeners: (() => void)[] = [];

  constructor(private readonly match: (path: string) => boolean) {}

  /** Let `bytes` more bytes of matching files be read, then hold every further read until release(). */
  holdAfter(bytes: number): void {
    this.budget = bytes;
  }

  /** Resolves when a read is being held. */
  held(): Promise<void> {
    if (this.waiters.length) return Promise.resolve();
    return new Promise((ok) => this.heldListeners.push(ok));
  }

  release(): void {
    this.budget = Number.POSITIVE_INFINITY;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async admit(): Promise<void> {
    while (this.budget <= 0) {
      await new Promise<void>((ok) => {
        this.waiters.push(ok);
        const listeners = this.heldListeners;
        this.heldListeners = [];
        for (const l of listeners) l();
      });
    }
  }

  private handle(inner: FileHandle): FileHandle {
    return {
      read: async (buffer, offset, length, position) => {
        await this.admit();
        const n = await inner.read(buffer, offset, length, position);
        this.budget -= n;
        return n;
      },
      write: (buffer, offset, length, position) => inner.write(buffer, offset, length, position),
      sync: () => inner.sync(),
      stat: () => inner.stat(),
      close: () => inner.close(),
    };
  }

  wrap(fs: Fs): Fs {
    return {
      open: async (path, mode) => {
        const inner = await fs.open(path, mode);
        return mode === 'r' && this.match(path) ? this.handle(inner) : inner;
      },
      readFile: (path) => fs.readFile(path),
      stat: (path) => fs.stat(path),
      rename: (from, to) => fs.rename(from, to),
      link: (existing, newPath) => fs.link(existing, newPath),
      unlink: (path) => fs.unlink(path),
      readdir: (path) => fs.readdir(path),
      mkdir: (path) => fs.mkdir(path),
      syncDir: (path) => fs.syncDir(path),
    };
  }
}
