// Bundles the CLI (src/main/cli) for plain Node, and the packaging gate (scripts/lib/payload-check.ts)
// into out/build/before-pack.cjs, the beforePack hook electron-builder loads with plain Node.
//
// The CLI is split so that a command parses only the code it runs: out/cli/wslk.mjs and its static
// imports hold what `status` and `install` need; the MSI and cabinet reader, the feed client (TUF,
// HTTP), repair and the sandbox presets are chunks loaded by dynamic import() when a command
// reaches them: each `on-demand.ts` loader module is bundled as the `on-demand-split.ts` beside it. out/cli/wslk.cjs is the entry every caller runs (`node out/cli/wslk.cjs`, the
// packaged app's wslk.cmd): it turns on Node's compile cache where the runtime has one, then loads
// wslk.mjs. Every file the CLI needs is in out/cli.
import { build } from 'esbuild';
import type { BuildOptions, Plugin } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, sep } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common: BuildOptions = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', legalComments: 'none' };
const outCli = join(root, 'out', 'cli');

/**
 * The project's own modules only declare things (no import is made for its side effects), so a
 * module none of whose exports a chunk uses is left out of it: the facade's re-exports of the feed
 * and the sandbox cost nothing to a command that does not call them.
 */
const ownModulesArePure: Plugin = {
  name: 'own-modules-are-pure',
  setup(b) {
    const src = join(root, 'src') + sep;
    b.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData === 'pure' || !args.importer.startsWith(src)) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'pure' });
      if (r.errors.length || !r.path.startsWith(src)) return undefined;
      // Each on-demand.ts loads its parts with the rest; the on-demand-split.ts beside it makes
      // them chunks of their own (src/main/engine/on-demand.ts).
      const split = r.path.endsWith(`${sep}on-demand.ts`) ? r.path.replace(/on-demand\.ts$/, 'on-demand-split.ts') : null;
      return { path: split && existsSync(split) ? split : r.path, sideEffects: false };
    });
  },
};

/**
 * Put a file in place with one rename, so a CLI started while the bundle is rebuilt (tests build
 * it from several processes) reads the old file or the new one, never half of one.
 */
function put(path: string, contents: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

const cli = await build({
  ...common,
  format: 'esm',
  splitting: true,
  entryPoints: { wslk: join(root, 'src/main/cli/index.ts') },
  outdir: outCli,
  outExtension: { '.js': '.mjs' },
  chunkNames: '[name]-[hash]',
  sourcemap: 'linked',
  metafile: true,
  write: false,
  plugins: [ownModulesArePure],
  // CommonJS packages (cfb, tuf-js) call require(), and the code reads __dirname: both as in CommonJS.
  banner: {
    js: "import { createRequire as __wslkCreateRequire } from 'node:module'; import { fileURLToPath as __wslkPath } from 'node:url'; const require = __wslkCreateRequire(import.meta.url); const __filename = __wslkPath(import.meta.url); const __dirname = __wslkPath(new URL('.', import.meta.url));",
  },
});
// Chunk names are content hashes: the same sources give the same names, so a rebuild replaces
// files with identical ones, and only chunks of older sources are removed.
mkdirSync(outCli, { recursive: true });
const written = new Set<string>(['wslk.cjs', '.compile-cache']);
for (const f of cli.outputFiles) {
  put(f.path, f.contents);
  written.add(f.path.slice(outCli.length + 1));
}
for (const name of readdirSync(outCli)) if (!written.has(name) && !name.endsWith('.tmp')) rmSync(join(outCli, name), { recursive: true, force: true });
put(
  join(outCli, 'wslk.cjs'),
  `#!/usr/bin/env node
// Runs the CLI (wslk.mjs beside this file). Node's compile cache, where the runtime has it (Node 22+,
// Electron's Node), keeps V8's compiled code in .compile-cache beside the code it compiles: whoever
// can write there can already change the code itself. Without it (Node 20) the CLI runs the same.
'use strict';
const path = require('node:path');
const mod = require('node:module');
if (typeof mod.enableCompileCache === 'function') {
  try {
    mod.enableCompileCache(path.join(__dirname, '.compile-cache'));
  } catch {
    /* a read-only install folder: run without it */
  }
}
import(require('node:url').pathToFileURL(path.join(__dirname, 'wslk.mjs')).href).catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + '\\n');
  process.exitCode = 1603;
});
`,
);
put(join(root, 'out', 'cli-meta.json'), JSON.stringify(cli.metafile));
await build({ ...common, format: 'cjs', entryPoints: [join(root, 'scripts/lib/payload-check.ts')], outfile: join(root, 'out/build/before-pack.cjs') });
