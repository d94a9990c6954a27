/** The silent command line (docs/design.md §7): parse, run one engine command, print, exit with its code. */
import { join } from 'node:path';
import { ERRORS, KernelSetupError, exitCodeFor } from '../../shared/errors';
import type { CommandResult } from '../../shared/types';
import { initSandbox, openMachine, payloadDirs } from '../engine';
import { HELP, parseCommandLine, wantsJson } from './args';
import { formatHistory, formatResult } from './format';

export interface CliOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function errorResult(err: KernelSetupError): CommandResult {
  return {
    ok: false,
    code: err.code,
    message: err.message,
    exitCode: exitCodeFor(err.code),
    status: null,
    remedy: ERRORS[err.code].remedy,
  };
}

/** The bundled payload: beside the packaged app's resources/cli, or in the checkout (out/cli/../..). */
function bundled(): string[] {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  return payloadDirs({ resources: join(here, '..'), checkout: join(here, '..', '..') });
}

export async function runCli(argv: string[]): Promise<CliOutput> {
  const json = wantsJson(argv);
  const print = (command: string, r: CommandResult): CliOutput => ({
    exitCode: r.exitCode,
    stdout: json ? JSON.stringify(r) + '\n' : r.ok ? formatResult(command, r) : '',
    stderr: json || r.ok ? '' : formatResult(command, r),
  });
  try {
    const args = parseCommandLine(argv);
    if (args.command === 'help') return { exitCode: 0, stdout: HELP, stderr: '' };
    if (args.command === 'version') return { exitCode: 0, stdout: `${process.env.WSLK_VERSION ?? 'wsl-kernel-setup'}\n`, stderr: '' };
    if (args.command === 'sandbox init') {
      const dir = args.positionals[0]!;
      const preset = (args.values.preset as string | undefined) ?? 'fresh';
      const made = await initSandbox(dir, preset);
      const engine = await openMachine({ dir, payloadDirs: [] });
      // The status as the preset left it: no recovery, so the `interrupted` preset keeps its journal.
      const r = await engine.result({ message: '' });
      return print('sandbox init', { ...r, message: `Created sandbox ${made.root} (${preset}: ${made.description}).` });
    }
    const wait = args.values.wait ? Number(args.values.wait) * 1000 : 0;
    const engine = await openMachine({ dir: args.machine ?? null, payloadDirs: bundled(), lockWaitMs: wait });
    const v = args.values;
    const shutdownWsl = v['shutdown-wsl'] === true;
    switch (args.command) {
      case 'status':
        return print('status', await engine.status());
      case 'precheck':
        return print('precheck', await engine.precheck(v.payload as string | undefined));
      case 'install':
        return print(
          'install',
          await engine.install({
            ...(v.payload ? { payload: v.payload as string } : {}),
            force: v.force === true,
            allowDowngrade: v['allow-downgrade'] === true,
            shutdownWsl,
          }),
        );
      case 'rollback':
        return print('rollback', await engine.rollback({ shutdownWsl }));
      case 'undo-rollback':
        return print('undo-rollback', await engine.undoRollback({ shutdownWsl }));
      case 'diagnose':
        return print('diagnose', await engine.diagnose({ ...(v.bundle ? { bundle: v.bundle as string } : {}), force: v.force === true }));
      case 'repair':
        return print(
          'repair',
          await engine.repair({
            ...(v.fix ? { fix: v.fix as string } : {}),
            ...(v['from-msi'] ? { fromMsi: v['from-msi'] as string } : {}),
            shutdownWsl,
          }),
        );
      case 'history': {
        const entries = await engine.history();
        if (json) return { exitCode: 0, stdout: JSON.stringify({ ...(await engine.status()), history: entries }) + '\n', stderr: '' };
        return { exitCode: 0, stdout: formatHistory(entries), stderr: '' };
      }
    }
  } catch (err) {
    if (err instanceof KernelSetupError) return print('', errorResult(err));
    const e = new KernelSetupError('io-error', `Unexpected error: ${(err as Error)?.stack ?? String(err)}`);
    return print('', errorResult(e));
  }
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const out = await runCli(argv);
  if (out.stdout) process.stdout.write(out.stdout);
  if (out.stderr) process.stderr.write(out.stderr);
  process.exitCode = out.exitCode;
}
