/**
 * The CLI bundle's split (scripts/build-cli.mts, docs/design.md §9): what every command loads at
 * start-up holds none of the on-demand parts (the package reader, repair, the signed feed, the
 * sandbox presets), and each part still loads when a command reaches it, through the real bundle.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliBundle } from '../../helpers/cli';
import { ROOT, cli, kernel, tempDir } from '../../helpers/sandbox';
import { buildWslMsi, fixedVhd } from '../../helpers/wsl-packages';

interface Meta {
  outputs: Record<string, { bytes: number; imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }>;
}

/** The inputs of every chunk `node out/cli/wslk.cjs` loads before it runs a command. */
function startUpInputs(meta: Meta): { inputs: Set<string>; bytes: number } {
  const seen = new Set<string>();
  const todo = ['out/cli/wslk.mjs'];
  let bytes = 0;
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const out = meta.outputs[f]!;
    bytes += out.bytes;
    for (const i of out.imports) if (i.kind === 'import-statement' && meta.outputs[i.path]) todo.push(i.path);
  }
  return { inputs: new Set([...seen].flatMap((f) => Object.keys(meta.outputs[f]!.inputs))), bytes };
}

const ON_DEMAND = [
  'src/main/engine/msi/package-payload.ts',
  'node_modules/cfb/cfb.js',
  'src/main/engine/repair/commands.ts',
  'src/main/engine/feed/update-commands.ts',
  'node_modules/tuf-js/dist/index.js',
  'node_modules/undici/index.js',
  'src/main/engine/sandbox/presets.ts',
  'src/main/engine/sandbox/kernel-builder.ts',
];

let work: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  buildCli();
  work = await tempDir('wslk-cli-bundle-');
});
afterAll(() => work.cleanup());

describe('the CLI bundle', () => {
  it('starts without the on-demand parts, and bundles each of them in a chunk of its own', () => {
    const meta = JSON.parse(readFileSync(join(ROOT, 'out', 'cli-meta.json'), 'utf8')) as Meta;
    const { inputs, bytes } = startUpInputs(meta);
    expect(inputs.has('src/main/engine/engine.ts')).toBe(true);
    for (const part of ON_DEMAND) {
      expect(inputs.has(part), `${part} is loaded at start-up`).toBe(false);
      expect(Object.values(meta.outputs).some((o) => part in o.inputs), `${part} is in no chunk`).toBe(true);
    }
    expect(bytes).toBeLessThan(500_000);
  });

  it('status loads none of Node\'s HTTP, compression, child-process, worker or performance modules', async () => {
    const m = join(work.dir, 'status');
    expect((await cli(['sandbox', 'init', m, '--preset', 'installed', '--json'])).code).toBe(0);
    // Node's own list of the built-in modules it loaded, compared at exit with the list at start.
    const probe = join(work.dir, 'probe.cjs');
    writeFileSync(probe, "const before = new Set(process.moduleLoadList); process.on('exit', () => process.stderr.write('LOADED ' + process.moduleLoadList.filter((x) => !before.has(x)).join(',') + '\\n'));\n");
    const r = spawnSync(process.execPath, ['-r', probe, cliBundle(), 'status', '--machine', m, '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
    const loaded = /LOADED (.*)/.exec(r.stderr)![1]!.split(',');
    expect(loaded.length).toBeGreaterThan(10); // the probe sees the CLI's own loads (crypto, fs/promises, …)
    expect(loaded).toContain('NativeModule crypto');
    for (const name of ['http', 'zlib', 'child_process', 'worker_threads', 'perf_hooks', 'internal/perf/performance']) {
      expect(loaded, name).not.toContain(`NativeModule ${name}`);
    }
  });

  it('loads each part when a command reaches it: sandbox init, install from a package, diagnose, hold', async () => {
    const m = join(work.dir, 'machine');
    const init = await cli(['sandbox', 'init', m, '--preset', 'installed', '--json']);
    expect(init.code, init.stderr).toBe(0);
    const k = await readFile(await kernel(work.dir, '6.6.40.1', 2 << 20));
    const msi = await buildWslMsi(join(work.dir, 'pkg'), { kernel: k, vhd: fixedVhd(1 << 20), version: '2.4.13.0' });
    const install = await cli(['install', '--payload', msi, '--machine', m, '--json']);
    expect(install.code, install.stdout + install.stderr).toBe(0);
    expect(install.json.status?.kernel).toMatchObject({ present: true, version: '6.6.40.1' });
    const diagnose = await cli(['diagnose', '--machine', m, '--json']);
    expect(diagnose.code, diagnose.stderr).toBe(0);
    expect(diagnose.json.ok).toBe(true);
    const hold = await cli(['hold', '--machine', m, '--json']);
    expect(hold.code, hold.stdout + hold.stderr).toBe(0);
    expect(hold.json.message).toContain('6.6.40.1');
  });
});
