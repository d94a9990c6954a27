/**
 * This Windows computer as a Machine (docs/design.md §3): the real kernel folder, HKLM in-process
 * (native-reg) or through reg.exe, wsl.exe, and the process's own facts. Nothing runs at import
 * time, so this module loads on any system.
 */
import { statfs } from 'node:fs/promises';
import * as path from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import type { Arch } from '../../../shared/types';
import { nodeFs } from '../machine/fs-port';
import type { Machine, ProcessFacts, Registry, WslControl } from '../machine/machine';
import { runFile, system32Dir, type Runner } from './exec';
import { loadNativeRegistry } from './native-registry';
import { RegExeRegistry } from './reg-exe';
import { createScheduledTasks } from './schtasks';
import { createWindowsFeatures } from './features';
import { decodeWslOutput, parseRunningDistros } from './wsl-output';

const LIST_TIMEOUT_MS = 30_000;
/** Shutting WSL down waits for every distribution to stop; give it time. */
const SHUTDOWN_TIMEOUT_MS = 120_000;
/** Starting WSL boots its VM (and a kernel that hangs is only given up on by WSL after a while). */
const EXEC_TIMEOUT_MS = 180_000;

export function createWslControl(wslExe: string, run: Runner = runFile): WslControl {
  return {
    async listRunning() {
      const r = await run(wslExe, ['--list', '--running', '--quiet'], LIST_TIMEOUT_MS);
      if (r.timedOut) throw new KernelSetupError('io-error', 'wsl.exe --list did not answer in time');
      // Not installed, disabled (usage text, exit 1) or no distributions: nothing is running.
      // The text of those cases is localized, so only the exit code is trusted.
      if (r.notFound || r.code !== 0) return [];
      return parseRunningDistros(r.stdout);
    },
    async shutdown() {
      const r = await run(wslExe, ['--shutdown'], SHUTDOWN_TIMEOUT_MS);
      if (r.code !== 0) {
        const why = r.notFound ? 'wsl.exe was not found' : r.timedOut ? 'it timed out' : `exit code ${r.code}`;
        throw new KernelSetupError('io-error', `wsl.exe --shutdown failed (${why})`);
      }
    },
    async listDistributions() {
      const r = await run(wslExe, ['--list', '--quiet'], LIST_TIMEOUT_MS);
      if (r.timedOut) throw new KernelSetupError('io-error', 'wsl.exe --list did not answer in time');
      // No distribution installed, or WSL not installed: wsl.exe says so in localized prose and exits non-zero.
      if (r.notFound || r.code !== 0) return [];
      return parseRunningDistros(r.stdout);
    },
    async exec(distro, argv) {
      // `--exec` runs the program without a shell (docs/design.md §10): the arguments are not re-parsed.
      const r = await run(wslExe, ['-d', distro, '--exec', ...argv], EXEC_TIMEOUT_MS);
      if (r.notFound) return { exitCode: null, stdout: '', stderr: 'wsl.exe was not found: WSL is not installed.' };
      if (r.timedOut) return { exitCode: null, stdout: decodeWslOutput(r.stdout), stderr: `wsl.exe did not answer within ${EXEC_TIMEOUT_MS / 1000} s.` };
      // The Linux program writes UTF-8; wsl.exe's own messages are UTF-16LE and may go to either stream.
      return { exitCode: r.code, stdout: decodeWslOutput(r.stdout), stderr: decodeWslOutput(r.stderr) };
    },
  };
}

/** Maps a Windows processor architecture name (AMD64, ARM64, x86) to ours. */
function archFromWindows(name: string | undefined): Arch | null {
  const n = name?.toUpperCase();
  return n === 'AMD64' ? 'x64' : n === 'ARM64' ? 'arm64' : null;
}

export function createProcessFacts(sys32: string, run: Runner = runFile): ProcessFacts {
  return {
    async isElevated() {
      // `fltmc` (the filter manager console) only works with an administrator token: under UAC
      // it fails for a filtered token, so its exit code is an elevation test. Chosen over
      // `net session`, which also fails for administrators when the Server service is stopped
      // (common on hardened machines), and no output is parsed, so localization does not matter.
      const r = await run(`${sys32}\\fltmc.exe`, [], LIST_TIMEOUT_MS);
      return r.code === 0;
    },
    async freeBytes(dir: string) {
      // The folder may not exist yet (the state folder is created on demand): ask its nearest parent.
      let current = dir;
      for (;;) {
        try {
          const s = await statfs(current);
          return s.bavail * s.bsize;
        } catch (err) {
          const parent = path.dirname(current);
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw err;
          current = parent;
        }
      }
    },
    async nativeArch() {
      if (process.arch === 'arm64') return 'arm64';
      // A 32-bit process under WOW64 sees the native architecture only in this variable.
      const wow = archFromWindows(process.env.PROCESSOR_ARCHITEW6432);
      if (wow) return wow;
      // An x64 process may be emulated on ARM64, where every process-level answer says AMD64:
      // say "unknown" so the engine reads the machine's PROCESSOR_ARCHITECTURE from the registry.
      return null;
    },
    async interactiveUser() {
      // Running as SYSTEM (Intune, ConfigMgr) the name is the computer account ("NAME$"): no user.
      const name = process.env.USERNAME ?? '';
      return name && !name.endsWith('$') ? name : null;
    },
  };
}

/**
 * HKLM in-process when the binding loads (exact for every type, and one process instead of one
 * per value), else through reg.exe. WSLK_REGISTRY=reg.exe chooses reg.exe (to compare the two).
 */
export function createWindowsRegistry(sys32: string, env: NodeJS.ProcessEnv = process.env): Registry {
  const native = env.WSLK_REGISTRY === 'reg.exe' ? null : loadNativeRegistry();
  return native ?? new RegExeRegistry(runFile, `${sys32}\\reg.exe`);
}

/** This Windows machine. */
export function createWindowsMachine(): Machine {
  const sys32 = system32Dir();
  const programData = process.env.ProgramData ?? process.env.PROGRAMDATA ?? 'C:\\ProgramData';
  return {
    kind: 'windows',
    label: 'this Windows machine',
    root: null,
    toolsDir: `${sys32}\\lxss\\tools`,
    stateDir: `${programData}\\WslKernelSetup`,
    fs: nodeFs,
    registry: createWindowsRegistry(sys32),
    wsl: createWslControl(`${sys32}\\wsl.exe`),
    facts: createProcessFacts(sys32),
    tasks: createScheduledTasks(`${sys32}\\schtasks.exe`, runFile),
    features: createWindowsFeatures(`${sys32}\\dism.exe`, runFile),
  };
}
