/**
 * The REGEDIT5 `.reg` file format (HKEY_LOCAL_MACHINE only): the tree model, the parser and the
 * writer. `parseReg(serializeReg(tree, enc)).tree` deep-equals `tree` for every tree the writer
 * accepts.
 */
export {
  deleteKey,
  deleteValue,
  emptyRegTree,
  ensureKey,
  findKey,
  foldName,
  getValue,
  keyExists,
  listValues,
  normalizeKeyPath,
  setValue,
  type RegEncoding,
  type RegEntry,
  type RegKey,
  type RegTree,
} from './reg-tree';
export { multiString, parseReg } from './reg-parse';
export { multiStringText, serializeReg } from './reg-write';
