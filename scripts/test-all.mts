// `npm test`: everything CI checks, in order; stops at the first failing step.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const conformance = join(root, '..', 'shared', 'conformance', 'cli-contract');
const tsx = ['node', ['--import', 'tsx']] as const;
const steps: [string, string, string[]][] = [
  ['build the CLI', tsx[0], [...tsx[1], 'scripts/build-cli.mts']],
  ['type-check', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['lint', 'npx', ['eslint', '--max-warnings', '0', '.']],
  ['dependency rules (layers, no cycles)', 'npx', ['depcruise', 'src', '--config', '.dependency-cruiser.mjs']],
  ['unit and integration tests', 'npx', ['vitest', 'run']],
  ['end-to-end tests (Chromium)', 'npx', ['playwright', 'test']],
  ['Windows suite (Wine)', tsx[0], [...tsx[1], 'scripts/test-windows.mts']],
  ['reliability (bounded)', tsx[0], [...tsx[1], 'scripts/reliability.mts', '--bounded']],
];
if (existsSync(conformance)) steps.push(['CLI contract conformance', 'python3', [conformance]]);

let passed = 0;
let failed = 0;
for (const [title, cmd, args] of steps) {
  const t = Date.now();
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', WSLK_PROJECT: root } });
  const secs = ((Date.now() - t) / 1000).toFixed(1);
  if (r.status === 0) {
    passed++;
    console.log(`=== ${title}: ok (${secs} s)`);
  } else {
    failed++;
    console.log(`=== ${title}: FAILED (exit ${r.status ?? r.signal}, ${secs} s)`);
    break;
  }
}
console.log(`\nsteps: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
