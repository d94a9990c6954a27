/**
 * Pointing users' `.wslconfig` at the tool's boot path, and back (DESIGN §8.2,
 * docs/design.md §11). Only the first takeover writes `kernel=` (and removes
 * `kernelModules=`, which belonged to the user's own kernel); what the file said before is recorded first, in
 * `%ProgramData%\WslKernelSetup\store\users.json`, so "Use WSL's own kernel again" puts it back.
 */
import { join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import { writeFileAtomic } from '../machine/atomic-write';
import type { Machine } from '../machine/machine';
import type { PlanStep } from '../../../shared/types';
import { diffWslConfig, loadWslConfig, recordKey, saveWslConfig, withWsl2Edits, withWsl2Paths, type KeyEdit, type KeyRecord, type LoadedWslConfig } from '../wslconfig';
import { listUsers, resolveUser, type WslUser } from '../wsl/users';
import { bootPaths } from './store-view';

export interface UserRecord {
  name: string;
  wslconfig: string;
  kernel: KeyRecord;
  kernelModules: KeyRecord;
  fileExisted: boolean;
  at: string;
}

export interface UserChoice {
  user?: string;
  allUsers?: boolean;
  takeOver?: boolean;
}

export interface UserPlan {
  user: WslUser;
  host: string;
  /** ours: already boots the tool's path; foreign: names another kernel; none: no kernel= line. */
  state: 'ours' | 'foreign' | 'none';
  current: string | null;
  /** Whether `kernelModules=` names the tool's modules boot path (docs/design.md §11.5). */
  modulesLine: boolean;
  /** The modules boot path is (or will be) there: `kernelModules=` names it. */
  modules: boolean;
}

/** Whether the install changes this user's file: not pointed yet, or the modules line is missing. */
const needsEdit = (p: UserPlan): boolean => p.state !== 'ours' || (p.modules && !p.modulesLine);

/** The two lines the tool's `.wslconfig` has (kernelModules= only once there is a modules disk). */
function toolLines(machine: Machine, modules: boolean): { kernel: string; kernelModules: string | null } {
  const boot = bootPaths(machine);
  return { kernel: boot.kernelWindows, kernelModules: modules ? boot.modulesWindows : null };
}

const recordsPath = (machine: Machine): string => join(machine.stateDir, 'store', 'users.json');

export async function readUserRecords(machine: Machine): Promise<Record<string, UserRecord>> {
  try {
    const data = JSON.parse((await machine.fs.readFile(recordsPath(machine))).toString('utf8')) as unknown;
    return data && typeof data === 'object' ? (data as Record<string, UserRecord>) : {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new KernelSetupError('invalid-machine', `${recordsPath(machine)} cannot be read: ${(err as Error).message}.`);
  }
}

async function writeUserRecords(machine: Machine, records: Record<string, UserRecord>): Promise<void> {
  await machine.fs.mkdir(join(machine.stateDir, 'store'));
  await writeFileAtomic(machine.fs, recordsPath(machine), Buffer.from(JSON.stringify(records, null, 2) + '\n'), 'store-users');
}

/** The users a command works on: `--all-users`, `--user NAME`, or the interactive user. */
export async function chooseUsers(machine: Machine, choice: UserChoice): Promise<WslUser[]> {
  if (choice.allUsers) return listUsers(machine);
  const user = await resolveUser(machine, choice.user);
  if (!user) throw new KernelSetupError('user-not-found', 'No user is signed in (the tool runs as SYSTEM?): give --user NAME or --all-users.');
  return [user];
}

function stateOf(machine: Machine, cfg: LoadedWslConfig): Pick<UserPlan, 'state' | 'current' | 'modulesLine'> {
  const boot = bootPaths(machine);
  const line = cfg.doc.entries.find((e) => e.fullKey.toLowerCase() === 'wsl2.kernel');
  const value = cfg.doc.effective.get('wsl2.kernel')?.value ?? null;
  const modulesLine = cfg.doc.effective.get('wsl2.kernelmodules')?.value?.toLowerCase() === boot.modulesWindows.toLowerCase();
  if (value !== null && value.toLowerCase() === boot.kernelWindows.toLowerCase()) return { state: 'ours', current: value, modulesLine };
  if (!line || (line.valid && value === '')) return { state: 'none', current: null, modulesLine };
  return { state: 'foreign', current: value ?? cfg.decoded.text.slice(line.valueStart, line.valueEnd), modulesLine };
}

/**
 * Reads every user's file before anything changes: refuses a kernel the tool does not own unless
 * `takeOver`, and an edit that could not be made safely. `modules`: the modules boot path is (or
 * will be, after this install) there, so the tool's lines include `kernelModules=`.
 */
export async function planUsers(machine: Machine, choice: UserChoice, modules = false): Promise<UserPlan[]> {
  const plans: UserPlan[] = [];
  const foreign: string[] = [];
  for (const user of await chooseUsers(machine, choice)) {
    if (!user.wslconfigHost) throw new KernelSetupError('user-not-found', `The profile of ${user.name} (${user.profile}) is not on this machine's system drive.`);
    const cfg = await loadWslConfig(user.wslconfigHost, user.wslconfig);
    const s = stateOf(machine, cfg);
    if (s.state === 'foreign') foreign.push(`${user.name} (${user.wslconfig}: kernel=${s.current ?? ''})`);
    const plan: UserPlan = { user, host: user.wslconfigHost, ...s, modules };
    // Refuses (wslconfig-unsafe-edit) an edit that could not be made safely, before anything changes.
    if (needsEdit(plan)) withWsl2Paths(cfg, toolLines(machine, modules));
    plans.push(plan);
  }
  if (foreign.length && !choice.takeOver) {
    throw new KernelSetupError('wslconfig-foreign-kernel', `.wslconfig already names a kernel this tool does not own for ${foreign.join('; ')}. Nothing was changed.`);
  }
  return plans;
}

/** The plan's step for each user whose `.wslconfig` an install changes, with the exact change as a diff. */
export async function userPlanSteps(machine: Machine, plans: UserPlan[]): Promise<PlanStep[]> {
  const steps: PlanStep[] = [];
  for (const p of plans) {
    if (!needsEdit(p)) continue;
    const lines = toolLines(machine, p.modules);
    const cfg = await loadWslConfig(p.host, p.user.wslconfig);
    const title =
      p.state === 'ours'
        ? `Tell WSL to attach the kernel's modules disk for ${p.user.name} (one more line in their WSL settings)`
        : p.state === 'foreign'
          ? `Use this kernel for ${p.user.name} instead of the one their WSL settings name ("Use WSL's own kernel again" puts it back)`
          : `Tell WSL to start this kernel for ${p.user.name} (${lines.kernelModules ? 'two lines' : 'one line'} in their WSL settings; "Use WSL's own kernel again" takes ${lines.kernelModules ? 'them' : 'it'} out)`;
    const modulesText = lines.kernelModules
      ? `, kernelModules=${lines.kernelModules}`
      : cfg.doc.effective.has('wsl2.kernelmodules')
        ? ', kernelModules= removed (it belonged to the kernel named before)'
        : '';
    steps.push({
      id: `wslconfig-${p.user.name.toLowerCase()}`,
      title,
      effect: 'setting',
      detail: `${p.user.wslconfig}${cfg.exists ? '' : ' (created)'}: [wsl2] kernel=${lines.kernel}${modulesText}. Every other line, the encoding and the line endings stay as they are; the lines it had before are recorded first.`,
      diff: diffWslConfig(cfg, withWsl2Paths(cfg, lines)),
    });
  }
  return steps;
}

/** Records what each file said, then points it at the boot path (which exists: syncBoot ran first). */
export async function pointUsers(machine: Machine, plans: UserPlan[]): Promise<string[]> {
  const records = await readUserRecords(machine);
  const changed: string[] = [];
  for (const p of plans) {
    if (!needsEdit(p)) continue;
    // kernelModules= only names the modules boot path once it exists (invariant W).
    const lines = toolLines(machine, p.modules && !!(await machine.fs.stat(bootPaths(machine).modules))?.isFile);
    const cfg = await loadWslConfig(p.host, p.user.wslconfig);
    const key = p.user.name.toLowerCase();
    if (!records[key]) {
      records[key] = {
        name: p.user.name,
        wslconfig: p.user.wslconfig,
        kernel: recordKey(cfg.decoded.text, 'kernel'),
        kernelModules: recordKey(cfg.decoded.text, 'kernelModules'),
        fileExisted: cfg.exists,
        at: new Date().toISOString(),
      };
      // Recorded before the file changes: after a crash, use-default still knows the old line.
      await writeUserRecords(machine, records);
    }
    await machine.fs.mkdir(join(p.host, '..'));
    await saveWslConfig(machine.fs, p.host, withWsl2Paths(cfg, lines), 'wslconfig');
    changed.push(p.user.name);
  }
  return changed;
}

const editFor = (r: KeyRecord): KeyEdit => (r.present ? { raw: r.raw } : { remove: true });

/** "Use WSL's own kernel again": the user's own lines back, or the tool's lines removed. */
export async function restoreUsers(machine: Machine, users: WslUser[]): Promise<string[]> {
  const records = await readUserRecords(machine);
  const restored: string[] = [];
  for (const user of users) {
    if (!user.wslconfigHost) continue;
    const cfg = await loadWslConfig(user.wslconfigHost, user.wslconfig);
    const key = user.name.toLowerCase();
    const rec = records[key];
    // A kernel= the user wrote since the tool's is theirs: left alone (only the record goes).
    if (stateOf(machine, cfg).state === 'ours') {
      const bytes = rec
        ? withWsl2Edits(cfg, { kernel: editFor(rec.kernel), kernelModules: editFor(rec.kernelModules) })
        : withWsl2Paths(cfg, { kernel: null, kernelModules: null });
      const text = bytes.toString(cfg.decoded.encoding === 'utf16le-bom' ? 'utf16le' : 'utf8').replace(/^\ufeff/, '');
      if (rec && !rec.fileExisted && text.replace(/\s+/g, '') === '[wsl2]') await machine.fs.unlink(user.wslconfigHost);
      else await saveWslConfig(machine.fs, user.wslconfigHost, bytes, 'wslconfig');
      restored.push(user.name);
    }
    if (rec) {
      delete records[key];
      await writeUserRecords(machine, records);
    }
  }
  return restored;
}

/** Users whose .wslconfig boots the tool's path. */
export async function usersOnBootPath(machine: Machine): Promise<string[]> {
  const out: string[] = [];
  for (const u of await listUsers(machine)) {
    if (!u.wslconfigHost) continue;
    try {
      if (stateOf(machine, await loadWslConfig(u.wslconfigHost, u.wslconfig)).state === 'ours') out.push(u.name);
    } catch {
      /* unreadable: not ours to judge */
    }
  }
  return out;
}
