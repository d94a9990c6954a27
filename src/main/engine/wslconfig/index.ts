/** `.wslconfig`: read as WSL reads it, and its `[wsl2] kernel=` / `kernelModules=` changed safely. */
export { KNOWN_KEYS } from './known-keys';
export { parseWslConfig } from './wslconfig-parse';
export type { WslConfigDocument, WslConfigEntry, WslConfigSection, WslConfigWarning } from './wslconfig-parse';
export { decodeWslConfig, encodeWslConfig } from './wslconfig-text';
export type { DecodedText, WslConfigEncoding } from './wslconfig-text';
export { encodeWslConfigValue, editWsl2Text, recordKey, restoreWsl2Keys, setWsl2Paths } from './wslconfig-edit';
export type { KeyEdit, KeyRecord, Wsl2PathKey } from './wslconfig-edit';
export { diffWslConfig } from './wslconfig-diff';
export { loadWslConfig, readWslConfigBytes, saveWslConfig, withWsl2Edits, withWsl2Paths, WSLCONFIG_MAX_BYTES } from './wslconfig-file';
export type { LoadedWslConfig } from './wslconfig-file';
