/**
 * Fault injection through the engine's ports: an Fs (and a Registry) that makes a chosen call fail
 * with a chosen errno — once, a number of times, or from then on — and counts every call by kind.
 */
import type { FileHandle, Fs, OpenMode } from '../../src/main/engine/machine/fs-port';
import type { Registry } from '../../src/main/engine/machine/machine';

export const FS_KINDS = ['open', 'read', 'write', 'sync', 'close', 'fstat', 'readFile', 'stat', 'rename', 'link', 'unlink', 'readdir', 'mkdir', 'syncDir'] as const;
export const REG_KINDS = ['keyExists', 'getValue', 'setValue', 'deleteValue', 'subkeys'] as const;
export type CallKind = (typeof FS_KINDS)[number] | (typeof REG_KINDS)[number];
export const ERRNOS = ['ENOSPC', 'EIO', 'EPERM', 'EBUSY', 'EACCES'] as const;
export type Errno = (typeof ERRNOS)[number];

const ERRNO_NUMBERS: Record<string, number> = { ENOSPC: -28, EIO: -5, EPERM: -1, EBUSY: -16, EACCES: -13, EEXIST: -17, ENOENT: -2 };

/** An error shaped like the ones Node's fs raises. */
export function errnoError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected fault, ${syscall} '${path}'`), { code, errno: ERRNO_NUMBERS[code] ?? -1, syscall, path });
}

export interface Fault {
  kind: CallKind;
  /** 1-based: the nth call of this kind (counted over calls that pass `where`) fails first. */
  nth: number;
  errno: Errno;
  /** `once` (default): that call only; a number: that many consecutive calls; `sticky`: every later call too. */
  repeat?: 'once' | 'sticky' | number;
  /** Only calls on paths for which this returns true are counted and failed. */
  where?: (path: string) => boolean;
}

/** Every call made through the wrappers, in order. */
export class CallLog {
  readonly calls: { kind: CallKind; path: string; failed: Errno | null }[] = [];
  count(kind: CallKind): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }
  get injected(): number {
    return this.calls.filter((c) => c.failed).length;
  }
}

/** Decides, call by call, whether a fault fires. */
export class FaultPlan {
  private seen = new Map<Fault, number>();
  private fired = new Map<Fault, number>();
  constructor(
    readonly faults: Fault[],
    readonly log = new CallLog(),
  ) {}

  /** Record a call; throw the injected error when a fault applies to it. */
  check(kind: CallKind, path: string): void {
    for (const f of this.faults) {
      if (f.kind !== kind || (f.where && !f.where(path))) continue;
      const n = (this.seen.get(f) ?? 0) + 1;
      this.seen.set(f, n);
      if (n < f.nth) continue;
      const fired = this.fired.get(f) ?? 0;
      const repeat = f.repeat ?? 'once';
      const limit = repeat === 'sticky' ? Infinity : repeat === 'once' ? 1 : repeat;
      if (fired >= limit) continue;
      this.fired.set(f, fired + 1);
      this.log.calls.push({ kind, path, failed: f.errno });
      throw errnoError(f.errno, kind, path);
    }
    this.log.calls.push({ kind, path, failed: null });
  }
}

class FaultHandle implements FileHandle {
  constructor(
    private readonly inner: FileHandle,
    private readonly plan: FaultPlan,
    private readonly path: string,
  ) {}
  async read(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<number> {
    this.plan.check('read', this.path);
    return this.inner.read(buffer, offset, length, position);
  }
  async write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<number> {
    this.plan.check('write', this.path);
    return this.inner.write(buffer, offset, length, position);
  }
  async sync(): Promise<void> {
    this.plan.check('sync', this.path);
    return this.inner.sync();
  }
  async stat() {
    this.plan.check('fstat', this.path);
    return this.inner.stat();
  }
  async close(): Promise<void> {
    try {
      this.plan.check('close', this.path);
    } catch (err) {
      // A failed close still releases the descriptor (as on POSIX), so faults never leak handles.
      await this.inner.close().catch(() => undefined);
      throw err;
    }
    return this.inner.close();
  }
}

/** Wrap an Fs so that the plan's faults fire. */
export function faultFs(inner: Fs, plan: FaultPlan): Fs {
  return {
    async open(path: string, mode: OpenMode) {
      plan.check('open', path);
      return new FaultHandle(await inner.open(path, mode), plan, path);
    },
    async readFile(path) {
      plan.check('readFile', path);
      return inner.readFile(path);
    },
    async stat(path) {
      plan.check('stat', path);
      return inner.stat(path);
    },
    async rename(from, to) {
      plan.check('rename', to);
      return inner.rename(from, to);
    },
    async link(existing, newPath) {
      plan.check('link', newPath);
      return inner.link(existing, newPath);
    },
    async unlink(path) {
      plan.check('unlink', path);
      return inner.unlink(path);
    },
    async readdir(path) {
      plan.check('readdir', path);
      return inner.readdir(path);
    },
    async mkdir(path) {
      plan.check('mkdir', path);
      return inner.mkdir(path);
    },
    async syncDir(path) {
      plan.check('syncDir', path);
      return inner.syncDir(path);
    },
  };
}

/** Wrap a Registry port the same way (on Windows its errors come from the registry API, not files). */
export function faultRegistry(inner: Registry, plan: FaultPlan): Registry {
  const keyOf = (key: string, name?: string) => (name === undefined ? key : `${key}\\${name}`);
  return {
    async keyExists(key) {
      plan.check('keyExists', keyOf(key));
      return inner.keyExists(key);
    },
    async getValue(key, name) {
      plan.check('getValue', keyOf(key, name));
      return inner.getValue(key, name);
    },
    async setValue(key, name, value) {
      plan.check('setValue', keyOf(key, name));
      return inner.setValue(key, name, value);
    },
    async deleteValue(key, name) {
      plan.check('deleteValue', keyOf(key, name));
      return inner.deleteValue(key, name);
    },
    async subkeys(key) {
      plan.check('subkeys', keyOf(key));
      return inner.subkeys(key);
    },
  };
}

/**
 * The real file system without the cost of flushing: for in-process suites whose durability is
 * modelled by a wrapper (flush calls still reach the wrappers, which count and track them).
 */
export function withoutFlush(inner: Fs): Fs {
  return {
    ...inner,
    async open(path, mode) {
      const h = await inner.open(path, mode);
      return { read: h.read.bind(h), write: h.write.bind(h), stat: h.stat.bind(h), close: h.close.bind(h), sync: async () => undefined };
    },
    syncDir: async () => undefined,
  };
}

/** Paths written by a run: every call that can change the disk (opens for writing, renames …). */
export function recordingFs(inner: Fs, written: string[]): Fs {
  return {
    ...inner,
    async open(path, mode) {
      if (mode !== 'r') written.push(path);
      return inner.open(path, mode);
    },
    async rename(from, to) {
      written.push(from, to);
      return inner.rename(from, to);
    },
    async link(existing, newPath) {
      written.push(newPath);
      return inner.link(existing, newPath);
    },
    async unlink(path) {
      written.push(path);
      return inner.unlink(path);
    },
    async mkdir(path) {
      written.push(path);
      return inner.mkdir(path);
    },
  };
}

/** The useful part of a fast-check failure: the error it raised, then the (shortened) counterexample. */
export function fastCheckSummary(err: unknown): string {
  const e = err as Error & { cause?: unknown };
  const lines = String(e?.message ?? err).split('\n');
  const cause = e?.cause instanceof Error ? e.cause.message : lines.find((l) => l.includes('Got error')) ?? lines[0] ?? '';
  const seed = lines.find((l) => l.includes('seed')) ?? '';
  const example = lines.find((l) => l.includes('Counterexample')) ?? '';
  return `${cause.slice(0, 900)} | ${seed.slice(0, 120)} | ${example.slice(0, 300)}`;
}
