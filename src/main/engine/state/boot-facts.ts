/**
 * Per-kernel boot facts in the tool's state (docs/design.md §10), keyed by sha256: "known good:
 * booted on <date>" or "failed to boot", so a kernel is recognised whichever slot it is in.
 */
import type { BootCheck, BootFact, SlotStatus } from '../../../shared/types';
import type { StoredBootFact, ToolState } from './state-files';

/** At most this many kernels are remembered; the oldest facts go first. */
const MAX_FACTS = 64;

/** Record what a boot check says about the kernel it expected; whether the state changed. */
export function recordBootCheck(state: ToolState, check: BootCheck): boolean {
  const e = check.expected;
  if (!e?.sha256 || !e.release) return false;
  if (check.outcome !== 'booted' && check.outcome !== 'boot-failed') return false;
  const boots: Record<string, StoredBootFact> = { ...(state.boots ?? {}) };
  const prev = boots[e.sha256];
  const fact: StoredBootFact =
    check.outcome === 'booted'
      ? { release: e.release, result: 'booted', at: check.at, bootedAt: check.at, ...(prev?.failedAt ? { failedAt: prev.failedAt } : {}) }
      : {
          release: e.release,
          result: 'failed',
          at: check.at,
          failedAt: check.at,
          ...(prev?.bootedAt ? { bootedAt: prev.bootedAt } : {}),
          ...(check.error ? { error: { code: check.error.code, message: check.error.message.slice(0, 4096) } } : {}),
        };
  boots[e.sha256] = fact;
  const keys = Object.keys(boots);
  if (keys.length > MAX_FACTS) {
    keys.sort((a, b) => (boots[a]!.at < boots[b]!.at ? -1 : 1));
    for (const k of keys.slice(0, keys.length - MAX_FACTS)) delete boots[k];
  }
  state.boots = boots;
  return true;
}

/** The boot fact of a kernel, for the status. */
export function bootFactOf(state: Pick<ToolState, 'boots'>, sha256: string): BootFact | undefined {
  const f = state.boots?.[sha256];
  if (!f) return undefined;
  const { release: _release, ...fact } = f;
  return fact;
}

/** The slot status with its boot fact, when the tool has one. */
export function withBootFact(slot: SlotStatus, state: Pick<ToolState, 'boots'>): SlotStatus {
  if (!slot.present || !slot.sha256) return slot;
  const fact = bootFactOf(state, slot.sha256);
  return fact ? { ...slot, bootFact: fact } : slot;
}
