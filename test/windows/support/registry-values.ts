/** Registry values as JSON (bigint and bytes as text), shared by the probe and the suite. */
import type { RegValue } from '../../../src/main/engine/machine/machine';

export type ProbeValue =
  | { type: 'REG_SZ' | 'REG_EXPAND_SZ'; data: string }
  | { type: 'REG_MULTI_SZ'; data: string[] }
  | { type: 'REG_DWORD'; data: number }
  | { type: 'REG_QWORD'; data: string }
  | { type: 'REG_BINARY'; data: string }
  | { type: 'REG_RAW'; kind: number; data: string };

export function encodeValue(v: RegValue): ProbeValue {
  switch (v.type) {
    case 'REG_QWORD':
      return { type: v.type, data: v.data.toString() };
    case 'REG_BINARY':
      return { type: v.type, data: Buffer.from(v.data).toString('hex') };
    case 'REG_RAW':
      return { type: v.type, kind: v.kind, data: Buffer.from(v.data).toString('hex') };
    default:
      return v;
  }
}

export function decodeValue(v: ProbeValue): RegValue {
  switch (v.type) {
    case 'REG_QWORD':
      return { type: v.type, data: BigInt(v.data) };
    case 'REG_BINARY':
      return { type: v.type, data: Uint8Array.from(Buffer.from(v.data, 'hex')) };
    case 'REG_RAW':
      return { type: v.type, kind: v.kind, data: Uint8Array.from(Buffer.from(v.data, 'hex')) };
    default:
      return v;
  }
}

/** Every type the tool reads or writes, the awkward cases included (names, NULs, empties, non-ASCII). */
export const ROUND_TRIP: { name: string; value: ProbeValue }[] = [
  { name: 'Plain', value: { type: 'REG_SZ', data: '5.15.153.1' } },
  { name: 'Profile', value: { type: 'REG_SZ', data: 'C:\\Users\\Zoë Ångström\\ユーザー ☃ \u{1F600}' } },
  { name: 'Empty', value: { type: 'REG_SZ', data: '' } },
  { name: '', value: { type: 'REG_SZ', data: 'the default value' } },
  { name: 'Name with spaces  and Ünïcode', value: { type: 'REG_SZ', data: '  leading and trailing spaces  ' } },
  { name: 'Expand', value: { type: 'REG_EXPAND_SZ', data: '%SystemRoot%\\System32\\lxss\\tools\\kernel' } },
  { name: 'Multi', value: { type: 'REG_MULTI_SZ', data: ['\\??\\C:\\a', 'Zoë', 'x'] } },
  { name: 'MultiTrailingEmpty', value: { type: 'REG_MULTI_SZ', data: ['a', 'b', ''] } },
  { name: 'MultiInnerEmpty', value: { type: 'REG_MULTI_SZ', data: ['a', '', 'b'] } },
  { name: 'MultiNone', value: { type: 'REG_MULTI_SZ', data: [] } },
  { name: 'Dword', value: { type: 'REG_DWORD', data: 1 } },
  { name: 'DwordMax', value: { type: 'REG_DWORD', data: 0xffffffff } },
  { name: 'Qword', value: { type: 'REG_QWORD', data: '1' } },
  { name: 'QwordBig', value: { type: 'REG_QWORD', data: (2n ** 63n + 5n).toString() } },
  { name: 'Binary', value: { type: 'REG_BINARY', data: '00ff10e2' } },
  { name: 'BinaryEmpty', value: { type: 'REG_BINARY', data: '' } },
];
