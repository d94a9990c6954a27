/**
 * The sandbox's HKEY_LOCAL_MACHINE: a `.reg` file (`<dir>/machine.reg`, docs/design.md §3.1).
 *
 * The file is small and people edit it by hand between runs, so it is read and parsed on every
 * call. Edits rewrite it atomically in its own encoding; a malformed file is reported
 * (`invalid-machine`) and never overwritten, so a hand edit is not lost to a "repair".
 */
import * as path from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import { writeFileAtomic } from '../machine/atomic-write';
import { timed } from '../machine/timing';
import type { Fs } from '../machine/fs-port';
import type { RegValue, Registry } from '../machine/machine';
import { READ_LIMITS, readRegularFile } from '../machine/bounded-read';
import {
  deleteKey,
  deleteValue,
  emptyRegTree,
  getValue,
  keyExists,
  parseReg,
  serializeReg,
  setValue,
  type RegEncoding,
  type RegTree,
} from './reg-file';

export class SandboxRegistry implements Registry {
  /** Edits run one after another, so two concurrent read-modify-writes cannot lose one another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly fs: Fs,
    private readonly path: string,
  ) {}

  /** The last parse, reused while the file is unchanged (same size, mtime and file id). */
  private cached: { size: number; mtimeMs: number; ino: number; tree: RegTree; encoding: RegEncoding } | null = null;

  /** The parsed file; a missing file is an empty registry (UTF-8 when first written). */
  async read(): Promise<{ tree: RegTree; encoding: RegEncoding; exists: boolean }> {
    let bytes: Buffer;
    try {
      bytes = await readRegularFile(this.fs, this.path, { code: 'invalid-machine', what: 'machine.reg', maxBytes: READ_LIMITS.registry });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { tree: emptyRegTree(), encoding: 'utf8', exists: false };
      throw err;
    }
    return { ...parseReg(bytes, path.basename(this.path)), exists: true };
  }

  /** For lookups only (the tree is shared): re-parses only when the file changed. */
  private async lookup(): Promise<RegTree> {
    const stat = await this.fs.stat(this.path);
    if (!stat) return emptyRegTree();
    const c = this.cached;
    if (c && c.size === stat.size && c.mtimeMs === stat.mtimeMs && c.ino === stat.ino) return c.tree;
    const { tree, encoding } = await this.read();
    this.cached = { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, tree, encoding };
    return tree;
  }

  async keyExists(key: string): Promise<boolean> {
    return keyExists(await this.lookup(), key);
  }

  async getValue(key: string, name: string): Promise<RegValue | null> {
    return getValue(await this.lookup(), key, name);
  }

  async subkeys(key: string): Promise<string[]> {
    const tree = await this.lookup();
    const prefix = key.replace(/^\\+|\\+$/g, '').toLowerCase() + '\\';
    const names = new Map<string, string>();
    for (const k of tree.keys.values()) {
      if (!k.path.toLowerCase().startsWith(prefix)) continue;
      const name = k.path.slice(prefix.length).split('\\')[0] ?? '';
      if (name && !names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
    }
    return [...names.values()];
  }

  async setValue(key: string, name: string, value: RegValue): Promise<void> {
    await this.edit((tree) => {
      setValue(tree, key, name, value);
      return true;
    });
  }

  async deleteValue(key: string, name: string): Promise<void> {
    await this.edit((tree) => deleteValue(tree, key, name));
  }

  /** Removes a key and its subkeys (sandbox presets and tests; the engine never deletes keys). */
  async deleteKey(key: string): Promise<void> {
    await this.edit((tree) => deleteKey(tree, key));
  }

  /** Reads, applies `change` and, when it changed something, rewrites the file atomically. */
  private edit(change: (tree: RegTree) => boolean): Promise<void> {
    const run = async (): Promise<void> => {
      // Parsing first means a malformed file throws here, before anything is written.
      const { tree, encoding } = await this.read();
      this.cached = null;
      if (!change(tree)) return;
      let bytes: Buffer;
      try {
        bytes = serializeReg(tree, encoding);
      } catch (err) {
        // The file holds what the format cannot write back (a NUL in a key name …): like a malformed
        // file, it is reported and left as it is.
        throw new KernelSetupError('invalid-machine', `${path.basename(this.path)} cannot be rewritten: ${(err as Error).message}.`, { path: this.path });
      }
      await timed('registry.write', () => writeFileAtomic(this.fs, this.path, bytes, 'registry'));
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
