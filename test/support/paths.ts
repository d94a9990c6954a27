/** Where the repository and the reliability runs' scratch folders are. */
import { existsSync, readFileSync } from 'node:fs';
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

/** A fresh scratch folder; `cleanup` removes it unless WSLK_KEEP_SCRATCH is set. */
export async function scratch(label: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `wslk-${label}-`));
  return {
    dir,
    cleanup: async () => {
      if (!process.env.WSLK_KEEP_SCRATCH) await rm(dir, { recursive: true, force: true });
    },
  };
}
