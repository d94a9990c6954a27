/**
 * The publisher's command line (`npm run feed -- <command>`), docs/design.md §12:
 *   init FEED [--keys DIR]                  new feed with Ed25519 keys (root kept apart from online keys)
 *   add FEED PATH [--channel stable|preview] [--notes TEXT]
 *   remove FEED VERSION [--arch x64|arm64]
 *   list FEED
 *   sign FEED [--targets]                   fresh snapshot and timestamp (run at least weekly)
 *   rotate-root FEED [--role root|targets|snapshot|timestamp]
 *   demo DIR                                a local feed with the seed's kernels A, B, C
 */
import { parseArgs } from 'node:util';
import type { Arch } from '../../shared/types';
import type { Channel } from '../engine/feed/feed-format';
import { addKernel, initFeed, listKernels, removeKernel, rotateKey, signFeed } from './feed-commands';
import { defaultKeysDir } from './feed-repo';
import type { RoleName } from './keys';
import { buildDemoFeed } from './demo';

const USAGE = `Usage: npm run feed -- <command>
  init FEED [--keys DIR]                      create a feed folder; keys go to FEED.keys (or DIR)
  add FEED PATH [--channel stable|preview] [--notes TEXT]
                                              publish a kernel file, or a folder with kernel (+ modules.vhd)
  remove FEED VERSION [--arch x64|arm64]      withdraw a kernel
  list FEED                                   the kernels the feed offers
  sign FEED [--targets]                       re-sign snapshot and timestamp with fresh expiry dates
  rotate-root FEED [--role ROLE]              replace a key (default: the root key); writes a new root.json version
  demo DIR                                    build a demo feed with kernels A, B and C
Options: --keys DIR (the keys folder; default FEED.keys)`;

export async function runFeedCli(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { keys: { type: 'string' }, channel: { type: 'string' }, notes: { type: 'string' }, arch: { type: 'string' }, targets: { type: 'boolean' }, role: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, target, extra] = positionals;
  if (values.help || !command) return USAGE;
  if (!target) throw new Error(`${command} needs a folder.\n${USAGE}`);
  const keys = values.keys ?? defaultKeysDir(target);
  switch (command) {
    case 'init': {
      const r = await initFeed(target, keys);
      return `Created feed ${target}.\nTrusted root for clients: ${r.root} (ship it as assets/feed/root.json or place it in the state folder as feed-root.json).\nKeys: ${keys} (keep root/ offline; never publish this folder).`;
    }
    case 'add': {
      if (!extra) throw new Error('add needs a kernel file or folder.');
      const channel = (values.channel ?? 'stable') as Channel;
      if (channel !== 'stable' && channel !== 'preview') throw new Error('--channel is stable or preview.');
      const k = await addKernel(target, keys, extra, { channel, ...(values.notes ? { notes: values.notes } : {}) });
      return `Published kernel ${k.version} (${k.release}, ${k.arch}, ${k.channel}) as ${k.path}.`;
    }
    case 'remove': {
      if (!extra) throw new Error('remove needs a version.');
      const arch = values.arch as Arch | undefined;
      const removed = await removeKernel(target, keys, extra, arch ? { arch } : {});
      return `Removed ${removed.join(', ')}.`;
    }
    case 'list':
      return (await listKernels(target)).map((k) => `${k.version}\t${k.arch}\t${k.channel}\t${k.release}`).join('\n') || '(no kernels)';
    case 'sign': {
      const v = await signFeed(target, keys, { targets: values.targets === true });
      return `Signed: targets v${v.targets}, snapshot v${v.snapshot}, timestamp v${v.timestamp}.`;
    }
    case 'rotate-root': {
      const role = (values.role ?? 'root') as RoleName;
      if (!['root', 'targets', 'snapshot', 'timestamp'].includes(role)) throw new Error('--role is root, targets, snapshot or timestamp.');
      const r = await rotateKey(target, keys, role);
      return `New ${role} key ${r.keyid.slice(0, 16)}…; root.json is now version ${r.rootVersion}, signed by the old root${role === 'root' ? ' and the new one' : ''}.`;
    }
    case 'demo':
      return (await buildDemoFeed(target)).walkthrough;
    default:
      throw new Error(`Unknown command "${command}".\n${USAGE}`);
  }
}

if (process.argv[1] && /publisher[\\/]cli\.ts$/.test(process.argv[1])) {
  runFeedCli(process.argv.slice(2)).then(
    (out) => console.log(out),
    (err: unknown) => {
      console.error(`feed: ${(err as Error).message}`);
      process.exitCode = 1;
    },
  );
}
