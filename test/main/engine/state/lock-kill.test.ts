/**
 * The operation lock is complete from the moment it exists (state/lock.ts, docs/design.md §6):
 * a CLI killed while it writes the lock leaves no lock, so the next command runs at once.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initSandbox } from '../../../../src/main/engine/sandbox/presets';
import { buildCli, runCli } from '../../../helpers/cli';
import { tempDir } from '../../../helpers/sandbox';

let dir: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  buildCli();
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

const lockFiles = (root: string) => readdirSync(join(root, 'ProgramData', 'WslKernelSetup')).filter((n) => n.startsWith('operation.lock'));

describe('a kill while the lock is written', () => {
  it('leaves only a pending file, which the next command sweeps without waiting on it', async () => {
    const root = join(dir.dir, 'installed');
    await initSandbox(root, 'installed');
    const killed = await runCli(['rollback', '--json', '--machine', root], { failpoint: 'lock.written' });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.trace).toContain('lock.written');
    // Killed after the owner was flushed but before it was linked into place: no lock, one pending file.
    expect(existsSync(join(root, 'ProgramData', 'WslKernelSetup', 'operation.lock'))).toBe(false);
    expect(lockFiles(root)).toEqual([expect.stringMatching(/^operation\.lock\.\d+\.[0-9a-f]{16}\.new$/)]);

    const next = await runCli(['rollback', '--json', '--machine', root]);
    expect(next.json?.ok, next.json?.message).toBe(true);
    expect(next.json?.status?.rollbackActive).toBe(true);
    expect(lockFiles(root)).toEqual([]);
  });
});
