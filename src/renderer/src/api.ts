/**
 * The renderer's only link to main: the `window.wslk` object the preload (or the e2e host's
 * bridge) provides. Calls unwrap the IpcResult; a typed error becomes a UiError with its text.
 */
import { ERRORS } from '../../shared/errors';
import type { Channel, RequestOf, Responses, WslkApi } from '../../shared/ipc';
import type { CommandResult } from '../../shared/types';
import type { Problem } from './problem';
import { useHealth } from './stores/health-store';

export class UiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
    this.name = 'UiError';
  }
}

/** The preload API, or a UiError when the page runs without one. */
export function api(): WslkApi {
  const found = (window as unknown as { wslk?: WslkApi }).wslk;
  if (!found) {
    throw new UiError({
      code: 'io-error',
      title: 'The app is not connected',
      message: 'This page runs without the WSL Kernel Setup app behind it, so it cannot read or change anything.',
      remedy: 'Open WSL Kernel Setup itself, or serve this page with the e2e host (see the README).',
    });
  }
  return found;
}

/** The channels that may change the machine (install, rollback, repair, …); the rest only read it. */
const CHANGING: ReadonlySet<Channel> = new Set<Channel>([
  'install',
  'rollback',
  'undoRollback',
  'shutdownWsl',
  'verify',
  'repair',
  'installUpdate',
  'setUpdates',
  'enableFeatures',
  'useDefault',
]);

/** Call one channel; returns its value or throws a UiError carrying the typed error. */
export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Responses[C]> {
  const method = api()[channel] as unknown as (req: RequestOf<C>) => ReturnType<WslkApi[C]>;
  let result;
  try {
    result = await method(request);
  } finally {
    // Refused or not, a changing command may have changed something: what was read before is stale.
    if (CHANGING.has(channel)) useHealth.getState().changed();
  }
  if (result.ok) {
    // Every command result carries the engine's health verdict: keep the banner in step.
    const health = (result.value as { health?: CommandResult['health'] } | null)?.health;
    if (health) useHealth.getState().set(health);
    return result.value as Responses[C];
  }
  throw new UiError(result.error);
}

/** Turn anything thrown by a call into the Problem to show. */
export function problemFrom(err: unknown): Problem {
  if (err instanceof UiError) return err.problem;
  const info = ERRORS['io-error'];
  return { code: 'io-error', title: info.title, message: info.explanation, remedy: info.remedy };
}

/** The refusal or failure a command result carries, or null when it succeeded. */
export function problemOf(result: CommandResult | null | undefined): Problem | null {
  if (!result || result.ok || !result.code) return null;
  const info = ERRORS[result.code];
  return { code: result.code, title: info.title, message: result.message || info.explanation, remedy: result.remedy ?? info.remedy };
}
