import type { Pod } from '@karpenter-ts/provisioner-domain';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { FakeClock, flush } from '../../../testing/fake-clock.js';
import { FakeKubeClient } from '../../../testing/fake-kube.js';
import { EvictionQueue } from './eviction.js';

const log = pino({ level: 'silent' });
const pod = (name: string): Pod => ({ metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c' }], nodeName: 'n1' } });

/** A fake API whose eviction subresource answers 429 (PDB) `refusals` times, then evicts. */
function setup(refusals: number) {
  const client = new FakeKubeClient();
  client.seed(resources.pods, pod('p'));
  let attempts = 0;
  client.subresources.set('eviction', async (c, type, namespace, name) => {
    attempts++;
    if (attempts <= refusals) throw new KubeApiError('Cannot evict pod as it would violate the pod\'s disruption budget.', 429, 'TooManyRequests');
    await c.delete(type, name, { namespace });
    return {};
  });
  const clock = new FakeClock();
  const settled: string[] = [];
  const queue = new EvictionQueue({ client, clock, log, backoff: { jitter: 0 }, onSettled: (p) => settled.push(p.metadata.name ?? '') });
  const abort = new AbortController();
  const run = queue.run(abort.signal);
  return { client, clock, queue, settled, attempts: () => attempts, stop: async () => (abort.abort(), await run) };
}

describe('EvictionQueue', () => {
  it('retries a 429 from a PodDisruptionBudget with backoff (100 ms doubling) and never deletes the pod directly', async () => {
    const t = setup(3);
    t.queue.add(t.client.all<Pod>(resources.pods)[0] as Pod);
    await t.clock.advance(0);
    expect(t.attempts()).toBe(1);
    await t.clock.advance(100);
    expect(t.attempts()).toBe(2);
    await t.clock.advance(199);
    expect(t.attempts()).toBe(2);
    await t.clock.advance(1);
    expect(t.attempts()).toBe(3);
    // While refused, the pod is still there and no plain DELETE was sent.
    expect(t.client.peek(resources.pods, 'p', 'default')).toBeDefined();
    expect(t.client.writes.filter((w) => w.verb === 'delete')).toEqual([]);
    await t.clock.advance(400);
    expect(t.attempts()).toBe(4);
    expect(t.client.peek(resources.pods, 'p', 'default')).toBeUndefined();
    expect(t.settled).toEqual(['p']);
    expect(t.queue.size).toBe(0);
    await t.stop();
  });

  it('keeps retrying for as long as the PDB refuses (capped at 10 s between attempts)', async () => {
    const t = setup(Number.POSITIVE_INFINITY);
    t.queue.add(t.client.all<Pod>(resources.pods)[0] as Pod);
    await t.clock.advance(120_000);
    expect(t.attempts()).toBeGreaterThan(10);
    expect(t.attempts()).toBeLessThan(25);
    expect(t.client.peek(resources.pods, 'p', 'default')).toBeDefined();
    expect(t.queue.has(pod('p'))).toBe(true);
    await t.stop();
  });

  it('treats a pod that is already gone as evicted', async () => {
    const t = setup(0);
    const p = t.client.all<Pod>(resources.pods)[0] as Pod;
    await t.client.delete(resources.pods, 'p', { namespace: 'default' });
    t.queue.add(p);
    await t.clock.advance(0);
    await flush();
    expect(t.settled).toEqual(['p']);
    await t.stop();
  });

  it('sends a policy/v1 Eviction with a uid precondition', async () => {
    const t = setup(0);
    t.queue.add(t.client.all<Pod>(resources.pods)[0] as Pod);
    await t.clock.advance(0);
    const write = t.client.writes.find((w) => w.subresource === 'eviction');
    expect(write?.body).toMatchObject({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'default' }, deleteOptions: { preconditions: { uid: expect.any(String) } } });
    await t.stop();
  });
});
