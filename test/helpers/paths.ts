/** Where the repository and the reliability runs' scratch folders are. */
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The checkout root: the nearest folder above the working directory holding this project's package.json. */
export function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'wsl-kernel-setup') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('run from inside the wsl-kernel-setup checkout');
    dir = up;
  }
}

/**
 * Where scratch folders go: WSLK_SCRATCH, else /dev/shm when it has room (flushes cost nothing in
 * memory, and durability is modelled by the power-loss suite, not by the disk), else the temp folder.
 */
export function scratchBase(): string {
  if (process.env.WSLK_SCRATCH) return process.env.WSLK_SCRATCH;
  try {
    const s = statfsSync('/dev/shm');
    if (s.bavail * s.bsize > 2 * 1024 ** 3) return '/dev/shm';
  } catch {
    /* not Linux, or no /dev/shm */
  }
  return tmpdir();
}

/** A fresh scratch folder; `cleanup` removes it unless WSLK_KEEP_SCRATCH is set. */
export async function scratch(label: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(scratchBase(), `wslk-${label}-`));
  return {
    dir,
    cleanup: async () => {
      if (!process.env.WSLK_KEEP_SCRATCH) await rm(dir, { recursive: true, force: true });
    },
  };
}
