import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../testing/fake-clock.js';
import { Batcher } from './batcher.js';

/** Triggers at the given offsets (ms from start) and reports when flushes happened. */
async function flushTimes(idleMs: number, maxMs: number, triggersAtMs: number[], untilMs: number): Promise<number[]> {
  const clock = new FakeClock(0);
  const flushes: number[] = [];
  const batcher = new Batcher({ idleMs, maxMs, clock, onFlush: () => flushes.push(clock.now()) });
  let t = 0;
  for (const at of triggersAtMs) {
    await clock.advance(at - t);
    t = at;
    batcher.trigger();
  }
  await clock.advance(untilMs - t);
  return flushes;
}

describe('Batcher (1 s idle, 10 s max windows)', () => {
  it.each([
    { name: 'one trigger closes after the idle time', triggers: [0], until: 5_000, expected: [1_000] },
    { name: 'a burst extends the window until it goes idle', triggers: [0, 300, 600, 900], until: 5_000, expected: [1_900] },
    { name: 'a steady stream is cut at the max duration', triggers: Array.from({ length: 30 }, (_, i) => i * 500), until: 20_000, expected: [10_000, 15_500] },
    { name: 'triggers after a flush open a new window', triggers: [0, 2_000], until: 5_000, expected: [1_000, 3_000] },
    { name: 'no trigger, no flush', triggers: [], until: 30_000, expected: [] },
  ])('$name', async ({ triggers, until, expected }) => {
    expect(await flushTimes(1_000, 10_000, triggers, until)).toEqual(expected);
  });

  it('honours other durations (BATCH_IDLE_DURATION=2s, BATCH_MAX_DURATION=3s)', async () => {
    expect(await flushTimes(2_000, 3_000, [0, 1_500, 2_500], 10_000)).toEqual([3_000]);
  });
});
