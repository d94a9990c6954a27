/** The silent command line (docs/design.md §7): parse, run one engine command, print, exit with its code. */
import { join, resolve } from 'node:path';
import { ERRORS, KernelSetupError, exitCodeFor } from '../../shared/errors';
import type { CommandResult } from '../../shared/types';
import { PASTED_ERROR_MAX_BYTES, decodePastedBytes, defaultSandboxDir, initSandbox, isSandboxFolder, openMachine, payloadDirs } from '../engine';
import { HELP, parseCommandLine, wantsJson } from './args';
import { formatHistory, formatResult, formatWarnings } from './format';
import { UPDATE_COMMANDS } from './update-args';
import type { UpdateCommandName } from './update-args';

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

/**
 * The folder relative paths are resolved against: the caller's. `npm run` starts scripts in the
 * package folder and says where it was started in INIT_CWD.
 */
export function callerDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_lifecycle_event && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

/** `--machine DIR` from a command line that may not parse. */
function machineArg(argv: string[]): string | null {
  const i = argv.findIndex((a) => a === '--machine' || a.startsWith('--machine='));
  if (i < 0) return null;
  const a = argv[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : (argv[i + 1] ?? null);
}

/** The status to show with an error, read-only, where a machine can be opened without creating one. */
async function statusFor(argv: string[]): Promise<CommandResult['status']> {
  try {
    const m = machineArg(argv);
    const dir = m ? resolve(callerDir(), m) : process.platform === 'win32' ? null : defaultSandboxDir();
    if (dir !== null && !isSandboxFolder(dir)) return null;
    return await (await openMachine({ dir, payloadDirs: [] })).readStatus();
  } catch {
    return null;
  }
}

/** The bundled payload: beside the packaged app's resources/cli, or in the checkout (out/cli/../..). */
function bundled(): string[] {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  return payloadDirs({ resources: join(here, '..'), checkout: join(here, '..', '..') });
}

/**
 * `--error -`: the pasted error from stdin, at most PASTED_ERROR_MAX_BYTES (a longer input is a
 * usage error, read no further). UTF-16LE, as `wsl.exe … 2> file` writes it, is decoded too.
 */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += b.length;
    if (size > PASTED_ERROR_MAX_BYTES * 2) break; // UTF-16 doubles the bytes; the engine checks the text's own size
    chunks.push(b);
  }
  if (size > PASTED_ERROR_MAX_BYTES * 2) throw new KernelSetupError('usage', `The error text on stdin is longer than ${PASTED_ERROR_MAX_BYTES / 1024} KiB: pass only the message WSL showed.`);
  return decodePastedBytes(Buffer.concat(chunks));
}

export async function runCli(argv: string[], stdin: NodeJS.ReadableStream = process.stdin): Promise<CliOutput> {
  const json = wantsJson(argv);
  const print = (command: string, r: CommandResult): CliOutput => ({
    exitCode: r.exitCode,
    stdout: json ? JSON.stringify(r) + '\n' : r.ok ? formatResult(command, r) : '',
    stderr: json ? '' : r.ok ? formatWarnings(r) : formatResult(command, r),
  });
  const base = callerDir();
  const abs = (p: unknown) => (typeof p === 'string' ? resolve(base, p) : undefined);
  try {
    const args = parseCommandLine(argv);
    for (const key of ['payload', 'bundle', 'from-msi'] as const) if (typeof args.values[key] === 'string') args.values[key] = abs(args.values[key]);
    if (args.machine) args.machine = abs(args.machine)!;
    if (args.command === 'sandbox init') args.positionals[0] = abs(args.positionals[0])!;
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
    const v = args.values;
    const user = typeof v.user === 'string' ? v.user : undefined;
    const engine = await openMachine({ dir: args.machine ?? null, payloadDirs: bundled(), lockWaitMs: wait, ...(user ? { user } : {}) });
    const users = { ...(user ? { user } : {}), allUsers: v['all-users'] === true };
    const shutdownWsl = v['shutdown-wsl'] === true;
    if (args.command in UPDATE_COMMANDS) {
      // Loaded on demand: TUF and HTTP code stays out of the cheap commands' start-up.
      const { runUpdateCommand } = await import('./update-cli');
      return print(args.command, await runUpdateCommand(engine, args.command as UpdateCommandName, v, args.positionals, json));
    }
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
            allowOlder: v['allow-older'] === true,
            takeOver: v['take-over'] === true,
            ...users,
            shutdownWsl,
            verify: v.verify === true,
            autoRollback: v['auto-rollback'] === true,
          }),
        );
      case 'verify':
        return print('verify', await engine.verify());
      case 'rollback':
        return print('rollback', await engine.rollback({ shutdownWsl }));
      case 'undo-rollback':
        return print('undo-rollback', await engine.undoRollback({ shutdownWsl }));
      case 'use-default':
        return print('use-default', await engine.useDefault(users));
      case 'diagnose': {
        const error = typeof v.error === 'string' ? (v.error === '-' ? await readStdin(stdin) : v.error) : undefined;
        return print('diagnose', await engine.diagnose({ ...(v.bundle ? { bundle: v.bundle as string } : {}), force: v.force === true, ...(error !== undefined ? { error } : {}) }));
      }
      case 'repair':
        return print(
          'repair',
          await engine.repair({
            ...(v.fix ? { fix: v.fix as string } : {}),
            ...(v['from-msi'] ? { fromMsi: v['from-msi'] as string } : {}),
            shutdownWsl,
          }),
        );
      case 'enable-features':
        return print('enable-features', await engine.enableFeatures());
      case 'history': {
        const entries = await engine.history();
        if (json) return { exitCode: 0, stdout: JSON.stringify({ ...(await engine.status()), history: entries }) + '\n', stderr: '' };
        return { exitCode: 0, stdout: formatHistory(entries), stderr: '' };
      }
      default:
        throw new KernelSetupError('usage', `Unknown command "${args.command}".`);
    }
  } catch (err) {
    // The message only: a stack trace is for developers, and names the tool's own files.
    const e = err instanceof KernelSetupError ? err : new KernelSetupError('io-error', `Unexpected error: ${(err as Error)?.message ?? String(err)}`);
    return print('', { ...errorResult(e), status: await statusFor(argv) });
  }
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const out = await runCli(argv);
  if (out.stdout) process.stdout.write(out.stdout);
  if (out.stderr) process.stderr.write(out.stderr);
  process.exitCode = out.exitCode;
}
