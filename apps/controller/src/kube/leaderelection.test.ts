import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { FakeKubeClient } from '../testing/fake-kube.js';
import { LeaderElector, type Lease } from './leaderelection.js';
import { resources } from './resources.js';

const log = pino({ level: 'silent' });

function elector(client: FakeKubeClient, clock: FakeClock, identity: string): LeaderElector {
  return new LeaderElector({ client, log, clock, namespace: 'karpenter', name: 'karpenter-leader-election', identity, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
}

describe('LeaderElector', () => {
  it('creates the Lease when absent and becomes leader', async () => {
    const client = new FakeKubeClient();
    const clock = new FakeClock();
    const a = elector(client, clock, 'a');
    expect(await a.acquire(new AbortController().signal)).toBe(true);
    const lease = client.peek<Lease>(resources.leases, 'karpenter-leader-election', 'karpenter');
    expect(lease?.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
  });

  it('a second candidate waits while the holder renews, and takes over once the lease expires', async () => {
    const client = new FakeKubeClient();
    const clock = new FakeClock();
    const a = elector(client, clock, 'a');
    const b = elector(client, clock, 'b');
    await a.acquire(new AbortController().signal);
    const abortA = new AbortController();
    const renewing = a.renewLoop(abortA.signal);
    const abortB = new AbortController();
    let bLeads = false;
    const campaign = b.acquire(abortB.signal).then((ok) => (bLeads = ok));
    await clock.advance(30_000);
    expect(bLeads).toBe(false);
    abortA.abort(); // a stops renewing without releasing (a crash)
    await renewing;
    await clock.advance(14_000);
    expect(bLeads).toBe(false);
    await clock.advance(4_000);
    await campaign;
    expect(bLeads).toBe(true);
    expect(client.peek<Lease>(resources.leases, 'karpenter-leader-election', 'karpenter')?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('release() lets another candidate take over at once', async () => {
    const client = new FakeKubeClient();
    const clock = new FakeClock();
    const a = elector(client, clock, 'a');
    const b = elector(client, clock, 'b');
    await a.acquire(new AbortController().signal);
    await a.release();
    expect(await b.acquire(new AbortController().signal)).toBe(true);
  });
});
