import { describe, expect, it } from 'vitest';
import { FakeClock, flush } from '../testing/fake-clock.js';
import { WorkQueue } from './workqueue.js';

/** Runs the queue with a handler that records keys; returns the record and a stop function. */
function runRecording(queue: WorkQueue, handler: (key: string) => Promise<void> = async () => undefined) {
  const seen: string[] = [];
  const done = queue.run(async (key) => {
    seen.push(key);
    await handler(key);
  });
  return { seen, stop: async () => (queue.shutdown(), await done) };
}

describe('WorkQueue', () => {
  it.each([
    { name: 'merges a key added twice while waiting', adds: ['a', 'a', 'b', 'a'], expected: ['a', 'b'] },
    { name: 'keeps distinct keys in FIFO order', adds: ['c', 'b', 'a'], expected: ['c', 'b', 'a'] },
  ])('$name', async ({ adds, expected }) => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    for (const key of adds) queue.add(key);
    expect(queue.length).toBe(expected.length);
    const run = runRecording(queue);
    await flush();
    expect(run.seen).toEqual(expected);
    await run.stop();
  });

  it('re-queues a key added while it is being processed, after the handler finishes (never concurrently)', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    let release: () => void = () => undefined;
    let active = 0;
    let maxActive = 0;
    const run = runRecording(queue, async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((r) => (release = r));
      active--;
    });
    queue.add('a');
    await flush();
    queue.add('a');
    queue.add('a');
    await flush();
    expect(run.seen).toEqual(['a']);
    release();
    await flush();
    expect(run.seen).toEqual(['a', 'a']);
    release();
    await flush();
    expect(run.seen).toEqual(['a', 'a']);
    expect(maxActive).toBe(1);
    await run.stop();
  });

  it('addAfter keeps the earliest pending timer per key', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock });
    const run = runRecording(queue);
    queue.addAfter('a', 5_000);
    queue.addAfter('a', 1_000);
    queue.addAfter('a', 3_000);
    await clock.advance(999);
    expect(run.seen).toEqual([]);
    await clock.advance(1);
    expect(run.seen).toEqual(['a']);
    await clock.advance(10_000);
    expect(run.seen).toEqual(['a']);
    await run.stop();
  });

  it('backs off per key on failures and resets on forget', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock, backoff: { baseMs: 100, maxMs: 1_000, jitter: 0 } });
    expect(queue.addRateLimited('a')).toBe(100);
    expect(queue.addRateLimited('a')).toBe(200);
    expect(queue.addRateLimited('a')).toBe(400);
    expect(queue.addRateLimited('a')).toBe(800);
    expect(queue.addRateLimited('a')).toBe(1_000);
    expect(queue.addRateLimited('b')).toBe(100);
    queue.forget('a');
    expect(queue.addRateLimited('a')).toBe(100);
    queue.shutdown();
  });

  it('retries a key whose handler throws', async () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock, backoff: { baseMs: 100, jitter: 0 } });
    let calls = 0;
    const errors: unknown[] = [];
    const done = queue.run(
      async () => {
        calls++;
        if (calls < 3) throw new Error('boom');
      },
      1,
      (_key, error) => errors.push(error),
    );
    queue.add('a');
    await clock.advance(0);
    expect(calls).toBe(1);
    await clock.advance(100);
    expect(calls).toBe(2);
    await clock.advance(200);
    expect(calls).toBe(3);
    expect(errors).toHaveLength(2);
    queue.shutdown();
    await done;
  });
});
