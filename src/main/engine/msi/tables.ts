/**
 * The MSI database: its string pool and its tables, read by the schema in `_Columns`.
 *
 * Table streams are column-major: all values of column 1, then of column 2 … A string column
 * holds an index into the string pool (2 bytes, or 3 when the pool's header says so), an
 * integer column holds the value plus 0x8000 (2 bytes) or 0x80000000 (4 bytes), and 0 is null.
 */
import { guardParse, invalidMsi } from './fail';
import type { MsiStreams } from './compound-file';

const TYPE_STRING = 0x0800;
const TYPE_VALID = 0x0100;
const TYPE_NULLABLE = 0x1000;
const TYPE_TEMPORARY = 0x4000;
const LONG_REFS = 0x8000;
const MAX_COLUMNS = 32;
/** Far more than an installer has; bounds the memory a hostile table can claim. */
const MAX_ROWS = 200_000;
const MAX_STRINGS = 1_000_000;

export type Value = string | number | null;
export type Row = Record<string, Value>;

interface Column {
  name: string;
  number: number;
  type: number;
  width: number;
  kind: 'string' | 'int' | 'binary';
}

export interface MsiDatabase {
  streams: MsiStreams;
  strings: string[];
  refSize: 2 | 3;
}

/** Read the string pool; everything else is read on demand with readTable. */
export function openDatabase(streams: MsiStreams): MsiDatabase {
  return guardParse('the string pool', () => {
    const pool = streams.tables.get('_StringPool');
    const data = streams.tables.get('_StringData') ?? Buffer.alloc(0);
    if (!pool) throw invalidMsi('the string pool (_StringPool) is missing');
    if (pool.length < 4 || pool.length % 4 !== 0) throw invalidMsi('the string pool has a partial entry');
    if (pool.length / 4 > MAX_STRINGS) throw invalidMsi('the string pool has too many entries');
    const hiWord = pool.readUInt16LE(2);
    const codepage = pool.readUInt16LE(0) | ((hiWord & ~LONG_REFS) << 16);
    const decoder = decoderFor(codepage);
    const strings: string[] = [''];
    let offset = 0;
    for (let i = 4; i < pool.length; ) {
      let length = pool.readUInt16LE(i);
      const refs = pool.readUInt16LE(i + 2);
      i += 4;
      if (length === 0 && refs !== 0) {
        // A string over 64 KiB: a null entry, then the length's low and high words.
        if (i + 4 > pool.length) throw invalidMsi('the string pool ends inside a long-string entry');
        length = pool.readUInt16LE(i) + pool.readUInt16LE(i + 2) * 0x10000;
        i += 4;
      }
      if (offset + length > data.length) throw invalidMsi('the string pool points past the string data');
      strings.push(length === 0 ? '' : decoder.decode(data.subarray(offset, offset + length)));
      offset += length;
    }
    return { streams, strings, refSize: hiWord & LONG_REFS ? 3 : 2 };
  });
}

/** All rows of a table, keyed by column name; an absent stream is an empty table. */
export function readTable(db: MsiDatabase, table: string): Row[] {
  return guardParse(`the ${table} table`, () => {
    const columns = tableColumns(db, table);
    const data = db.streams.tables.get(table) ?? Buffer.alloc(0);
    return decodeRows(db, table, columns, data);
  });
}

/** The schema of one table from `_Columns`, which itself has a fixed schema. */
function tableColumns(db: MsiDatabase, table: string): Column[] {
  const sys = db.streams.tables.get('_Columns');
  if (!sys) throw invalidMsi('the column catalog (_Columns) is missing');
  const fixed: Column[] = [
    column(db, 'Table', 1, TYPE_STRING | TYPE_VALID | 72),
    column(db, 'Number', 2, TYPE_VALID | 2),
    column(db, 'Name', 3, TYPE_STRING | TYPE_VALID | 64),
    column(db, 'Type', 4, TYPE_VALID | 2),
  ];
  const columns: Column[] = [];
  for (const row of decodeRows(db, '_Columns', fixed, sys)) {
    if (row.Table !== table) continue;
    const { Number: n, Name: name, Type: type } = row;
    if (typeof n !== 'number' || typeof name !== 'string' || typeof type !== 'number') {
      throw invalidMsi(`a column of the ${table} table has no number, name or type`);
    }
    if (type & TYPE_TEMPORARY) continue;
    columns.push(column(db, name, n, type & 0xffff));
  }
  if (columns.length === 0) throw invalidMsi(`the ${table} table is missing`);
  if (columns.length > MAX_COLUMNS) throw invalidMsi(`the ${table} table has ${columns.length} columns`);
  columns.sort((a, b) => a.number - b.number);
  columns.forEach((c, i) => {
    if (c.number !== i + 1) throw invalidMsi(`the ${table} table's columns are not numbered 1..${columns.length}`);
  });
  return columns;
}

function column(db: MsiDatabase, name: string, number: number, type: number): Column {
  if ((type & ~TYPE_NULLABLE) === (TYPE_STRING | TYPE_VALID)) return { name, number, type, width: 2, kind: 'binary' };
  if (type & TYPE_STRING) return { name, number, type, width: db.refSize, kind: 'string' };
  const size = type & 0xff;
  if (size > 4 || size === 3) throw invalidMsi(`the column ${name} has an integer size of ${size} bytes`);
  return { name, number, type, width: size <= 2 ? 2 : 4, kind: 'int' };
}

function decodeRows(db: MsiDatabase, table: string, columns: Column[], data: Buffer): Row[] {
  const rowSize = columns.reduce((sum, c) => sum + c.width, 0);
  if (data.length % rowSize !== 0) throw invalidMsi(`the ${table} table ends in a partial row`);
  const count = data.length / rowSize;
  if (count > MAX_ROWS) throw invalidMsi(`the ${table} table has ${count} rows`);
  const rows: Row[] = Array.from({ length: count }, () => ({}));
  let base = 0;
  for (const c of columns) {
    for (let r = 0; r < count; r++) {
      const at = base + r * c.width;
      const raw = c.width === 2 ? data.readUInt16LE(at) : c.width === 3 ? data.readUIntLE(at, 3) : data.readUInt32LE(at);
      rows[r]![c.name] = decodeValue(db, table, c, raw);
    }
    base += count * c.width;
  }
  return rows;
}

function decodeValue(db: MsiDatabase, table: string, c: Column, raw: number): Value {
  if (raw === 0) return null;
  if (c.kind === 'binary') return raw;
  if (c.kind === 'int') return c.width === 2 ? raw - 0x8000 : raw - 0x80000000;
  const s = db.strings[raw];
  if (s === undefined) throw invalidMsi(`the ${table} table refers to string ${raw}, past the end of the string pool`);
  return s;
}

function decoderFor(codepage: number): TextDecoder {
  const labels: Record<number, string> = {
    65001: 'utf-8',
    932: 'shift_jis',
    936: 'gbk',
    949: 'euc-kr',
    950: 'big5',
    874: 'windows-874',
  };
  const label = labels[codepage] ?? (codepage >= 1250 && codepage <= 1258 ? `windows-${codepage}` : 'windows-1252');
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('windows-1252');
  }
}
