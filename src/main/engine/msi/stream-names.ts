/**
 * MSI stream-name mangling.
 *
 * Windows Installer packs stream names into the compound file's 31-character name limit by
 * encoding characters of the set [0-9A-Za-z._] two at a time into U+3800..U+47FF (or one at a
 * time into U+4800..U+483F); table streams carry the U+4840 prefix. Same scheme as Wine's
 * msi/table.c `decode_streamname`.
 */

const TABLE_PREFIX = 0x4840;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._';

export interface StreamName {
  /** The decoded name, without the table prefix. */
  name: string;
  /** True for a database table's stream (U+4840 prefix). */
  isTable: boolean;
}

/** Decode a compound-file entry name into the MSI stream name. */
export function decodeStreamName(raw: string): StreamName {
  let isTable = false;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (i === 0 && ch === TABLE_PREFIX) {
      isTable = true;
    } else if (ch >= 0x3800 && ch < 0x4800) {
      const v = ch - 0x3800;
      out += ALPHABET[v & 0x3f]! + ALPHABET[(v >> 6) & 0x3f]!;
    } else if (ch >= 0x4800 && ch < 0x4840) {
      out += ALPHABET[ch - 0x4800]!;
    } else {
      out += raw[i]!;
    }
  }
  return { name: out, isTable };
}

/** Encode an MSI stream name the way Windows Installer stores it (the inverse of decodeStreamName). */
export function encodeStreamName(name: string, isTable: boolean): string {
  let out = isTable ? String.fromCharCode(TABLE_PREFIX) : '';
  for (let i = 0; i < name.length; i++) {
    const a = ALPHABET.indexOf(name[i]!);
    if (a < 0) {
      out += name[i]!;
      continue;
    }
    const b = i + 1 < name.length ? ALPHABET.indexOf(name[i + 1]!) : -1;
    if (b >= 0) {
      out += String.fromCharCode(0x3800 + a + (b << 6));
      i++;
    } else {
      out += String.fromCharCode(0x4800 + a);
    }
  }
  return out;
}
