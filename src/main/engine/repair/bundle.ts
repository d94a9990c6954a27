/**
 * `diagnose --bundle FILE`: one JSON file for a support ticket with the status, findings,
 * pre-checks, history, the last logs and a machine summary. Nothing secret: no environment
 * variables, no host name, the home folder as `~` and the user name as `<user>`.
 */
import { join, resolve } from 'node:path';
import { version as toolVersion } from '../../../../package.json';
import type { CommandResult, Finding } from '../../../shared/types';
import { writeFileAtomic } from '../machine/atomic-write';
import type { CommandRunner } from '../ops/command-runner';
import { REG } from '../machine/machine';
import type { RegValue } from '../machine/machine';
import { readHistory, statePaths } from '../state/state-files';
import type { Snapshot } from './inspect';
import { listQuarantine } from '../steps/quarantine';
import { makeRedactor, redactDeep } from './redact';
import { mapFsError } from '../machine/fs-errors';
import { checkBundleTarget } from './bundle-target';

const HISTORY_ENTRIES = 200;
const LOG_FILES = 5;
const LOG_TAIL_BYTES = 64 * 1024;

function text(v: RegValue | null): string | null {
  return v && (v.type === 'REG_SZ' || v.type === 'REG_EXPAND_SZ') ? v.data : null;
}

/** The last bytes of the newest log files in the state folder's `logs` folder. */
async function lastLogs(engine: CommandRunner): Promise<{ file: string; tail: string }[]> {
  const fs = engine.machine.fs;
  const dir = statePaths(engine.machine).logs;
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  } catch {
    return [];
  }
  const out: { file: string; tail: string }[] = [];
  for (const name of names.slice(-LOG_FILES)) {
    try {
      const handle = await fs.open(join(dir, name), 'r');
      try {
        const size = (await handle.stat()).size;
        const len = Math.min(size, LOG_TAIL_BYTES);
        const buf = Buffer.alloc(len);
        let got = 0;
        while (got < len) {
          const n = await handle.read(buf, got, len - got, size - len + got);
          if (n <= 0) break;
          got += n;
        }
        out.push({ file: name, tail: buf.subarray(0, got).toString('utf8') });
      } finally {
        await handle.close();
      }
    } catch {
      /* a log that cannot be read is left out */
    }
  }
  return out;
}

export interface BundleInput {
  snap: Snapshot;
  findings: Finding[];
  status: CommandResult['status'];
}

/** Build the bundle's content (redacted). */
export async function buildBundle(engine: CommandRunner, input: BundleInput): Promise<Record<string, unknown>> {
  const { snap } = input;
  const m = engine.machine;
  const reg = m.registry;
  const w = snap.windows;
  const journal = snap.journal.kind === 'ok' ? snap.journal.journal : snap.journal.kind === 'corrupt' ? { unreadable: snap.journal.reason } : null;
  const bundle = {
    format: 1,
    kind: 'wsl-kernel-setup-diagnostics',
    createdAt: new Date().toISOString(),
    tool: { name: 'WSL Kernel Setup', version: toolVersion, platform: process.platform, node: process.versions.node },
    machine: {
      kind: m.kind,
      label: m.label,
      productName: text(await reg.getValue(REG.currentVersion, 'ProductName')),
      displayVersion: text(await reg.getValue(REG.currentVersion, 'DisplayVersion')),
      build: w.build,
      ubr: w.ubr,
      arch: w.arch,
      processorArchitecture: w.archName,
      features: { wsl: w.wslEnabled, virtualMachinePlatform: w.vmPlatform },
      rebootPending: w.rebootPending,
      elevated: w.elevated,
      freeBytes: Number.isFinite(w.freeBytes) && w.freeBytes < Number.MAX_SAFE_INTEGER ? w.freeBytes : null,
      toolsDir: m.toolsDir,
      stateDir: m.stateDir,
    },
    status: input.status,
    findings: input.findings,
    checks: snap.checks,
    rollbackFlag: snap.flag,
    state: snap.stateProblem ? { unreadable: snap.stateProblem } : { badVersions: snap.state.badVersions, slots: snap.state.slots },
    journal,
    temps: snap.temps.map((t) => ({ path: t.path, size: t.size })),
    quarantine: await listQuarantine({ machine: m }),
    bundledPayload: snap.bundled ? { version: snap.bundled.version, release: snap.bundled.release, arch: snap.bundled.arch, sha256: snap.bundled.sha256, size: snap.bundled.size } : null,
    bundledPayloadProblem: snap.bundledProblem,
    history: await readHistory(m, HISTORY_ENTRIES),
    logs: await lastLogs(engine),
  };
  return redactDeep(bundle, makeRedactor());
}

/** Write the bundle atomically (a complete file or none) and return its absolute path. */
export async function writeBundle(engine: CommandRunner, file: string, input: BundleInput, force = false): Promise<string> {
  // Checked before anything is built, and the content goes to a temp file renamed into place.
  const target = await checkBundleTarget(engine.machine, resolve(file), force);
  const content = await buildBundle(engine, input);
  try {
    await writeFileAtomic(engine.machine.fs, target, Buffer.from(JSON.stringify(content, null, 2) + '\n'));
  } catch (err) {
    throw mapFsError(err, `writing the diagnostics bundle ${target}`);
  }
  return target;
}
