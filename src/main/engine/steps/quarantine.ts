/**
 * Keep a copy of a damaged or unknown kernel file aside for support before a repair replaces it:
 * `<state>/quarantine/<timestamp>-kernel`, with a `.json` beside it saying what it was.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../machine/atomic-write';
import { failpoint } from '../machine/failpoints';
import type { OpContext } from './context';
import { copyDurable, removeIfExists, syncDir } from './file-steps';
import type { SlotFacts } from '../state/slots';
import { QUARANTINE_PARTIAL, quarantineDir } from '../state/temps';
import { renameWithRetry } from '../machine/fs-errors';

/** Quarantined kernels kept; older ones are deleted so repeated repairs do not fill the disk. */
const KEEP = 3;

/**
 * Copy the slot's file into the quarantine folder. The copy is written under a `.partial-` name
 * and renamed when complete, so a crash never leaves a half copy that looks like evidence.
 */
export async function quarantine(ctx: OpContext, slot: Extract<SlotFacts, { present: true }>, reason: string): Promise<string> {
  const fs = ctx.machine.fs;
  const dir = quarantineDir(ctx.machine);
  await fs.mkdir(dir);
  const at = new Date().toISOString();
  const name = `${at.replace(/[:.]/g, '-')}-${slot.name.replace('.', '-')}`;
  const partial = join(dir, `.partial-${name}`);
  if (!QUARANTINE_PARTIAL.test(`.partial-${name}`)) throw new Error(`bad quarantine name ${name}`);
  const final = join(dir, name);
  // The operation lock is held: a `.partial-` copy already there is the leftover of a crash.
  for (const n of await fs.readdir(dir)) if (QUARANTINE_PARTIAL.test(n)) await removeIfExists(fs, join(dir, n));
  const sha256 = await copyDurable(fs, slot.path, partial, {
    failpointPrefix: 'repair.quarantine',
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  }).catch(async (err: unknown) => {
    await removeIfExists(fs, partial).catch(() => undefined);
    throw err;
  });
  const facts = {
    slot: slot.name,
    reason,
    at,
    size: slot.size,
    sha256,
    release: slot.header?.release ?? null,
    arch: slot.header?.arch ?? null,
    problem: slot.problem,
  };
  await writeFileAtomic(fs, `${final}.json`, Buffer.from(JSON.stringify(facts, null, 2) + '\n'));
  await renameWithRetry(fs, partial, final);
  await syncDir(fs, dir);
  failpoint('repair.quarantined');
  await prune(ctx, dir);
  return final;
}

/** Delete all but the newest KEEP quarantined files (names start with their ISO timestamp). */
async function prune(ctx: OpContext, dir: string): Promise<void> {
  const fs = ctx.machine.fs;
  const names = (await fs.readdir(dir)).filter((n) => /^\d{4}-\d\d-\d\dT/.test(n) && !n.endsWith('.json')).sort();
  for (const old of names.slice(0, Math.max(0, names.length - KEEP))) {
    await removeIfExists(fs, join(dir, old)).catch(() => undefined);
    await removeIfExists(fs, join(dir, `${old}.json`)).catch(() => undefined);
  }
}

/** The quarantined files, for the diagnostics bundle (names and facts only, never contents). */
export async function listQuarantine(ctx: Pick<OpContext, 'machine'>): Promise<{ name: string; size: number }[]> {
  const fs = ctx.machine.fs;
  const dir = quarantineDir(ctx.machine);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const out: { name: string; size: number }[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const st = await fs.stat(join(dir, name)).catch(() => null);
    if (st?.isFile) out.push({ name, size: st.size });
  }
  return out;
}
