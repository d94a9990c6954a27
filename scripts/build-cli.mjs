// Bundles the CLI (src/main/cli) into one file, out/cli/wslk.cjs, so it starts fast with plain Node.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'src/main/cli/index.ts')],
  outfile: join(root, 'out/cli/wslk.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
});
