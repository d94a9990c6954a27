// Preloaded into CLI processes by the concurrency suite (node --require): appends one line per
// operation-lock event to the file named by WSLK_LOCK_PROBE. Lines are appended with O_APPEND, so
// their order in the file is the order the events happened in: "released" is written before the
// lock file is removed and "acquired" after it was created, so two holders overlap exactly when an
// "acquired" line follows another process's "acquired" line without its "released" in between.
'use strict';
const fs = require('node:fs');
const fsp = require('node:fs/promises');

const log = process.env.WSLK_LOCK_PROBE;
if (log) {
  const isLock = (p) => String(p).endsWith('operation.lock');
  const event = (kind) => fs.appendFileSync(log, JSON.stringify({ pid: process.pid, kind }) + '\n');
  const open = fsp.open;
  const unlink = fsp.unlink;
  const rename = fsp.rename;
  const link = fsp.link;
  fsp.open = async function (path, flags, ...rest) {
    const handle = await open.call(this, path, flags, ...rest);
    if (isLock(path) && flags === 'wx') event('acquired');
    return handle;
  };
  // The lock is written aside and hard-linked into place (state/lock.ts): the link takes it.
  fsp.link = async function (existing, newPath, ...rest) {
    await link.call(this, existing, newPath, ...rest);
    if (isLock(newPath)) event('acquired');
  };
  fsp.unlink = async function (path, ...rest) {
    if (isLock(path)) event('released');
    return unlink.call(this, path, ...rest);
  };
  fsp.rename = async function (from, to, ...rest) {
    if (isLock(from)) event('takeover');
    return rename.call(this, from, to, ...rest);
  };
}
