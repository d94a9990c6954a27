/** Bundles bridge-client.ts for the browser once per process (esbuild, in memory). */
import { join } from 'node:path';
import { build } from 'esbuild';

let bundled: Promise<string> | null = null;

export function bridgeScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [join(__dirname, 'bridge-client.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  }).then((r) => {
    const out = r.outputFiles[0];
    if (!out) throw new Error('The bridge script did not build.');
    return out.text;
  });
  return bundled;
}
