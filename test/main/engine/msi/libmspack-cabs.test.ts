/**
 * Every test cabinet of libmspack (Debian's source package): each file the cabinet reader yields is
 * byte-identical to what cabextract (libmspack) extracts, and everything else is refused with the
 * reader's own error, within bounded time.
 */
import { spawnSync } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelSetupError } from '../../../../src/shared/errors';
import { extractCabFile, folderCompression, parseCabinet } from '../../../../src/main/engine/msi/cabinet';
import { libmspackCabs, libmspackCabsProblem } from '../../../helpers/libmspack-cabs';

const hasCabextract = spawnSync('cabextract', ['--version']).error === undefined;
let cabd: string | null = null;
let work: string;

beforeAll(async () => {
  work = await fsp.mkdtemp(path.join(os.tmpdir(), 'wslk-libmspack-'));
  if (!hasCabextract) {
    console.warn('Skipping the libmspack cabinet comparison: cabextract is not installed (apt-get install cabextract)');
    return;
  }
  cabd = await libmspackCabs();
  if (!cabd) console.warn(`Skipping the libmspack cabinet comparison: ${libmspackCabsProblem()}`);
}, 600_000);

afterAll(async () => {
  await fsp.rm(work, { recursive: true, force: true });
});

/** What cabextract made of each file: its bytes, or null when it reported an error for it. */
function cabextract(cab: string, out: string): { failed: Set<string>; ok: boolean } {
  const r = spawnSync('cabextract', ['-q', '-d', out, cab], { encoding: 'latin1', timeout: 30_000 });
  const failed = new Set<string>();
  for (const line of r.stderr.split('\n')) {
    const m = /^(.*?): (?:decompression error|checksum error|cannot extract|.*?error)/.exec(line);
    if (m && m[1]!.startsWith(out)) failed.add(path.relative(out, m[1]!));
  }
  return { failed, ok: r.status === 0 };
}

async function readTree(dir: string, base = dir, into = new Map<string, Buffer>()): Promise<Map<string, Buffer>> {
  for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await readTree(full, base, into);
    else into.set(path.relative(base, full), await fsp.readFile(full));
  }
  return into;
}

/** The path cabextract writes a cabinet name to: backslashes become folders, no leading slash. */
function outName(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\/+/, '');
}

describe('libmspack test cabinets against cabextract', () => {
  it('each cabinet is extracted byte-identical to cabextract, or refused cleanly and quickly', async (ctx) => {
    if (!cabd) return ctx.skip();
    const names = (await fsp.readdir(cabd)).filter((n) => n.endsWith('.cab')).sort();
    expect(names.length).toBeGreaterThan(40);
    const identical: string[] = [];
    const refused: string[] = [];
    const problems: string[] = [];
    const sameFiles: string[] = [];
    const refOk: string[] = [];
    for (const name of names) {
      const file = path.join(cabd, name);
      const ref = path.join(work, name);
      const { failed, ok } = cabextract(file, ref);
      if (ok) refOk.push(name);
      const refTree = await readTree(ref);
      const started = Date.now();
      let mine = 0;
      let refusals = 0;
      try {
        const cab = parseCabinet(await fsp.readFile(file));
        for (const f of cab.files) {
          try {
            const parts: Buffer[] = [];
            await extractCabFile(cab, f, folderCompression(cab, f.folder, name), async (c) => void parts.push(c));
            const got = Buffer.concat(parts);
            const want = refTree.get(outName(f.name));
            if (!want || failed.has(outName(f.name))) problems.push(`${name}: "${f.name}" extracted (${got.length} bytes), cabextract could not`);
            else if (!want.equals(got)) problems.push(`${name}: "${f.name}" differs from cabextract's`);
            else {
              mine++;
              sameFiles.push(`${name}/${f.name}`);
            }
          } catch (err) {
            if (!(err instanceof KernelSetupError)) problems.push(`${name}: "${f.name}" failed with ${String(err)}`);
            refusals++;
          }
        }
      } catch (err) {
        if (!(err instanceof KernelSetupError)) problems.push(`${name}: the cabinet failed with ${String(err)}`);
        refusals++;
      }
      const ms = Date.now() - started;
      if (ms > 5000) problems.push(`${name}: took ${ms} ms`);
      (refusals === 0 && mine > 0 ? identical : refused).push(`${name}${refusals && mine ? ` (${mine} files identical, ${refusals} refused)` : ''}`);
    }
    console.log(`libmspack cabinets: ${identical.length} byte-identical to cabextract, ${refused.length} refused (wholly or in part)\n  identical: ${identical.join(', ')}\n  refused: ${refused.join(', ')}\n  cabextract extracted without error: ${refOk.length} (of them refused here: ${refOk.filter((n) => !identical.includes(n)).join(', ')})`);
    expect(problems).toEqual([]);
    // The LZX file that cabextract extracts is extracted too; the Quantum one is refused.
    expect(sameFiles).toContain('mszip_lzx_qtm.cab/lzx.txt');
    expect(sameFiles).toContain('mszip_lzx_qtm.cab/mszip.txt');
    expect(sameFiles).not.toContain('mszip_lzx_qtm.cab/qtm.txt');
  }, 300_000);
});
