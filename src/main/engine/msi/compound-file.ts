/** The streams of an MSI's compound-file storage, read with `cfb` after a bounds check. */
import * as CFB from 'cfb';
import { assertCompoundFileBounded } from './cfb-guard';
import { guardParse, invalidMsi } from './fail';
import { decodeStreamName } from './stream-names';

const STREAM = 2;

export interface MsiStreams {
  /** Database tables by name (`File`, `_StringPool` …), raw column-major bytes. */
  tables: Map<string, Buffer>;
  /** Other streams by decoded name (embedded cabinets, `Binary` data …). */
  streams: Map<string, Buffer>;
}

/** Split a compound file into the MSI's table streams and other streams of its root storage. */
export function readMsiStreams(file: Buffer): MsiStreams {
  return guardParse('the compound-file storage', () => {
    assertCompoundFileBounded(file);
    const container = CFB.parse(file);
    const rootPath = container.FullPaths[0];
    if (rootPath === undefined) throw invalidMsi('the compound file has no root storage');
    const tables = new Map<string, Buffer>();
    const streams = new Map<string, Buffer>();
    container.FileIndex.forEach((entry, i) => {
      // Only the root's own streams: sub-storages hold embedded transforms with tables of their own.
      if (entry.type !== STREAM || container.FullPaths[i] !== rootPath + entry.name) return;
      const { name, isTable } = decodeStreamName(entry.name);
      const target = isTable ? tables : streams;
      if (target.has(name)) throw invalidMsi(`the stream "${name}" appears twice`);
      const raw: CFB.CFB$Blob | undefined = entry.content;
      const content = raw === undefined ? Buffer.alloc(0) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
      if (entry.size < 0 || content.length !== entry.size) {
        throw invalidMsi(`the stream "${name}" is truncated (${content.length} of ${entry.size} bytes)`);
      }
      target.set(name, content);
    });
    return { tables, streams };
  });
}
