/** Test feeds: a published feed of synthetic kernels, and the sandbox client that reads it. */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Engine } from '../../src/main/engine/engine';
import type { Channel } from '../../src/main/engine/feed/feed-format';
import { UpdateCommands } from '../../src/main/engine/feed/update-commands';
import { addKernel, initFeed } from '../../src/main/publisher/feed-commands';
import { kernel } from './sandbox';

export interface TestFeed {
  dir: string;
  keys: string;
  /** The root.json a client starts from (version 1). */
  root: string;
  /** Kernel file per version. */
  kernels: Record<string, string>;
}

/** A new feed in `work/feed` with the given kernels published (1 MiB + i·4 KiB each, so sizes differ). */
export async function makeFeed(work: string, published: { version: string; channel?: Channel; notes?: string }[], name = 'feed'): Promise<TestFeed> {
  const dir = join(work, name);
  const keys = join(work, `${name}.keys`);
  await initFeed(dir, keys);
  const kdir = join(work, `${name}-kernels`);
  await import('node:fs/promises').then((f) => f.mkdir(kdir, { recursive: true }));
  const kernels: Record<string, string> = {};
  for (const [i, k] of published.entries()) {
    kernels[k.version] = await kernel(kdir, k.version, (1 << 20) + i * 4096);
    await addKernel(dir, keys, kernels[k.version]!, { ...(k.channel ? { channel: k.channel } : {}), ...(k.notes ? { notes: k.notes } : {}) });
  }
  return { dir, keys, root: join(dir, '1.root.json'), kernels };
}

export function updates(engine: Engine, feed: TestFeed): { cmds: UpdateCommands; opts: { feed?: string; trustedRoots: string[] } } {
  return { cmds: new UpdateCommands(engine, { command: process.execPath, args: ['wslk.cjs'] }), opts: { trustedRoots: [feed.root] } };
}

export async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** name → sha256 of every file in the tools folder: "nothing written" means this did not change. */
export async function toolsPicture(toolsDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(toolsDir).catch(() => [])).sort()) out[name] = await sha256(join(toolsDir, name));
  return out;
}
