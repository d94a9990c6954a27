/**
 * Hostile state files: a fuzzed journal.json, state.json, facts-cache.json, operation.lock,
 * machine.json or machine.reg must never crash a command, never hang it, never make it write outside
 * the sandbox's own places, never leave WSL without a kernel; a damaged state.json or machine.reg is
 * reported (invalid-machine) and never overwritten.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import type { CommandResult } from '../../src/shared/types';
import { Engine } from '../../src/main/engine/engine';
import { nodeFs } from '../../src/main/engine/machine/fs-port';
import { openSandbox } from '../../src/main/engine/sandbox/sandbox-machine';
import { fastCheckSummary, recordingFs, withoutFlush } from './fault-fs';
import { checkInvariants } from './invariants';
import type { SeedKernels } from './kernels';
import type { Templates } from './scenarios';
import { stateDirOf, takeSnapshot, toolsDirOf } from './snapshot';

export type StateTarget = 'journal.json' | 'state.json' | 'facts-cache.json' | 'operation.lock' | 'machine.json' | 'machine.reg';
export const STATE_TARGETS: StateTarget[] = ['journal.json', 'state.json', 'facts-cache.json', 'operation.lock', 'machine.json', 'machine.reg'];

function pathOf(root: string, target: StateTarget): string {
  return target.startsWith('machine.') ? join(root, target) : join(stateDirOf(root), target);
}

/** Where a sandbox command may write: the tools and state folders, machine.reg, machine.json (and their temps). */
export function allowedWrite(root: string, path: string): boolean {
  const rel = relative(root, path);
  if (rel.startsWith('..') || rel.startsWith(sep)) return false;
  const tools = relative(root, toolsDirOf(root));
  const state = relative(root, stateDirOf(root));
  if (rel === tools || rel.startsWith(tools + sep) || rel === state || rel.startsWith(state + sep)) return true;
  // mkdir of the parents of the two folders (recursive, they exist already).
  if (tools.startsWith(rel + sep) || state.startsWith(rel + sep)) return true;
  return /^machine\.(reg|json)(\.[0-9a-f]{12}\.tmp)?$/.test(rel);
}

const sha = fc.stringMatching(/^[0-9a-f]{64}$/);
const version = fc.oneof(fc.constantFrom('5.10.102.1', '5.15.153.1', '6.1.21.1', ''), fc.string({ maxLength: 80 }));
const facts = (real: { sha256: string; version: string; release: string; size: number }[]) =>
  fc.oneof(
    fc.constant(null),
    fc.constantFrom(...real),
    fc.record({ sha256: fc.oneof(sha, fc.string()), version, release: fc.string({ maxLength: 300 }), size: fc.oneof(fc.nat(), fc.double()) }, { requiredKeys: [] }),
  );
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** Generators of hostile contents for each target, from realistic to random. */
function contents(target: StateTarget, real: Buffer, k: SeedKernels): fc.Arbitrary<Buffer> {
  const text = (a: fc.Arbitrary<unknown>) => a.map((v) => Buffer.from(JSON.stringify(v)));
  const mutated = fc
    .tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.option(fc.nat()))
    .map(([edits, cut]) => {
      const b = Buffer.from(real);
      for (const [at, v] of edits) if (b.length) b[at % b.length] = v;
      return cut === null || !b.length ? b : b.subarray(0, cut % b.length);
    });
  const random = fc.oneof(fc.uint8Array({ maxLength: 512 }).map((u) => Buffer.from(u)), text(anyJson));
  const kf = (x: { sha256: string; version: string; release: string; size: number }) => ({ sha256: x.sha256, version: x.version, release: x.release, size: x.size });
  const real3 = [kf(k.A), kf(k.B), kf(k.C)];
  let structured: fc.Arbitrary<Buffer>;
  switch (target) {
    case 'journal.json': {
      // Journals the engine's schema accepts, with hostile values where the schema is loose.
      const accepted = text(
        fc.record({
          format: fc.constant(1),
          id: fc.stringMatching(/^[a-z0-9-]{6,20}$/),
          op: fc.constantFrom('install', 'rollback', 'undo-rollback', 'restore-rollback', 'clear-flag', 'cleanup'),
          phase: fc.constantFrom('prepare', 'commit'),
          startedAt: fc.string(),
          pid: fc.integer(),
          temps: fc.array(fc.stringMatching(/^\.wslk-[a-z0-9.-]{1,30}$/), { maxLength: 3 }),
          before: fc.record({ kernel: facts(real3), rollback: facts(real3), flag: fc.boolean(), badVersions: fc.array(version, { maxLength: 5 }) }),
          payload: facts(real3),
          installCase: fc.constantFrom('keep-previous', 'replace-bad', 'fresh'),
          version: fc.option(version),
        }),
      );
      structured = fc.oneof(accepted, text(
        fc.record(
          {
            format: fc.oneof(fc.constant(1), anyJson),
            id: fc.oneof(fc.stringMatching(/^[a-z0-9-]{6,20}$/), fc.string()),
            op: fc.constantFrom('install', 'rollback', 'undo-rollback', 'restore-rollback', 'clear-flag', 'cleanup', 'bogus'),
            phase: fc.constantFrom('prepare', 'commit', 'other'),
            startedAt: fc.string(),
            pid: fc.integer(),
            temps: fc.array(fc.oneof(fc.stringMatching(/^\.wslk-[a-z0-9.-]{1,30}$/), fc.string()), { maxLength: 4 }),
            before: fc.record({ kernel: facts(real3), rollback: facts(real3), flag: fc.boolean(), badVersions: fc.array(version, { maxLength: 5 }) }, { requiredKeys: [] }),
            payload: facts(real3),
            installCase: fc.constantFrom('keep-previous', 'replace-bad', 'fresh', 'x'),
            version: fc.option(version),
          },
          { requiredKeys: ['format', 'id', 'op', 'phase', 'temps', 'before'] },
        ),
      ));
      break;
    }
    case 'state.json':
      structured = text(
        fc.record(
          { format: fc.oneof(fc.constant(1), anyJson), badVersions: fc.array(version, { maxLength: 8 }), slots: fc.record({ kernel: facts(real3), rollback: facts(real3) }, { requiredKeys: [] }) },
          { requiredKeys: [] },
        ),
      );
      break;
    case 'facts-cache.json': {
      // Entries that match the slot files' real size, mtime and file id (filled in for each copy:
      // -1 stands for "the real one"), with fuzzed facts.
      const entry = () =>
        fc.record(
          {
            size: fc.constant(-1),
            mtimeMs: fc.constant(-1),
            ino: fc.constant(-1),
            sha256: fc.oneof(sha, fc.constantFrom(k.A.sha256, k.B.sha256, k.C.sha256), anyJson),
            header: fc.oneof(fc.constant(null), anyJson, fc.record({ arch: fc.constantFrom('x64', 'arm64', 'mips'), release: fc.string(), version }, { requiredKeys: [] })),
            problem: fc.oneof(fc.constant(null), fc.constantFrom('not-a-kernel', 'wrong-architecture', 'bogus')),
          },
          { requiredKeys: ['size', 'mtimeMs', 'ino'] },
        );
      structured = text(fc.record({ kernel: entry(), 'kernel.rollback': entry() }, { requiredKeys: [] }));
      break;
    }
    case 'operation.lock':
      structured = text(
        fc.record(
          { pid: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(process.pid), fc.integer({ min: 1_000_000, max: 2 ** 31 }), fc.double()), host: fc.oneof(fc.constant(hostname()), fc.string()), op: fc.string(), since: fc.string(), boot: fc.oneof(fc.integer(), fc.double()), token: fc.string() },
          { requiredKeys: [] },
        ),
      );
      break;
    case 'machine.json':
      structured = text(
        fc.record(
          { elevated: fc.oneof(fc.boolean(), anyJson), freeBytes: fc.oneof(fc.nat(), fc.integer(), fc.double()), wsl: fc.oneof(anyJson, fc.record({ running: fc.array(fc.string({ maxLength: 300 }), { maxLength: 3 }), shutdowns: fc.integer() }, { requiredKeys: [] })) },
          { requiredKeys: [] },
        ),
      );
      break;
    case 'machine.reg': {
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(real.toString('utf8'), 'utf16le')]);
      structured = fc.oneof(fc.constant(utf16), fc.constant(utf16).chain((u) => fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, v]) => {
        const b = Buffer.from(u);
        b[at % b.length] = v;
        return b;
      })));
      break;
    }
  }
  return fc.oneof({ arbitrary: structured, weight: 3 }, { arbitrary: mutated, weight: 3 }, { arbitrary: random, weight: 1 });
}

/** Put the copied slot files' real size, mtime and file id where a fuzzed cache entry says -1. */
function withRealStats(bytes: Buffer, root: string): Buffer {
  let data: Record<string, Record<string, unknown>>;
  try {
    data = JSON.parse(bytes.toString('utf8')) as typeof data;
  } catch {
    return bytes;
  }
  if (!data || typeof data !== 'object') return bytes;
  for (const name of ['kernel', 'kernel.rollback']) {
    const e = data[name];
    if (!e || typeof e !== 'object' || e.ino !== -1) continue;
    const st = statSync(join(toolsDirOf(root), name));
    Object.assign(e, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
  }
  return Buffer.from(JSON.stringify(data));
}

/** A command, with a hang guard: none of them waits for anything (no --wait). */
async function guarded(name: string, fn: () => Promise<CommandResult>): Promise<CommandResult | string> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`${name} did not finish within 20 s`), 20_000)));
  try {
    return await Promise.race([fn().catch((err: unknown) => `${name} threw: ${(err as Error)?.stack ?? String(err)}`), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fuzz one target file; returns the violations and the number of iterations run. */
export async function fuzzStateFile(target: StateTarget, opts: { templates: Templates; kernels: SeedKernels; work: string; runs: number; seed: number }): Promise<{ violations: string[]; runs: number }> {
  const violations: string[] = [];
  const start = target === 'journal.json' ? 'installed' : 'rolled-back';
  const template = await opts.templates.template(start);
  const realJournal = Buffer.from(JSON.stringify({ format: 1, id: 'abcdef-0123', op: 'rollback', phase: 'commit', startedAt: new Date().toISOString(), pid: 1, temps: [], before: { kernel: null, rollback: null, flag: false, badVersions: [] }, version: '5.15.153.1' }));
  const real = target === 'journal.json' ? realJournal : target === 'operation.lock' ? Buffer.from(JSON.stringify({ pid: 1, host: hostname(), op: 'install', since: new Date().toISOString() })) : readFileSync(pathOf(template, target));
  let runs = 0;
  const property = fc.asyncProperty(contents(target, real, opts.kernels), async (bytes) => {
    runs++;
    const root = await opts.templates.copy(start, opts.work);
    const before = await takeSnapshot(root);
    writeFileSync(pathOf(root, target), target === 'facts-cache.json' ? withRealStats(bytes, root) : bytes);
    const written: string[] = [];
    const problems: string[] = [];
    const fs = recordingFs(withoutFlush(nodeFs), written);
    let results: (CommandResult | string)[] = [];
    let openedInvalid = false;
    try {
      const engine = new Engine(await openSandbox(root, fs));
      results = [
        await guarded('status', () => engine.status()),
        await guarded('rollback', () => engine.rollback()),
        await guarded('undo-rollback', () => engine.undoRollback()),
        await guarded('install', () => engine.install({ payload: opts.kernels.C.path })),
      ];
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'invalid-machine') problems.push(`opening the machine threw ${code ?? ''} ${(err as Error).message}`);
      openedInvalid = true;
    }
    for (const r of results) {
      if (typeof r === 'string') problems.push(r);
      else if (r.code === 'io-error') problems.push(`io-error (an unexpected exception): ${r.message.slice(0, 300)}`);
    }
    for (const p of written) if (!allowedWrite(root, p)) problems.push(`wrote outside the sandbox's own places: ${p}`);
    const invalid = openedInvalid || results.some((r) => typeof r !== 'string' && r.code === 'invalid-machine');
    if ((target === 'state.json' || target === 'machine.reg' || target === 'machine.json') && invalid && !readFileSync(pathOf(root, target)).equals(bytes)) {
      problems.push(`${target} was reported damaged and then overwritten`);
    }
    for (const v of await checkInvariants(root, { before, phase: 'instant' })) {
      if (!(target === 'machine.reg' && v.startsWith('machine.reg does not parse'))) problems.push(v);
    }
    // Whatever the journal said, what recovery wrote must be readable by the tool itself.
    if (target !== 'state.json' && !invalid) {
      const st = await new Engine(await openSandbox(root)).status();
      if (st.code === 'invalid-machine') problems.push(`after recovery the tool cannot read its own state: ${st.message}`);
    }
    if (problems.length) throw new Error(`${problems.join('; ')} — with ${target} = ${JSON.stringify(bytes.toString('latin1').slice(0, 400))}`);
  });
  try {
    await fc.assert(property, { numRuns: opts.runs, seed: opts.seed, endOnFailure: true });
  } catch (err) {
    violations.push(`${target}: ${fastCheckSummary(err).slice(0, 1500)}`);
  }
  return { violations, runs };
}
