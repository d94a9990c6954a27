// The packaging gate by hand: node --import tsx scripts/check-payload.mts [--arch x64|arm64] [--dir DIR]
// (electron-builder runs the same check as its beforePack hook, out/build/before-pack.cjs).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkPayload } from './lib/payload-check';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { arch: { type: 'string' }, dir: { type: 'string' } } });
try {
  await checkPayload({ arch: values.arch ?? (process.arch === 'arm64' ? 'arm64' : 'x64'), payloadDir: values.dir ?? join(root, 'assets', 'payload') });
  process.exitCode = 0;
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
