/**
 * The first screen's questions asked early (shared/ipc-api createApi `prefetch`): an early answer
 * serves the first call without an argument, once; a failed early answer is asked again; a call
 * with an argument is never served from it.
 */
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../src/shared/ipc-api';
import type { Channel } from '../../../src/shared/ipc-api';

function transport(answers: (channel: Channel, n: number) => unknown) {
  const asked: [Channel, unknown][] = [];
  return {
    asked,
    invoke: async (channel: Channel, request: unknown) => {
      asked.push([channel, request]);
      return answers(channel, asked.filter(([c]) => c === channel).length);
    },
    subscribe: () => () => undefined,
    ready: () => undefined,
  };
}

describe('asking the first questions early', () => {
  it('serves the first call once, then asks again', async () => {
    const t = transport((c, n) => ({ ok: true, value: `${c} #${n}` }));
    const api = createApi(t, { prefetch: ['status'] });
    expect(t.asked).toEqual([['status', {}]]);
    expect(await api.status({})).toEqual({ ok: true, value: 'status #1' });
    expect(await api.status({})).toEqual({ ok: true, value: 'status #2' });
    expect(t.asked).toHaveLength(2);
  });

  it('asks again when the early answer failed (asking early never makes an answer worse)', async () => {
    const t = transport((_c, n) => (n === 1 ? { ok: false, error: { code: 'io-error' } } : { ok: true, value: n }));
    const api = createApi(t, { prefetch: ['info'] });
    expect(await api.info({})).toEqual({ ok: true, value: 2 });
    expect(t.asked).toHaveLength(2);
  });

  it('a call with an argument is asked as it is, and leaves the early answer for the call without one', async () => {
    const t = transport((c, n) => ({ ok: true, value: n }));
    const api = createApi(t, { prefetch: ['plan'] });
    expect(await api.plan({ force: true })).toEqual({ ok: true, value: 2 });
    expect(t.asked.at(-1)).toEqual(['plan', { force: true }]);
    expect(await api.plan({})).toEqual({ ok: true, value: 1 });
    expect(t.asked).toHaveLength(2);
  });
});
