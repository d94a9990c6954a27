/**
 * The file-system calls the engine makes, behind one small interface.
 *
 * Every write path of the engine goes through this port so that tests can inject faults
 * (ENOSPC, EIO, EBUSY …) and model power loss (dropping data that was never flushed).
 */
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { timed, timingEnabled } from './timing';

export interface FileStat {
  size: number;
  mtimeMs: number;
  /** File id: inode on POSIX, the NTFS file index on Windows. */
  ino: number;
  dev: number;
  isFile: boolean;
  isDirectory: boolean;
}

export interface FileHandle {
  read(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<number>;
  write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<number>;
  /** Flush the file's data and metadata to stable storage (fsync / FlushFileBuffers). */
  sync(): Promise<void>;
  stat(): Promise<FileStat>;
  close(): Promise<void>;
}

export type OpenMode = 'r' | 'w' | 'wx' | 'a';

export interface Fs {
  open(path: string, mode: OpenMode): Promise<FileHandle>;
  readFile(path: string): Promise<Buffer>;
  /** Stat, or null when the path does not exist. */
  stat(path: string): Promise<FileStat | null>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  mkdir(path: string): Promise<void>;
  /** Flush a directory entry table, where the system allows it (not on Windows). */
  syncDir(path: string): Promise<void>;
}

function toStat(s: Stats): FileStat {
  return {
    size: s.size,
    mtimeMs: s.mtimeMs,
    ino: s.ino,
    dev: s.dev,
    isFile: s.isFile(),
    isDirectory: s.isDirectory(),
  };
}

class NodeFileHandle implements FileHandle {
  constructor(private readonly handle: fsp.FileHandle) {}
  async read(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<number> {
    return (await this.handle.read(buffer, offset, length, position)).bytesRead;
  }
  async write(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<number> {
    return (await this.handle.write(buffer, offset, length, position)).bytesWritten;
  }
  sync(): Promise<void> {
    return timingEnabled() ? timed('fs.fsync', () => this.handle.sync()) : this.handle.sync();
  }
  async stat(): Promise<FileStat> {
    return toStat(await this.handle.stat());
  }
  close(): Promise<void> {
    return this.handle.close();
  }
}

/**
 * Reads open without blocking where the system allows it: opening a FIFO for reading would
 * otherwise wait forever for a writer (docs/design.md, "Files read from outside"). On a regular
 * file the flag changes nothing.
 */
const READ_FLAGS = process.platform === 'win32' || constants.O_NONBLOCK === undefined ? 'r' : constants.O_RDONLY | constants.O_NONBLOCK;

/** The real file system. */
const realFs: Fs = {
  async open(path, mode) {
    return new NodeFileHandle(await fsp.open(path, mode === 'r' ? READ_FLAGS : mode));
  },
  readFile: (path) => fsp.readFile(path, { flag: READ_FLAGS }),
  async stat(path) {
    try {
      return toStat(await fsp.stat(path));
    } catch (err) {
      // ENOTDIR: a part of the path is a file, so the path does not exist either.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw err;
    }
  },
  rename: (from, to) => fsp.rename(from, to),
  link: (existing, newPath) => fsp.link(existing, newPath),
  unlink: (path) => fsp.unlink(path),
  readdir: (path) => fsp.readdir(path),
  async mkdir(path) {
    await fsp.mkdir(path, { recursive: true });
  },
  async syncDir(path) {
    if (process.platform === 'win32') return;
    const handle = await fsp.open(path, constants.O_RDONLY);
    try {
      await handle.sync();
    } catch (err) {
      // Some file systems refuse fsync on a directory; the rename is then as durable as they allow.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw err;
    } finally {
      await handle.close();
    }
  },
};

/**
 * The real file system, each call counted and timed when the timing trace is on
 * (machine/timing.ts); a handle's flush is timed by the handle itself.
 */
export const nodeFs: Fs = {
  open: (path, mode) => (timingEnabled() ? timed(mode === 'r' ? 'fs.open-read' : 'fs.open-write', () => realFs.open(path, mode)) : realFs.open(path, mode)),
  readFile: (path) => (timingEnabled() ? timed('fs.readFile', () => realFs.readFile(path)) : realFs.readFile(path)),
  stat: (path) => (timingEnabled() ? timed('fs.stat', () => realFs.stat(path)) : realFs.stat(path)),
  rename: (from, to) => (timingEnabled() ? timed('fs.rename', () => realFs.rename(from, to)) : realFs.rename(from, to)),
  link: (existing, newPath) => (timingEnabled() ? timed('fs.link', () => realFs.link(existing, newPath)) : realFs.link(existing, newPath)),
  unlink: (path) => (timingEnabled() ? timed('fs.unlink', () => realFs.unlink(path)) : realFs.unlink(path)),
  readdir: (path) => (timingEnabled() ? timed('fs.readdir', () => realFs.readdir(path)) : realFs.readdir(path)),
  mkdir: (path) => (timingEnabled() ? timed('fs.mkdir', () => realFs.mkdir(path)) : realFs.mkdir(path)),
  syncDir: (path) => (timingEnabled() ? timed('fs.folder-flush', () => realFs.syncDir(path)) : realFs.syncDir(path)),
};
