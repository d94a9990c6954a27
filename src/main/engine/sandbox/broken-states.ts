/**
 * Ways to break a sandbox the way real machines break, for the broken-state presets (`sandbox init
 * DIR --preset kernel-missing` …) that the repair wizard and its tests start from.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeArm64Image, writeBzImage } from './kernel-builder';
import { SANDBOX_STATE, SANDBOX_TOOLS } from './sandbox-machine';

export type SlotFile = 'kernel' | 'kernel.rollback';

export function toolsPath(root: string, name: string): string {
  return join(root, ...SANDBOX_TOOLS, name);
}

export async function removeSlot(root: string, slot: SlotFile): Promise<void> {
  await fsp.unlink(toolsPath(root, slot));
}

/** Cut the file to half its size: the header survives, the rest does not. */
export async function truncateSlot(root: string, slot: SlotFile): Promise<void> {
  const path = toolsPath(root, slot);
  const { size } = await fsp.stat(path);
  await fsp.truncate(path, Math.floor(size / 2));
}

/** Replace the slot with another build of `release` (valid, but not the bytes the tool recorded). */
export async function replaceSlot(root: string, slot: SlotFile, release: string, arch: 'x64' | 'arm64' = 'x64'): Promise<void> {
  const path = toolsPath(root, slot);
  const { size } = await fsp.stat(path);
  if (arch === 'x64') await writeBzImage(path, { release, size, seed: `${release}-rebuilt` });
  else await writeArm64Image(path, { release, size, seed: `${release}-rebuilt` });
}

/** Temp files as a killed process leaves them, with no journal naming them. */
export async function leaveTemps(root: string): Promise<void> {
  await fsp.writeFile(toolsPath(root, '.wslk-mqa1b2c3-0badf00d.payload.tmp'), Buffer.alloc(64 * 1024, 0x4b));
  await fsp.writeFile(join(root, ...SANDBOX_STATE, 'state.json.0123456789ab.tmp'), '{"format":1,');
}

/** The CLI to run as a separate process: WSLK_CLI, the running CLI, or the checkout's. */
function findCli(): string | null {
  const found = [process.env.WSLK_CLI, process.argv[1]?.endsWith('wslk.cjs') ? process.argv[1] : undefined].find((p) => p && existsSync(p));
  if (found) return found;
  for (const start of [typeof __dirname === 'string' ? __dirname : null, process.cwd()]) {
    for (let dir = start; dir; dir = dirname(dir) === dir ? null : dirname(dir)) {
      for (const candidate of [join(dir, 'bin', 'wslk.cjs'), join(dir, 'out', 'cli', 'wslk.cjs')]) {
        if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
      }
    }
  }
  return null;
}

/**
 * A real interrupted install: run the CLI in its own process with the failpoint
 * `install.committed`, which kills it right after the journal's commit point.
 */
export async function killedInstall(root: string, payload: string): Promise<void> {
  const cli = findCli();
  if (!cli) throw new Error('the interrupted preset runs the CLI (bin/wslk.cjs) in a child process, and it was not found (set WSLK_CLI)');
  await new Promise<void>((resolve) => {
    execFile(
      process.execPath,
      [cli, 'install', '--payload', payload, '--machine', root, '--json'],
      { env: { ...process.env, WSLK_FAILPOINT: 'install.committed', ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 1 << 22 },
      () => resolve(),
    );
  });
  if (!existsSync(join(root, ...SANDBOX_STATE, 'journal.json'))) {
    throw new Error('the install was expected to stop at its commit point, but no journal was left');
  }
}
