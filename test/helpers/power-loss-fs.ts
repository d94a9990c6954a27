/**
 * A power-loss model of the file system, for in-process tests.
 *
 * Every call goes to the real folder, and the wrapper also tracks what is durable: a file's data
 * once it was flushed (sync), a folder's entries (creates, renames, links, unlinks) once the folder
 * was flushed (syncDir). At the simulated crash (the Nth call throws, and so does every call after
 * it) `materialize` rewrites the real folder to what a disk would hold after the power came back:
 * unflushed data lost or torn, unflushed directory changes undone. Recovery then runs with a
 * normal Fs. This catches missing flushes, not just missing renames.
 *
 * Simplifications: folders created during the run are taken as durable; a file's flush does not
 * make its directory entry durable (as POSIX requires a flush of the folder for that).
 */
import { readFile, readdir, link as realLink, lstat, unlink as realUnlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { FileHandle, FileStat, Fs, OpenMode } from '../../src/main/engine/machine/fs-port';
import { errnoError } from './fault-fs';

interface Node {
  id: number;
  /** What the file holds now (as the running process sees it). */
  data: Buffer;
  /** What survived the last flush of its data; null: never flushed (after a crash: empty or garbage). */
  synced: Buffer | null;
}

interface Dir {
  current: Map<string, Node>;
  durable: Map<string, Node>;
}

export type CrashMode = 'lose' | 'torn';

const MUTATING = new Set(['open-w', 'write', 'sync', 'rename', 'link', 'unlink', 'mkdir', 'syncDir']);

export class PowerLossFs implements Fs {
  private dirs = new Map<string, Dir>();
  private nextId = 1;
  private openHandles = new Set<FileHandle>();
  /** Calls made so far, by kind (`open-r` / `open-w` for opens). */
  readonly calls: string[] = [];
  /** Throw at this call (1-based) and at every call after it. */
  crashAt: number | null = null;
  dead = false;

  constructor(
    private readonly inner: Fs,
    private readonly root: string,
  ) {}

  /** Take everything under root as durable (the disk was in a steady state before the run). */
  async init(): Promise<this> {
    const walk = async (dir: string) => {
      const d: Dir = { current: new Map(), durable: new Map() };
      this.dirs.set(dir, d);
      for (const name of await readdir(dir)) {
        const p = join(dir, name);
        const st = await lstat(p);
        if (st.isDirectory()) await walk(p);
        else if (st.isFile()) {
          const data = await readFile(p);
          const node: Node = { id: this.nextId++, data, synced: Buffer.from(data) };
          d.current.set(name, node);
          d.durable.set(name, node);
        }
      }
    };
    await walk(this.root);
    return this;
  }

  /** Whether a call kind changes what is on disk (crashing right after a read is the same as before it). */
  static isMutating(kind: string): boolean {
    return MUTATING.has(kind);
  }

  private inside(path: string): boolean {
    const rel = relative(this.root, path);
    return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
  }

  private tick(kind: string, path: string): void {
    if (this.dead) throw errnoError('EIO', kind, path);
    this.calls.push(kind);
    if (this.crashAt !== null && this.calls.length >= this.crashAt) {
      this.dead = true;
      throw errnoError('EIO', kind, `${path} (power lost)`);
    }
  }

  private dirOf(path: string): Dir | null {
    if (!this.inside(path)) return null;
    return this.dirs.get(dirname(path)) ?? null;
  }

  private nodeAt(path: string): Node | null {
    return this.dirOf(path)?.current.get(basename(path)) ?? null;
  }

  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    const writing = mode !== 'r';
    this.tick(writing ? 'open-w' : 'open-r', path);
    const handle = await this.inner.open(path, mode);
    let node: Node | null = null;
    const dir = this.dirOf(path);
    if (writing && dir) {
      node = dir.current.get(basename(path)) ?? null;
      if (!node) {
        node = { id: this.nextId++, data: Buffer.alloc(0), synced: null };
        dir.current.set(basename(path), node);
      } else if (mode === 'w') {
        node.data = Buffer.alloc(0);
      }
    }
    const wrapped = this.wrapHandle(handle, path, node, mode === 'a');
    this.openHandles.add(wrapped);
    return wrapped;
  }

  private wrapHandle(inner: FileHandle, path: string, node: Node | null, append: boolean): FileHandle {
    const h: FileHandle = {
      read: async (buffer, offset, length, position) => {
        this.tick('read', path);
        return inner.read(buffer, offset, length, position);
      },
      write: async (buffer, offset, length, position) => {
        this.tick('write', path);
        const n = await inner.write(buffer, offset, length, position);
        if (node) {
          const at = append || position === null ? node.data.length : position;
          const end = Math.max(node.data.length, at + n);
          const next = Buffer.alloc(end);
          node.data.copy(next);
          Buffer.from(buffer.buffer, buffer.byteOffset + offset, n).copy(next, at);
          node.data = next;
        }
        return n;
      },
      sync: async () => {
        this.tick('sync', path);
        await inner.sync();
        if (node) node.synced = Buffer.from(node.data);
      },
      stat: async (): Promise<FileStat> => {
        this.tick('fstat', path);
        return inner.stat();
      },
      close: async () => {
        this.openHandles.delete(h);
        if (this.dead) {
          // The process is gone: its descriptors are released all the same.
          await inner.close().catch(() => undefined);
          throw errnoError('EIO', 'close', path);
        }
        try {
          this.tick('close', path);
        } catch (err) {
          await inner.close().catch(() => undefined);
          throw err;
        }
        return inner.close();
      },
    };
    return h;
  }

  async readFile(path: string): Promise<Buffer> {
    this.tick('readFile', path);
    return this.inner.readFile(path);
  }

  async stat(path: string): Promise<FileStat | null> {
    this.tick('stat', path);
    return this.inner.stat(path);
  }

  async rename(from: string, to: string): Promise<void> {
    this.tick('rename', to);
    await this.inner.rename(from, to);
    const node = this.nodeAt(from);
    this.dirOf(from)?.current.delete(basename(from));
    if (node) this.dirOf(to)?.current.set(basename(to), node);
  }

  async link(existing: string, newPath: string): Promise<void> {
    this.tick('link', newPath);
    await this.inner.link(existing, newPath);
    const node = this.nodeAt(existing);
    if (node) this.dirOf(newPath)?.current.set(basename(newPath), node);
  }

  async unlink(path: string): Promise<void> {
    this.tick('unlink', path);
    await this.inner.unlink(path);
    this.dirOf(path)?.current.delete(basename(path));
  }

  async readdir(path: string): Promise<string[]> {
    this.tick('readdir', path);
    return this.inner.readdir(path);
  }

  async mkdir(path: string): Promise<void> {
    this.tick('mkdir', path);
    await this.inner.mkdir(path);
    // Track folders created now (taken as durable: see the file comment).
    for (let p = path; this.inside(p) && !this.dirs.has(p); p = dirname(p)) {
      this.dirs.set(p, { current: new Map(), durable: new Map() });
    }
  }

  async syncDir(path: string): Promise<void> {
    this.tick('syncDir', path);
    await this.inner.syncDir(path);
    const d = this.dirs.get(path);
    if (d) d.durable = new Map(d.current);
  }

  /** The bytes a file holds after the crash. */
  private static afterCrash(node: Node, mode: CrashMode): Buffer {
    const base = node.synced ?? Buffer.alloc(0);
    if (node.synced && node.synced.equals(node.data)) return node.synced;
    if (mode === 'lose') return base;
    // Torn: the file has its new length, but each 4 KiB block holds the new data, the old data or zeros.
    const out = Buffer.alloc(node.data.length);
    for (let at = 0, i = 0; at < out.length; at += 4096, i++) {
      const end = Math.min(out.length, at + 4096);
      const pick = (node.id + i) % 3;
      if (pick === 0) node.data.copy(out, at, at, end);
      else if (pick === 1 && at < base.length) base.copy(out, at, at, Math.min(end, base.length));
    }
    return out;
  }

  /** Rewrite the real folder to its durable state (call after the crash). */
  async materialize(mode: CrashMode): Promise<{ lostEntries: number; tornFiles: number }> {
    this.dead = true;
    for (const h of [...this.openHandles]) await h.close().catch(() => undefined);
    let lostEntries = 0;
    let tornFiles = 0;
    // One file per node, whatever the number of names (hard links stay links).
    const written = new Map<Node, string>();
    for (const [dir, d] of this.dirs) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const p = join(dir, name);
        if ((await lstat(p)).isFile()) await realUnlink(p);
      }
      for (const [name, node] of d.current) if (d.durable.get(name) !== node) lostEntries++;
      for (const [name, node] of d.durable) {
        const p = join(dir, name);
        const first = written.get(node);
        if (first) {
          await realLink(first, p);
          continue;
        }
        const bytes = PowerLossFs.afterCrash(node, mode);
        if (!(node.synced && node.synced.equals(node.data))) tornFiles++;
        await writeFile(p, bytes);
        written.set(node, p);
      }
    }
    return { lostEntries, tornFiles };
  }
}
