/**
 * Whose `.wslconfig` counts: the interactive user by default, `--user NAME`, or every profile
 * (`--all-users`), from `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList`.
 */
import { join } from 'node:path';
import { KernelSetupError } from '../../../shared/errors';
import { REG, type Machine } from '../machine/machine';
import { expandWindowsVars, hostPath, winJoin } from './host-path';

export interface WslUser {
  name: string;
  /** The profile folder, a Windows path (`C:\Users\alice`). */
  profile: string;
  /** `%UserProfile%\.wslconfig`, a Windows path. */
  wslconfig: string;
  /** Where that file is on this machine, or null when it cannot be reached. */
  wslconfigHost: string | null;
}

function toUser(machine: Machine, name: string, profile: string): WslUser {
  const wslconfig = winJoin(profile, '.wslconfig');
  return { name, profile, wslconfig, wslconfigHost: hostPath(machine, wslconfig) };
}

/** The user profiles of people (SIDs S-1-5-21-…), in registry order. */
export async function listUsers(machine: Machine): Promise<WslUser[]> {
  const sids = await machine.registry.subkeys(REG.profileList);
  const users: WslUser[] = [];
  for (const sid of sids) {
    if (!/^S-1-5-21-/i.test(sid)) continue;
    const v = await machine.registry.getValue(`${REG.profileList}\\${sid}`, 'ProfileImagePath');
    if (!v || (v.type !== 'REG_SZ' && v.type !== 'REG_EXPAND_SZ')) continue;
    const profile = expandWindowsVars(v.data).replace(/[\\/]+$/, '');
    const name = profile.split(/[\\/]/).pop() ?? '';
    if (name) users.push(toUser(machine, name, profile));
  }
  return users;
}

/**
 * The user named, or the interactive user; null when there is none (running as SYSTEM with no
 * `--user`). A name with no profile is an error: the tool never guesses a folder on Windows.
 */
export async function resolveUser(machine: Machine, name?: string): Promise<WslUser | null> {
  const wanted = name ?? (await machine.facts.interactiveUser?.()) ?? null;
  if (!wanted) return null;
  const users = await listUsers(machine);
  const found = users.find((u) => u.name.toLowerCase() === wanted.toLowerCase());
  if (found) return found;
  // A domain profile folder may differ from the account name (alice.CONTOSO): this process's own profile.
  if (machine.kind === 'windows' && !name && process.env.USERPROFILE) return toUser(machine, wanted, process.env.USERPROFILE);
  // A hand-made sandbox may name its user without a ProfileList: its profile is Users/<name>.
  if (machine.kind === 'sandbox' && /^[^\\/:*?"<>|]+$/.test(wanted) && wanted !== '.' && wanted !== '..') {
    const user = toUser(machine, wanted, `C:\\Users\\${wanted}`);
    const folder = user.wslconfigHost ? await machine.fs.stat(join(user.wslconfigHost, '..')) : null;
    if (folder?.isDirectory) return user;
  }
  throw new KernelSetupError('user-not-found', `No user profile named ${wanted} is registered on this machine.`, { user: wanted });
}
