/**
 * `npm run feed -- demo DIR`: a local feed with the seed's three kernels A, B and C (labelled demo
 * kernels from the sandbox's builder), to try the automatic update story on a sandbox in a minute.
 * A and B are published; C waits in `DIR/incoming/C` until the walkthrough publishes it.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { nodeFs } from '../engine/machine/fs-port';
import { writeDemoKernel } from '../engine/sandbox/kernel-builder';
import type { Arch } from '../../shared/types';
import { addKernel, initFeed } from './feed-commands';

export const DEMO_KERNELS = { A: '5.10.102.1', B: '5.15.153.1', C: '6.1.21.1' } as const;

export async function buildDemoFeed(dir: string, arch: Arch = 'x64'): Promise<{ feed: string; keys: string; incoming: string; walkthrough: string }> {
  const root = resolve(dir);
  const feed = join(root, 'feed');
  const keys = join(root, 'feed.keys');
  await initFeed(feed, keys);
  const kernels: Record<string, string> = {};
  for (const [name, version] of Object.entries(DEMO_KERNELS)) {
    const folder = join(root, 'incoming', name);
    await mkdir(folder, { recursive: true });
    // Distinct sizes, so a slot's size alone tells which kernel it holds.
    await writeDemoKernel(nodeFs, join(folder, 'kernel'), arch, { version, size: (1 << 20) + Object.keys(kernels).length * 4096 });
    kernels[name] = folder;
  }
  await addKernel(feed, keys, kernels.A!, { notes: 'Demo kernel A.' });
  await addKernel(feed, keys, kernels.B!, { notes: 'Demo kernel B: the one you will roll back from.' });
  const m = join(root, 'machine');
  const w = `npm run --silent cli -- --machine ${m}`;
  const walkthrough = [
    `Demo feed: ${feed} (kernels A ${DEMO_KERNELS.A} and B ${DEMO_KERNELS.B}; C ${DEMO_KERNELS.C} waits in ${kernels.C}).`,
    `Signing keys: ${keys} (root/ and online/ kept apart; never publish this folder).`,
    '',
    'Try the story on a sandbox:',
    `  npm run --silent cli -- sandbox init ${m} --preset fresh`,
    `  ${w} update-config --feed ${feed} --root ${join(feed, '1.root.json')} --auto-update on`,
    `  ${w} update --version ${DEMO_KERNELS.A}          # install A from the feed`,
    `  ${w} update --auto                      # B arrives automatically`,
    `  ${w} rollback                           # B misbehaves: back to A, B is marked bad`,
    `  npm run feed -- add ${feed} ${kernels.C}   # the publisher ships C`,
    `  ${w} update --auto                      # C is installed, A stays in kernel.rollback; B is never offered`,
    `  ${w} status`,
  ].join('\n');
  return { feed, keys, incoming: join(root, 'incoming'), walkthrough };
}
