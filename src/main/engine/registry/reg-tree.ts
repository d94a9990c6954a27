/**
 * The in-memory model of a `.reg` file: keys under HKEY_LOCAL_MACHINE with their values.
 *
 * Lookups are case-insensitive, as in the real registry; the case a key or value was first
 * written with is kept, so a file round-trips as the user wrote it.
 */
import type { RegValue } from '../machine/machine';

/** One value of a key. The default value (`@`) has the name "". */
export interface RegEntry {
  name: string;
  value: RegValue;
}

/** One key: its path without the hive (`SOFTWARE\Foo`; "" is the hive root) and its values in order. */
export interface RegKey {
  path: string;
  /** Keyed by the case-folded value name; insertion order is the file order. */
  values: Map<string, RegEntry>;
}

/** The keys of HKEY_LOCAL_MACHINE that a file mentions, in file order, keyed by the case-folded path. */
export interface RegTree {
  keys: Map<string, RegKey>;
}

export type RegEncoding = 'utf8' | 'utf8-bom' | 'utf16le';

/** Case-folding used for key paths and value names. */
export function foldName(name: string): string {
  return name.toLowerCase();
}

/** A key path as stored: no leading or trailing backslash. */
export function normalizeKeyPath(key: string): string {
  return key.replace(/^\\+/, '').replace(/\\+$/, '');
}

export function emptyRegTree(): RegTree {
  return { keys: new Map() };
}

/** The key, or undefined when the tree does not hold it itself. */
export function findKey(tree: RegTree, key: string): RegKey | undefined {
  return tree.keys.get(foldName(normalizeKeyPath(key)));
}

/** Returns the key, creating it (at the end) when missing. */
export function ensureKey(tree: RegTree, key: string): RegKey {
  const path = normalizeKeyPath(key);
  const folded = foldName(path);
  let found = tree.keys.get(folded);
  if (!found) {
    found = { path, values: new Map() };
    tree.keys.set(folded, found);
  }
  return found;
}

/**
 * True when the key is in the tree, or when any key below it is: in the real registry a key's
 * parents always exist. The hive root ("") always exists.
 */
export function keyExists(tree: RegTree, key: string): boolean {
  const folded = foldName(normalizeKeyPath(key));
  if (folded === '' || tree.keys.has(folded)) return true;
  const prefix = `${folded}\\`;
  for (const k of tree.keys.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

export function getValue(tree: RegTree, key: string, name: string): RegValue | null {
  return findKey(tree, key)?.values.get(foldName(name))?.value ?? null;
}

/** Sets a value, creating the key when needed; an existing value keeps its place and spelling. */
export function setValue(tree: RegTree, key: string, name: string, value: RegValue): void {
  const k = ensureKey(tree, key);
  const folded = foldName(name);
  const existing = k.values.get(folded);
  if (existing) existing.value = value;
  else k.values.set(folded, { name, value });
}

/** Removes a value; returns whether it existed. */
export function deleteValue(tree: RegTree, key: string, name: string): boolean {
  return findKey(tree, key)?.values.delete(foldName(name)) ?? false;
}

/** Removes a key and every key below it; returns whether anything was removed. */
export function deleteKey(tree: RegTree, key: string): boolean {
  const folded = foldName(normalizeKeyPath(key));
  const prefix = `${folded}\\`;
  let removed = false;
  for (const k of [...tree.keys.keys()]) {
    if (folded === '' || k === folded || k.startsWith(prefix)) {
      tree.keys.delete(k);
      removed = true;
    }
  }
  return removed;
}

/** The values of a key in order (empty when the key is missing). */
export function listValues(tree: RegTree, key: string): RegEntry[] {
  return [...(findKey(tree, key)?.values.values() ?? [])];
}
