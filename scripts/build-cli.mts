// Bundles the CLI (src/main/cli) into one file, out/cli/wslk.cjs, so it starts fast with plain Node,
// and the packaging gate (scripts/lib/payload-check.ts) into out/build/before-pack.cjs, the
// beforePack hook electron-builder loads with plain Node.
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common: BuildOptions = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'none' };
await build({ ...common, entryPoints: [join(root, 'src/main/cli/index.ts')], outfile: join(root, 'out/cli/wslk.cjs'), sourcemap: 'linked' });
await build({ ...common, entryPoints: [join(root, 'scripts/lib/payload-check.ts')], outfile: join(root, 'out/build/before-pack.cjs') });
