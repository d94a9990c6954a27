// `npm run test:windows`: the CLI bundle as a real Windows process (Node for Windows under Wine),
// on the Wine prefix's own registry and C: drive. See the README section "The Windows suite".
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWine, installWine, prepareWineEnv, wineProcessEnv } from './lib/wine-env';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (msg: string) => console.log(`[windows suite] ${msg}`);
const started = Date.now();
const secs = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

if (!findWine()) {
  const why = installWine(log);
  if (why) {
    // In CI the suite must run: a missing Wine is a failure there, a skip anywhere else.
    if (process.env.CI) {
      console.error(`[windows suite] FAILED: ${why}`);
      process.exit(1);
    }
    log(`SKIPPED: ${why}`);
    process.exit(0);
  }
}

const env = prepareWineEnv(root, log);
log(`${env.wineVersion}; prefix ${env.created ? 'created' : 'reused'}; set up in ${secs(started)}`);

const build = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build-cli.mts')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

// One wineserver for the whole run (-p: persistent), instead of one started and stopped per process.
const wineEnv = wineProcessEnv(env.prefix);
spawnSync(env.wineserver, ['-p'], { env: wineEnv, stdio: 'ignore' });
const suiteStarted = Date.now();
const r = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.windows.config.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...wineEnv,
    ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
    WSLK_WINE64: env.wine64,
    WSLK_WINE_PREFIX: env.prefix,
    WSLK_WINE_NODE: env.node,
    WSLK_WINE_STAND_INS: env.standIns,
  },
});
spawnSync(env.wineserver, ['-k'], { env: wineEnv, stdio: 'ignore' });
log(`suite ${r.status === 0 ? 'passed' : 'FAILED'} in ${secs(suiteStarted)} (${secs(started)} with set-up)`);
process.exit(r.status ?? 1);
