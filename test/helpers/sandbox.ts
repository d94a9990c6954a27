/** Test helpers: temporary sandboxes, synthetic kernels, and running the real CLI. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/main/engine/engine';
import { writeArm64Image, writeBzImage } from '../../src/main/engine/sandbox/kernel-builder';
import { initSandbox } from '../../src/main/engine/sandbox/presets';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import type { CommandResult } from '../../src/shared/types';

export const ROOT = join(__dirname, '..', '..');

export async function tempDir(prefix = 'wslk-test-'): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A sandbox from a preset, in a new temporary folder. */
export async function sandbox(preset = 'fresh'): Promise<{ root: string; work: string; engine: Engine; cleanup(): Promise<void> }> {
  const t = await tempDir();
  const root = join(t.dir, 'machine');
  await initSandbox(root, preset);
  return { root, work: t.dir, engine: new Engine(await openSandbox(root)), cleanup: t.cleanup };
}

/** Sandboxes made by one test file, removed after each test (call `cleanupAll` in afterEach). */
export function sandboxes(): { box(preset: string): ReturnType<typeof sandbox>; cleanupAll(): Promise<void> } {
  const made: { cleanup(): Promise<void> }[] = [];
  return {
    async box(preset) {
      const b = await sandbox(preset);
      made.push(b);
      return b;
    },
    async cleanupAll() {
      for (const b of made.splice(0)) await b.cleanup();
    },
  };
}

/** Write a synthetic x64 kernel `<version>-microsoft-standard-WSL2` into `dir`. */
export async function kernel(dir: string, version: string, size = 1 << 20, arch: 'x64' | 'arm64' = 'x64'): Promise<string> {
  const path = join(dir, `${arch}-${version}-${size}`);
  const release = `${version}-microsoft-standard-WSL2`;
  if (arch === 'x64') await writeBzImage(path, { release, size });
  else await writeArm64Image(path, { release, size });
  return path;
}

export interface CliRun {
  code: number;
  json: CommandResult;
  stdout: string;
  stderr: string;
}

/** Run the built CLI bundle as a real process. */
export function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'wslk.cjs'), ...args], { env: { ...process.env, ...env }, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      let json = null as unknown as CommandResult;
      try {
        json = JSON.parse(stdout) as CommandResult;
      } catch {
        /* not JSON */
      }
      resolve({ code, json, stdout, stderr });
    });
  });
}
