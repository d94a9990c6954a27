/**
 * Hostile input: property-based fuzzing (fast-check) of the tool's state files,
 * machine.json and machine.reg as commands meet them, of payloads and their manifests, of the
 * kernel header reader and of the .reg parser/writer; plus a few CLI runs for the exit codes.
 * (The MSI/cabinet reader has its own mutation fuzz in test/main/engine/msi/msi.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildArm64Image, demoRelease } from '../../src/main/engine/sandbox/kernel-builder';
import { buildCli, runCli } from '../helpers/cli';
import { fuzzHeaders, fuzzManifests, fuzzReg, payloadRefusals } from '../helpers/fuzz-parsers';
import { fuzzCabinets } from '../helpers/fuzz-cabinets';
import { STATE_TARGETS, fuzzStateFile } from '../helpers/fuzz-state';
import { makeSeedKernels } from '../helpers/kernels';
import { scratch } from '../helpers/paths';
import { progress, runSuite } from '../helpers/report';
import { Templates } from '../helpers/scenarios';
import { stateDirOf, takeSnapshot } from '../helpers/snapshot';

runSuite('hostile-input', async (args) => {
  const runs = args.numbers.runs ?? (args.full ? 1000 : 120);
  const { dir, cleanup } = await scratch('hostile');
  const violations: string[] = [];
  const m = { stateFileRuns: 0, payloadCases: 0, manifestRuns: 0, headerRuns: 0, regRuns: 0, cabinetRuns: 0, cliRuns: 0, longValueMs: 0, seed: args.seed };
  try {
    mkdirSync(join(dir, 'kernels'));
    const kernels = await makeSeedKernels(join(dir, 'kernels'), 192 * 1024);
    const templates = new Templates(dir, kernels);
    for (const target of STATE_TARGETS) {
      const r = await fuzzStateFile(target, { templates, kernels, work: join(dir, 'state-case'), runs, seed: args.seed });
      violations.push(...r.violations);
      m.stateFileRuns += r.runs;
      progress(`hostile-input: ${target}: ${r.runs} runs, ${r.violations.length} violations`);
    }
    const p = await payloadRefusals({ templates, kernels, dir: join(dir, 'payloads'), runs, seed: args.seed });
    violations.push(...p.violations);
    m.payloadCases += p.cases;
    const mf = await fuzzManifests({ templates, kernels, dir: join(dir, 'manifests'), runs, seed: args.seed });
    violations.push(...mf.violations);
    m.manifestRuns += mf.runs;
    const h = await fuzzHeaders(runs * 10, args.seed);
    violations.push(...h.violations);
    m.headerRuns += h.runs;
    const g = fuzzReg(runs * 20, args.seed);
    violations.push(...g.violations);
    m.regRuns += g.runs;
    const cabs = await fuzzCabinets(runs * 5, args.seed);
    violations.push(...cabs.violations);
    m.cabinetRuns += cabs.runs;
    progress(`hostile-input: payloads ${p.cases}, manifests ${mf.runs}, headers ${h.runs}, .reg ${g.runs}, cabinets ${cabs.runs}`);

    // The same refusals through the real CLI: exit codes as the shell sees them (low byte of docs/design.md §7's).
    buildCli();
    const arm = join(dir, 'arm64-kernel');
    writeFileSync(arm, buildArm64Image({ release: demoRelease('6.1.21.1'), size: 128 * 1024 }));
    const junk = join(dir, 'junk');
    writeFileSync(junk, Buffer.alloc(4096, 0x41));
    const cli = async (name: string, start: string, prepare: (root: string) => void, argv: string[], code: string | null, exit: number) => {
      const root = await templates.copy(start, join(dir, `cli-${m.cliRuns}`));
      prepare(root);
      const before = await takeSnapshot(root);
      const r = await runCli([...argv, '--machine', root, '--json']);
      m.cliRuns++;
      if ((r.json?.code ?? null) !== code || r.code !== exit) violations.push(`CLI ${name}: exit ${r.code ?? r.signal} with ${r.json?.code ?? 'no JSON'}, expected ${exit} with ${code}`);
      const after = await takeSnapshot(root);
      if (code && JSON.stringify(before.tools) !== JSON.stringify(after.tools)) violations.push(`CLI ${name}: the tools folder changed`);
    };
    await cli('not a kernel', 'installed', () => undefined, ['install', '--payload', junk], 'not-a-kernel', 1603 % 256);
    await cli('wrong architecture', 'installed', () => undefined, ['install', '--payload', arm], 'wrong-architecture', 1633 % 256);
    await cli('damaged state.json', 'rolled-back', (root) => writeFileSync(join(stateDirOf(root), 'state.json'), '{"format":1,"badVer'), ['undo-rollback'], 'invalid-machine', 1603 % 256);
    await cli('garbage journal', 'installed', (root) => writeFileSync(join(stateDirOf(root), 'journal.json'), Buffer.alloc(300, 0)), ['status'], null, 0);
    await cli('damaged machine.json', 'installed', (root) => writeFileSync(join(root, 'machine.json'), '{"elevated": tru'), ['status'], 'invalid-machine', 1603 % 256);
    // Special files read from outside: refused with a code, never a hang while holding the lock.
    const fifo = join(dir, 'fifo-payload');
    execFileSync('mkfifo', [fifo]);
    const zero = join(dir, 'zero-payload');
    symlinkSync('/dev/zero', zero);
    const withFifoManifest = join(dir, 'fifo-manifest');
    mkdirSync(withFifoManifest);
    writeFileSync(join(withFifoManifest, 'kernel'), readFileSync(kernels.C.path));
    execFileSync('mkfifo', [join(withFifoManifest, 'manifest.json')]);
    await cli('FIFO payload', 'installed', () => undefined, ['install', '--payload', fifo], 'not-a-kernel', 1603 % 256);
    await cli('link to /dev/zero as payload', 'installed', () => undefined, ['install', '--payload', zero], 'not-a-kernel', 1603 % 256);
    await cli('/dev/null as payload', 'installed', () => undefined, ['install', '--payload', '/dev/null'], 'not-a-kernel', 1603 % 256);
    await cli('FIFO manifest.json', 'installed', () => undefined, ['install', '--payload', withFifoManifest], 'not-a-kernel', 1603 % 256);
    await cli('FIFO machine.reg', 'installed', (root) => { rmSync(join(root, 'machine.reg')); execFileSync('mkfifo', [join(root, 'machine.reg')]); }, ['status'], 'invalid-machine', 1603 % 256);
    // Bundle targets: never over a file the tool owns, never an existing file without --force.
    await cli('bundle over the kernel', 'installed', () => undefined, ['diagnose', '--force', '--bundle', join(dir, `cli-${m.cliRuns}`, 'Windows', 'System32', 'lxss', 'tools', 'kernel')], 'target-refused', 1603 % 256);
    await cli('bundle over machine.reg', 'installed', () => undefined, ['diagnose', '--force', '--bundle', join(dir, `cli-${m.cliRuns}`, 'machine.reg')], 'target-refused', 1603 % 256);
    // A long wrapped value in machine.reg: commands stay fast (parsing is linear).
    const long = `"Blob"=hex:${Array.from({ length: 512 * 1024 }, () => '00').join(',')}`;
    const started = Date.now();
    await cli('512 KiB wrapped value', 'installed', (root) => writeFileSync(join(root, 'machine.reg'), readFileSync(join(root, 'machine.reg'), 'utf8') + `\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Big]\r\n${long.replace(/(.{76})/g, '$1\\\r\n  ')}\r\n`), ['status'], null, 0);
    m.longValueMs = Date.now() - started;
    if (m.longValueMs > 30_000) violations.push(`status with a 512 KiB wrapped value took ${m.longValueMs} ms`);
    await cli('damaged machine.reg', 'installed', (root) => writeFileSync(join(root, 'machine.reg'), 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\X]\r\n"v"=hex:zz\r\n'), ['rollback'], 'invalid-machine', 1603 % 256);
  } finally {
    await cleanup();
  }
  return { metrics: m, violations };
});
