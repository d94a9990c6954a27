#!/usr/bin/env node
// Runs the CLI bundle; in a checkout, rebuilds it first when a source file is newer than it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'out', 'cli', 'wslk.cjs');

function newestSource(dir) {
  let newest = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.tsx?$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

let built = 0;
try {
  built = fs.statSync(bundle).mtimeMs;
} catch {
  built = 0;
}
const src = path.join(root, 'src');
if (fs.existsSync(src) && (built === 0 || Math.max(newestSource(path.join(src, 'main')), newestSource(path.join(src, 'shared'))) > built)) {
  // The build script is TypeScript, run through tsx (resolved from the checkout, whatever the cwd).
  const tsx = require('node:url').pathToFileURL(require.resolve('tsx', { paths: [root] })).href;
  require('node:child_process').execFileSync(process.execPath, ['--import', tsx, path.join(root, 'scripts', 'build-cli.mts')], { stdio: ['ignore', 'ignore', 'inherit'] });
}
require(bundle);
