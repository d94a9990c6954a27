// electron-builder `beforePack` hook: refuse to package without a real kernel payload for the
// architecture being built (assets/payload/<arch>/kernel or assets/payload/kernel, with the
// manifest.json written by `npm run payload`; never a `-demo` kernel).
// Also runnable by hand: node scripts/check-payload.cjs [--arch x64|arm64] [--dir DIR]
/* global __filename */
'use strict';
const path = require('node:path');

function lib() {
  // The checks use the engine's own payload reader (TypeScript), loaded through tsx.
  const { require: tsRequire } = require('tsx/cjs/api');
  return tsRequire('./lib/payload-check.ts', __filename);
}

/** The hook: throws (and so stops electron-builder) when the payload is missing or not real. */
async function checkPayload(context) {
  const { builderArchName, checkPayloadFor } = lib();
  const projectDir = (context && context.packager && context.packager.projectDir) || path.join(__dirname, '..');
  const payloadDir = (context && context.payloadDir) || path.join(projectDir, 'assets', 'payload');
  const arch = builderArchName(context ? context.arch : 'x64');
  const info = await checkPayloadFor(payloadDir, arch);
  console.log(`  • bundled kernel ${info.release} (${info.arch}) sha256 ${info.sha256}`);
  return info;
}

module.exports = checkPayload;
module.exports.default = checkPayload;

if (require.main === module) {
  const argv = process.argv.slice(2);
  const value = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  checkPayload({ arch: value('--arch') || (process.arch === 'arm64' ? 'arm64' : 'x64'), payloadDir: value('--dir') }).then(
    () => {
      process.exitCode = 0;
    },
    (err) => {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
