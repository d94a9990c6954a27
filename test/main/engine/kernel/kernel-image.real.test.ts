import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectKernel, readKernelHeader } from '../../../../src/main/engine/kernel/kernel-image';
import { nodeFs } from '../../../../src/main/engine/machine/fs-port';
import { realDebianKernel, realDebianKernelProblem } from '../../../helpers/debian-kernel';

const run = promisify(execFile);

describe('a real Debian bzImage', () => {
  let kernel: { path: string; release: string } | null = null;

  beforeAll(async () => {
    kernel = await realDebianKernel();
  }, 900_000);

  /** The kernel, or fail (CI) / skip with the reason (elsewhere). */
  function need(skip: (note?: string) => void): { path: string; release: string } {
    if (kernel) return kernel;
    const why = realDebianKernelProblem() ?? 'no kernel found';
    if (process.env.CI) throw new Error(`The real-kernel test needs a Debian kernel (CI is set): ${why}`);
    console.warn(`Skipping the real-kernel test: ${why}`);
    skip(why);
    throw new Error('unreachable');
  }

  it('reads the release the package names and the same sha256 as sha256sum', async (ctx) => {
    const { path, release } = need(ctx.skip);
    const result = await inspectKernel(nodeFs, path);
    expect(result.header.arch).toBe('x64');
    expect(result.header.release).toBe(release);
    expect(result.header.version).toBe(release.split('-')[0]);
    const { stdout } = await run('sha256sum', [path]);
    expect(result.sha256).toBe(stdout.split(/\s+/)[0]);
    expect(await readKernelHeader(nodeFs, path)).toEqual(result.header);
  });
});
