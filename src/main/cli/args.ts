/** Command-line parsing for the silent CLI (docs/design.md §7). Anything unknown is a usage error (1639). */
import { parseArgs } from 'node:util';
import { KernelSetupError } from '../../shared/errors';
import { UPDATE_COMMANDS, UPDATE_HELP, UPDATE_OPTIONS } from './update-args';

export const COMMANDS = {
  status: ['user'],
  precheck: ['payload'],
  install: ['payload', 'force', 'allow-downgrade', 'allow-older', 'user', 'all-users', 'take-over', 'shutdown-wsl', 'verify', 'auto-rollback', 'wait'],
  verify: ['wait'],
  rollback: ['shutdown-wsl', 'wait'],
  'undo-rollback': ['shutdown-wsl', 'wait'],
  'use-default': ['user', 'all-users', 'shutdown-wsl', 'wait'],
  diagnose: ['bundle', 'user', 'force', 'error'],
  repair: ['fix', 'from-msi', 'shutdown-wsl', 'wait'],
  history: [],
  'enable-features': ['wait'],
  'sandbox init': ['preset'],
  ...UPDATE_COMMANDS,
} as const satisfies Record<string, readonly string[]>;

export type CommandName = keyof typeof COMMANDS;

const OPTIONS = {
  json: { type: 'boolean' },
  machine: { type: 'string' },
  payload: { type: 'string' },
  force: { type: 'boolean' },
  'allow-downgrade': { type: 'boolean' },
  'allow-older': { type: 'boolean' },
  user: { type: 'string' },
  'all-users': { type: 'boolean' },
  'take-over': { type: 'boolean' },
  'shutdown-wsl': { type: 'boolean' },
  verify: { type: 'boolean' },
  'auto-rollback': { type: 'boolean' },
  bundle: { type: 'string' },
  fix: { type: 'string' },
  error: { type: 'string' },
  'from-msi': { type: 'string' },
  preset: { type: 'string' },
  wait: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** `update --version V` takes a value, where a bare `--version` prints the tool's version. */
const UPDATE_LINE_OPTIONS = { ...OPTIONS, ...UPDATE_OPTIONS } as const;
const OTHER_LINE_OPTIONS = { ...OPTIONS, ...UPDATE_OPTIONS, version: OPTIONS.version } as const;

export interface ParsedArgs {
  command: CommandName | 'help' | 'version';
  positionals: string[];
  json: boolean;
  machine?: string;
  values: Record<string, string | boolean | undefined>;
}

/** Whether `--json` was asked for, even when the rest of the line is invalid. */
export function wantsJson(argv: string[]): boolean {
  return argv.includes('--json');
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = argv.includes('update')
      ? parseArgs({ args: argv, options: UPDATE_LINE_OPTIONS, allowPositionals: true, strict: true, tokens: true })
      : parseArgs({ args: argv, options: OTHER_LINE_OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    throw new KernelSetupError('usage', (err as Error).message);
  }
  const { values, positionals, tokens } = parsed;
  // An option given twice is a mistake in a script, not a choice of the last one.
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    if (seen.has(t.name)) throw new KernelSetupError('usage', `--${t.name} is given more than once.`);
    seen.add(t.name);
  }
  const json = values.json === true;
  const base = { json, values: values as ParsedArgs['values'], ...(values.machine ? { machine: values.machine } : {}) };
  if (values.version === true || (values.version && positionals[0] !== 'update')) return { command: 'version', positionals, ...base };
  // With --json, stdout must be one JSON object: no command is a usage error, not the help text.
  if (!values.help && positionals.length === 0 && json) throw new KernelSetupError('usage', 'No command given. Run with --help to see the commands.');
  if (values.help || positionals.length === 0) return { command: 'help', positionals, ...base };
  let command = positionals[0]!;
  let rest = positionals.slice(1);
  if (command === 'sandbox') {
    if (rest[0] !== 'init') throw new KernelSetupError('usage', 'Use: sandbox init DIR [--preset NAME].');
    if (!rest[1]) throw new KernelSetupError('usage', 'sandbox init needs a folder: sandbox init DIR [--preset NAME].');
    command = 'sandbox init';
    rest = rest.slice(1);
  }
  if (!(command in COMMANDS)) throw new KernelSetupError('usage', `Unknown command "${command}".`);
  const name = command as CommandName;
  const allowed = new Set<string>([...COMMANDS[name], 'json', 'machine', 'help']);
  for (const key of Object.keys(values)) {
    if (!allowed.has(key)) throw new KernelSetupError('usage', `--${key} is not an option of "${name}".`);
  }
  const maxRest = name === 'hold' ? 1 : 0;
  if (name !== 'sandbox init' && rest.length > maxRest) throw new KernelSetupError('usage', `Unexpected argument "${rest[maxRest]}".`);
  if (name === 'sandbox init' && rest.length > 1) throw new KernelSetupError('usage', `Unexpected argument "${rest[1]}".`);
  if (values['auto-rollback'] && !values.verify) throw new KernelSetupError('usage', '--auto-rollback needs --verify: the rollback follows a boot check that failed.');
  if (values.wait !== undefined && !/^\d+(\.\d+)?$/.test(values.wait)) throw new KernelSetupError('usage', '--wait takes a number of seconds.');
  for (const key of ['machine', 'payload', 'bundle', 'fix', 'from-msi', 'preset', 'feed', 'root', 'version', 'error'] as const) {
    if (values[key] === '') throw new KernelSetupError('usage', `--${key} needs a value.`);
  }
  return { command: name, positionals: rest, ...base };
}

export const HELP = `WSL Kernel Setup: install, update, roll back and repair the WSL 2 kernel.

Usage: wslk <command> [options]

Commands:
  status            [--json]                 What is installed and which kernel WSL boots
  precheck          [--payload PATH] [--json] Check this machine can take the kernel
  install           [--payload PATH] [--force] [--allow-downgrade] [--shutdown-wsl] [--json]
                    [--verify [--auto-rollback]]  restart WSL, check the new kernel boots
                    store WSL: [--user NAME | --all-users] [--take-over] [--allow-older]
  verify            [--json]                   Start WSL and check it runs the kernel it should boot
  rollback          [--shutdown-wsl] [--json]  Boot kernel.rollback (wsl --update --rollback)
  undo-rollback     [--shutdown-wsl] [--json]  Boot the current kernel again
  use-default       [--user NAME | --all-users] [--json]  Store WSL: boot WSL's own kernel again
  diagnose          [--bundle FILE [--force]] [--json]  Find what is wrong (--force: replace FILE)
                    [--error "TEXT" | --error -]  What an error WSL showed means here (-: read it from stdin)
  repair            [--fix ID] [--from-msi FILE] [--json]
  history           [--json]                   The operations done on this machine
  enable-features   [--json]                   Turn on WSL and Virtual Machine Platform (dism.exe)
  sandbox init DIR  [--preset NAME]            Create a sandbox machine folder
${UPDATE_HELP}
Global options:
  --machine DIR     Work on a sandbox folder (default: this Windows machine; elsewhere the
                    default sandbox)
  --user NAME       Whose .wslconfig counts (default: the signed-in user)
  --wait SECONDS    (changing commands) wait for another running operation instead of failing
  --json            Print exactly one JSON object on stdout

Exit codes: 0 success, 5 not elevated, 1602 cancelled, 1603 failed or refused (nothing changed),
1618 another operation in progress, 1627 the kernel did not boot (--verify, verify),
1633 wrong architecture, 1638 downgrade refused, 1639 bad command line.
`;
