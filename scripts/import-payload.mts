// `npm run payload -- <kernel file> [--arch-folder] [--out DIR]`: import a kernel into assets/payload.
// The work is done by scripts/lib/payload-import.ts with the engine's own kernel reader.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runImport } from './lib/payload-import';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.exitCode = await runImport(process.argv.slice(2), root, {
  log: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
});
