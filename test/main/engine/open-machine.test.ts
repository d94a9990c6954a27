/** openMachine: the one way every entry point opens a machine, with the options each one passes. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentMachine } from '../../../src/main/app/current-machine';
import { openMachine, payloadDirs } from '../../../src/main/engine';
import { REG } from '../../../src/main/engine/machine/machine';
import { tempDir } from '../../helpers/sandbox';

describe('payloadDirs', () => {
  it('looks in an installed app’s resources, then in a checkout’s assets', () => {
    expect(payloadDirs({ resources: '/r' })).toEqual([join('/r', 'payload')]);
    expect(payloadDirs({ checkout: '/a' })).toEqual([join('/a', 'assets', 'payload')]);
    expect(payloadDirs({ resources: '/r', checkout: '/a' })).toEqual([join('/r', 'payload'), join('/a', 'assets', 'payload')]);
  });
});

describe('openMachine', () => {
  let t: { dir: string; cleanup(): Promise<void> };
  beforeEach(async () => {
    t = await tempDir('wslk-open-machine-');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('creates a fresh sandbox in a missing or empty folder (the app)', async () => {
    const missing = join(t.dir, 'new');
    const engine = await openMachine({ dir: missing, unmade: 'create', payloadDirs: [] });
    expect(engine.machine.kind).toBe('sandbox');
    expect(existsSync(join(missing, 'machine.reg'))).toBe(true);
    expect(await engine.machine.registry.keyExists(REG.lxssManager)).toBe(true);
    const empty = join(t.dir, 'empty');
    await mkdir(empty);
    expect((await openMachine({ dir: empty, unmade: 'create', payloadDirs: [] })).machine.root).toBe(empty);
  });

  it('creates from the preset asked for', async () => {
    const dir = join(t.dir, 'arm');
    const engine = await openMachine({ dir, unmade: 'create', preset: 'arm64', payloadDirs: [] });
    expect(await engine.arch()).toBe('arm64');
  });

  it('opens an existing sandbox as it is and leaves a folder of other files alone', async () => {
    const dir = join(t.dir, 'sb');
    await openMachine({ dir, unmade: 'create', payloadDirs: [] });
    await writeFile(join(dir, 'machine.json'), JSON.stringify({ elevated: false }));
    expect(await (await openMachine({ dir, unmade: 'create', payloadDirs: [] })).machine.facts.isElevated()).toBe(false);
    const docs = join(t.dir, 'documents');
    await mkdir(docs);
    await writeFile(join(docs, 'thesis.txt'), 'mine');
    await expect(openMachine({ dir: docs, unmade: 'create', payloadDirs: [] })).rejects.toMatchObject({ code: 'invalid-machine' });
    expect(existsSync(join(docs, 'machine.reg'))).toBe(false);
  });

  it('refuses a folder without machine.reg when asked to (the browser host), and writes nothing', async () => {
    const empty = join(t.dir, 'empty');
    await mkdir(empty);
    await expect(openMachine({ dir: empty, unmade: 'refuse', payloadDirs: [] })).rejects.toThrow('is not a sandbox folder (it has no machine.reg)');
    expect(existsSync(join(empty, 'machine.reg'))).toBe(false);
  });

  it('opens an existing folder as it is by default (the CLI: every sandbox file is optional)', async () => {
    const bare = join(t.dir, 'bare');
    await mkdir(bare);
    const engine = await openMachine({ dir: bare, payloadDirs: [] });
    expect(engine.machine.root).toBe(bare);
    expect(existsSync(join(bare, 'machine.reg'))).toBe(false);
    await expect(openMachine({ dir: join(t.dir, 'missing'), payloadDirs: [] })).rejects.toMatchObject({ code: 'invalid-machine' });
  });

  it('uses the default sandbox (WSLK_SANDBOX) when no folder is named, created on first use', async () => {
    const saved = process.env.WSLK_SANDBOX;
    process.env.WSLK_SANDBOX = join(t.dir, 'from-env');
    try {
      const engine = await openMachine({ windows: false, payloadDirs: [] });
      expect(engine.machine.root).toBe(join(t.dir, 'from-env'));
      expect(existsSync(join(t.dir, 'from-env', 'machine.reg'))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.WSLK_SANDBOX;
      else process.env.WSLK_SANDBOX = saved;
    }
  });

  it('switches sandboxes with recovery, and a refused folder leaves the current machine in place', async () => {
    const first = join(t.dir, 'one');
    const open = (dir: string) => openMachine({ dir, unmade: 'create', payloadDirs: [], recover: true });
    const machine = currentMachine(await open(first), open);
    expect(machine.getEngine().machine.root).toBe(first);
    const second = join(t.dir, 'two');
    expect(await machine.setMachine(second)).toEqual({ kind: 'sandbox', label: `sandbox ${second}`, root: second });
    expect(machine.getEngine().machine.root).toBe(second);
    await mkdir(join(t.dir, 'docs'));
    await writeFile(join(t.dir, 'docs', 'a'), 'x');
    await expect(machine.setMachine(join(t.dir, 'docs'))).rejects.toMatchObject({ code: 'invalid-machine' });
    expect(machine.getEngine().machine.root).toBe(second);
  });
});

describe('the demo payload of a sandbox', () => {
  let t: { dir: string; cleanup(): Promise<void> };
  beforeEach(async () => {
    t = await tempDir('wslk-demo-payload-');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('is written once and whole when several commands ask for it at once (the app asks status, plan and info together)', async () => {
    const engine = await openMachine({ dir: join(t.dir, 'sb'), unmade: 'create', payloadDirs: [] });
    const payloads = await Promise.all(Array.from({ length: 6 }, () => engine.resolvePayload()));
    const hashes = new Set(payloads.map((p) => p?.sha256));
    expect(hashes.size).toBe(1);
    expect(payloads[0]).toMatchObject({ version: expect.any(String), size: expect.any(Number) });
  });
});
