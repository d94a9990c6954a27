/** Command-line shape of the update commands (docs/design.md §12); their code loads only when one runs. */
export const UPDATE_COMMANDS = {
  'check-update': ['feed', 'channel', 'root'],
  update: ['feed', 'channel', 'root', 'version', 'auto', 'force', 'allow-downgrade', 'shutdown-wsl', 'verify', 'auto-rollback', 'wait'],
  hold: [],
  unhold: [],
  'update-config': ['feed', 'channel', 'root', 'auto-update'],
} as const satisfies Record<string, readonly string[]>;

export type UpdateCommandName = keyof typeof UPDATE_COMMANDS;

export const UPDATE_OPTIONS = {
  feed: { type: 'string' },
  channel: { type: 'string' },
  root: { type: 'string' },
  version: { type: 'string' },
  auto: { type: 'boolean' },
  'auto-update': { type: 'string' },
} as const;

export const UPDATE_HELP = `  check-update      [--feed URL|DIR] [--channel stable|preview] [--root FILE] [--json]
                                             Is a newer signed kernel available?
  update            [--version V] [--auto] [--shutdown-wsl] [--allow-downgrade] [--json]
                    [--verify [--auto-rollback]]  Download, verify and install it from the feed
  hold [VERSION]    / unhold                 Keep automatic updates at a version (default: installed)
  update-config     [--feed URL|DIR] [--channel C] [--root FILE] [--auto-update on|off]
`;
