/**
 * Bad: the kernels the user rolled back from (docs/design.md, "Which kernels are bad"). A kernel is
 * identified by its full release (`6.1.0-47-cloud-amd64`), not its version (`6.1.0`), so that two
 * builds of one version (a Debian ABI bump, a flavour, a custom `+` build) are told apart.
 */
import { parseVersion } from '../kernel/kernel-image';
import type { ToolState } from './state-files';

/** Whether the kernel of this release is bad: named exactly, or by a version-wide entry of format 1. */
export function isBad(state: Pick<ToolState, 'badReleases' | 'badVersions'>, release: string): boolean {
  return state.badReleases.includes(release) || state.badVersions.includes(parseVersion(release));
}

/** Mark a release bad; returns whether the state changed. */
export function markBad(state: ToolState, release: string): boolean {
  if (state.badReleases.includes(release)) return false;
  state.badReleases = [...state.badReleases, release];
  return true;
}

/** Unmark a release, and any version-wide entry that covered it; returns whether the state changed. */
export function unmarkBad(state: ToolState, release: string): boolean {
  const version = parseVersion(release);
  const releases = state.badReleases.filter((r) => r !== release);
  const versions = state.badVersions.filter((v) => v !== version);
  const changed = releases.length !== state.badReleases.length || versions.length !== state.badVersions.length;
  state.badReleases = releases;
  state.badVersions = versions;
  return changed;
}

/**
 * The versions reported as `badVersions` (the §7 contract: versions, as fleet scripts compare them
 * with `kernel.version`): the version of every bad release and every version-wide entry, once.
 */
export function badVersionsOf(state: Pick<ToolState, 'badReleases' | 'badVersions'>): string[] {
  const out: string[] = [];
  for (const v of [...state.badReleases.map(parseVersion), ...state.badVersions]) if (!out.includes(v)) out.push(v);
  return out;
}
