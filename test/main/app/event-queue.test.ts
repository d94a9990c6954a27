/** Events are held until the renderer is ready, then delivered in order; none are lost. */
import { describe, expect, it } from 'vitest';
import { EventQueue, MAX_QUEUED_EVENTS } from '../../../src/main/app/event-queue';
import type { AppEvent } from '../../../src/shared/ipc';

const progress = (done: number): AppEvent => ({ type: 'progress', progress: { step: 'copy', title: 'Copying', done, total: 100 } });
const machine: AppEvent = { type: 'machine-changed', machine: { kind: 'sandbox', label: 'sandbox /x', root: '/x' } };

describe('EventQueue', () => {
  it('queues before ready, flushes in order on ready, then sends directly', () => {
    const sent: AppEvent[] = [];
    const q = new EventQueue((e) => {
      sent.push(e);
      return true;
    });
    q.emit(progress(1));
    q.emit(machine);
    expect(sent).toEqual([]);
    q.markReady();
    expect(sent).toEqual([progress(1), machine]);
    q.emit(progress(2));
    expect(sent).toEqual([progress(1), machine, progress(2)]);
    expect(q.size).toBe(0);
  });

  it('queues again after a reload until the page is ready again', () => {
    const sent: AppEvent[] = [];
    const q = new EventQueue((e) => {
      sent.push(e);
      return true;
    });
    q.markReady();
    q.reset();
    q.emit(progress(5));
    expect(sent).toEqual([]);
    q.markReady();
    expect(sent).toEqual([progress(5)]);
  });

  it('keeps an event the page could not take', () => {
    let alive = false;
    const sent: AppEvent[] = [];
    const q = new EventQueue((e) => {
      if (!alive) return false;
      sent.push(e);
      return true;
    });
    q.markReady();
    q.emit(machine);
    expect(q.size).toBe(1);
    expect(q.ready).toBe(true);
    q.markReady();
    expect(q.ready).toBe(false);
    alive = true;
    q.markReady();
    expect(sent).toEqual([machine]);
  });

  it('is bounded: the oldest progress events go first, other events stay', () => {
    const q = new EventQueue(() => true);
    q.emit(machine);
    for (let i = 0; i < MAX_QUEUED_EVENTS + 10; i++) q.emit(progress(i));
    expect(q.size).toBe(MAX_QUEUED_EVENTS);
    const sent: AppEvent[] = [];
    const flush = new EventQueue((e) => {
      sent.push(e);
      return true;
    });
    flush.emit(machine);
    for (let i = 0; i < MAX_QUEUED_EVENTS + 10; i++) flush.emit(progress(i));
    flush.markReady();
    expect(sent[0]).toEqual(machine);
    expect(sent[1]).toEqual(progress(11));
    expect(sent.at(-1)).toEqual(progress(MAX_QUEUED_EVENTS + 9));
  });
});
