/**
 * Files the user picked in a main-process dialog, referred to by opaque ids.
 *
 * The renderer only ever holds these ids: it can name a file the user chose, never a path of its
 * own, so a compromised page cannot make main read or write an arbitrary file.
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { KernelSetupError } from '../../shared/errors';

export type PickedKind = 'payload' | 'msi';

export interface PickedEntry {
  kind: PickedKind;
  path: string;
  name: string;
}

export class PickedFiles {
  private readonly entries = new Map<string, PickedEntry>();

  /** Remember a picked path; returns its new id (32 random hex digits). */
  add(kind: PickedKind, path: string): string {
    const id = randomBytes(16).toString('hex');
    this.entries.set(id, { kind, path, name: basename(path) });
    return id;
  }

  /** The path behind an id of the expected kind; an unknown id or a kind mismatch is a usage error. */
  resolve(id: string, kind: PickedKind): string {
    const entry = this.entries.get(id);
    if (!entry || entry.kind !== kind) {
      throw new KernelSetupError('usage', `No ${kind === 'msi' ? 'installer package' : 'kernel file'} was picked with this id; choose the file again.`);
    }
    return entry.path;
  }

  /** The file name (no folder) behind an id, for display. */
  name(id: string): string {
    return this.entries.get(id)?.name ?? '';
  }

  get size(): number {
    return this.entries.size;
  }
}
