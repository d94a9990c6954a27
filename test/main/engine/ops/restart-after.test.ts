/**
 * A WSL restart asked for with the command (--shutdown-wsl) that fails after the change succeeded:
 * the change stands and is reported as done (exit 0, history ok), with the failed restart beside it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../../src/main/engine/engine';
import { openSandbox } from '../../../../src/main/engine/sandbox/sandbox-machine';
import { formatResult, formatWarnings } from '../../../../src/main/cli/format';
import { KernelSetupError } from '../../../../src/shared/errors';
import { kernel, sandbox } from '../../../helpers/sandbox';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A sandbox whose `wsl --shutdown` fails, as wsl.exe does when the service does not answer. */
async function failingShutdownEngine(preset: string): Promise<{ engine: Engine; work: string }> {
  const s = await sandbox(preset);
  cleanups.push(s.cleanup);
  const machine = await openSandbox(s.root);
  const engine = new Engine({
    ...machine,
    wsl: {
      ...machine.wsl,
      shutdown: async () => {
        throw new KernelSetupError('io-error', 'wsl.exe --shutdown failed (exit code 1)');
      },
    },
  });
  return { engine, work: s.work };
}

describe('a failed WSL restart after a successful change', () => {
  it('install: ok, exit 0, restart {ok: false, message}, history ok, a warning in human output', async () => {
    const { engine, work } = await failingShutdownEngine('fresh');
    const r = await engine.install({ payload: await kernel(work, '5.15.153.1'), shutdownWsl: true });
    expect(r).toMatchObject({ ok: true, code: null, exitCode: 0, status: { kernel: { version: '5.15.153.1' } } });
    expect(r.restart?.ok).toBe(false);
    expect(r.restart?.message).toMatch(/wsl\.exe --shutdown failed \(exit code 1\)/);
    expect(r.shutdown ?? null).toBeNull();
    expect((await engine.history()).at(-1)).toMatchObject({ op: 'install', ok: true, code: null });
    expect(formatWarnings(r)).toMatch(/^Warning: WSL was not restarted/);
    expect(formatResult('install', r)).toMatch(/wsl --shutdown/);
  });

  it('rollback and undo-rollback: done, with the failed restart reported', async () => {
    const { engine } = await failingShutdownEngine('installed');
    let r = await engine.rollback({ shutdownWsl: true });
    expect(r).toMatchObject({ ok: true, exitCode: 0, restart: { ok: false }, status: { rollbackActive: true } });
    r = await engine.undoRollback({ shutdownWsl: true });
    expect(r).toMatchObject({ ok: true, exitCode: 0, restart: { ok: false }, status: { rollbackActive: false } });
  });

  it('a restart that works is reported too', async () => {
    const s = await sandbox('installed');
    cleanups.push(s.cleanup);
    const r = await s.engine.rollback({ shutdownWsl: true });
    expect(r).toMatchObject({ ok: true, restart: { ok: true }, shutdown: { stopped: expect.any(Array) } });
    expect(formatWarnings(r)).toBe('');
  });
});
