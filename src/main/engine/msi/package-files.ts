/**
 * What an MSI installs: the File table joined with Component, Directory and Media.
 */
import { invalidMsi } from './fail';
import { readTable, type MsiDatabase, type Row } from './tables';

export interface MsiFile {
  /** The File table key; WiX and wixl name the file in the cabinet with it. */
  fileKey: string;
  /** The long file name (the part after `|` in `short|long`). */
  name: string;
  size: number;
  sequence: number;
  attributes: number;
  component: string;
  directory: string | null;
  /** Target folders from the root, without the root and `.` entries: `["lxss", "tools"]`. */
  directoryPath: string[];
  /** DiskId of the Media row that holds the file (smallest LastSequence ≥ Sequence), or null. */
  diskId: number | null;
  /** That row's Cabinet (`#name` = a stream of the package), or null when the file is stored loose. */
  cabinet: string | null;
}

const NONCOMPRESSED = 0x2000;

/** The long part of a `short|long` name. */
export function longName(value: string): string {
  const bar = value.indexOf('|');
  return bar < 0 ? value : value.slice(bar + 1);
}

/** Every file the package installs, in File-table order. */
export function listPackageFiles(db: MsiDatabase): MsiFile[] {
  const components = byKey(readTable(db, 'Component'), 'Component');
  const directories = byKey(readTable(db, 'Directory'), 'Directory');
  const media = readTable(db, 'Media')
    .map((m) => ({ last: num(m.LastSequence), disk: num(m.DiskId), cabinet: typeof m.Cabinet === 'string' ? m.Cabinet : null }))
    .sort((a, b) => a.last - b.last || a.disk - b.disk);
  const paths = new Map<string, string[]>();
  return readTable(db, 'File').map((row) => {
    const fileKey = str(row.File, 'File');
    const component = str(row.Component_, `Component_ of ${fileKey}`);
    const directory = components.get(component)?.Directory_;
    const dir = typeof directory === 'string' ? directory : null;
    const sequence = num(row.Sequence);
    const attributes = num(row.Attributes);
    const medium = media.find((m) => m.last >= sequence);
    return {
      fileKey,
      name: longName(str(row.FileName, `FileName of ${fileKey}`)),
      size: num(row.FileSize),
      sequence,
      attributes,
      component,
      directory: dir,
      directoryPath: dir === null ? [] : directoryPath(directories, dir, paths),
      diskId: medium?.disk ?? null,
      cabinet: attributes & NONCOMPRESSED ? null : (medium?.cabinet ?? null),
    };
  });
}

/** Resolve a Directory key to its target folder names; refuses cycles and dangling parents. */
function directoryPath(dirs: Map<string, Row>, key: string, memo: Map<string, string[]>): string[] {
  const known = memo.get(key);
  if (known) return known;
  const chain: string[] = [];
  const seen = new Set<string>();
  let at: string | null = key;
  while (at !== null) {
    if (seen.has(at)) throw invalidMsi(`the Directory table has a cycle through "${at}"`);
    seen.add(at);
    const row = dirs.get(at);
    if (!row) throw invalidMsi(`the Directory table has no row "${at}"`);
    const parent: string | null = typeof row.Directory_Parent === 'string' && row.Directory_Parent !== at ? row.Directory_Parent : null;
    if (parent !== null) {
      // DefaultDir is "target[:source]", each "short|long"; "." means the parent's own folder.
      const target = longName(String(row.DefaultDir ?? '.').split(':')[0] ?? '.');
      if (target !== '.' && target !== '') chain.unshift(target);
    }
    at = parent;
  }
  memo.set(key, chain);
  return chain;
}

function byKey(rows: Row[], key: string): Map<string, Row> {
  const map = new Map<string, Row>();
  for (const row of rows) {
    const k = row[key];
    if (typeof k === 'string') map.set(k, row);
  }
  return map;
}

function str(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidMsi(`the File table has no ${what}`);
  return value;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** How well a file fits "the WSL kernel": 3 in …\lxss\tools, 2 in a tools folder, 1 elsewhere, 0 not a kernel. */
export function kernelRank(file: MsiFile): number {
  if (file.name.toLowerCase() !== 'kernel') return 0;
  const path = file.directoryPath.map((p) => p.toLowerCase());
  const last = path[path.length - 1];
  if (last === 'tools' && path[path.length - 2] === 'lxss') return 3;
  return last === 'tools' ? 2 : 1;
}
