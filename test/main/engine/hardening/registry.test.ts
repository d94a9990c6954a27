/** machine.reg: linear parsing of long wrapped values, and the UTF-8 BOM kept on rewrite. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyRegTree, parseReg, serializeReg, setValue } from '../../../../src/main/engine/registry/reg-file';
import { SandboxRegistry } from '../../../../src/main/engine/registry/sandbox-registry';
import { nodeFs } from '../../../../src/main/engine/machine/fs-port';
import { sandbox } from '../../../helpers/sandbox';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

describe('long wrapped values', () => {
  it('parses a 1 MiB value as the writer wraps it in linear time (well under a second per MiB)', () => {
    const tree = emptyRegTree();
    const data = new Uint8Array(1 << 20).map((_, i) => i & 0xff);
    setValue(tree, 'SOFTWARE\\Big', 'Blob', { type: 'REG_BINARY', data });
    const bytes = serializeReg(tree, 'utf8');
    expect(bytes.toString('utf8').split('\\\r\n').length).toBeGreaterThan(10_000);
    const t0 = performance.now();
    const back = parseReg(bytes).tree;
    const ms = performance.now() - t0;
    // Quadratic parsing took about a minute for this value; linear takes well under a second.
    expect(ms, `parse took ${ms.toFixed(0)} ms`).toBeLessThan(15_000);
    const v = back.keys.get('software\\big')?.values.get('blob')?.value;
    expect(v?.type).toBe('REG_BINARY');
    expect(Buffer.compare(Buffer.from(v!.data as Uint8Array), Buffer.from(data))).toBe(0);
  });

  it('parse time grows linearly: 4 times the value, far less than 16 times the time', () => {
    const time = (n: number) => {
      const tree = emptyRegTree();
      setValue(tree, 'SOFTWARE\\Big', 'Blob', { type: 'REG_BINARY', data: new Uint8Array(n) });
      const bytes = serializeReg(tree, 'utf8');
      let best = Infinity;
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        parseReg(bytes);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    const small = Math.max(time(128 << 10), 5);
    const large = time(512 << 10);
    expect(large / small, `${small.toFixed(1)} ms → ${large.toFixed(1)} ms`).toBeLessThan(12);
  });
});

describe('encoding kept on rewrite', () => {
  it('a machine.reg saved as UTF-8 with a BOM keeps its BOM when the tool edits it', async () => {
    const b = await sandbox('installed');
    cleanups.push(b.cleanup);
    const path = join(b.root, 'machine.reg');
    const original = await readFile(path);
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), original]));
    const r = await b.engine.rollback();
    expect(r.ok, r.message).toBe(true);
    const after = await readFile(path);
    expect([...after.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(after.subarray(3).toString('utf8')).toContain('"RollbackKernel"=dword:00000001');
    expect(after[3]).not.toBe(0xef);
    const reg = new SandboxRegistry(nodeFs, path);
    expect((await reg.read()).encoding).toBe('utf8-bom');
  });
});
