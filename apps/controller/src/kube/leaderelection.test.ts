import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { FakeKubeClient } from '../testing/fake-kube.js';
import { PartitionableClient } from '../testing/partition.js';
import { LeaderElector, type Lease } from './leaderelection.js';
import { resources } from './resources.js';

const log = pino({ level: 'silent' });

function elector(client: FakeKubeClient | PartitionableClient, clock: FakeClock, identity: string): LeaderElector {
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

  it('a renew call that hangs counts as failed: the leader gives up within the renew deadline of its last renewal', async () => {
    const api = new FakeKubeClient();
    const clock = new FakeClock();
    const client = new PartitionableClient(api, () => clock.now());
    const a = elector(client, clock, 'a');
    expect(await a.acquire(new AbortController().signal)).toBe(true);
    const acquiredAtMs = clock.now();
    let lostAtMs: number | undefined;
    const renewing = a.renewLoop(new AbortController().signal).then((lost) => lost && (lostAtMs = clock.now()));
    await clock.advance(4_000); // two renewals (every 2 s)
    const lastRenewalStartMs = clock.now();
    client.setMode('hang'); // the next renewal's GET never answers
    await clock.advance(9_000);
    expect(lostAtMs).toBeUndefined();
    expect(a.isLeader).toBe(true);
    await clock.advance(1_000);
    await renewing;
    expect(lostAtMs).toBe(lastRenewalStartMs + 10_000);
    expect(lostAtMs).toBeGreaterThan(acquiredAtMs);
    expect(a.isLeader).toBe(false);
    expect(client.hungCalls).toBe(0); // the hung call was aborted, not leaked
  });

  it('a leader that finds another holder in the lease stops leading at once', async () => {
    const client = new FakeKubeClient();
    const clock = new FakeClock();
    const a = elector(client, clock, 'a');
    await a.acquire(new AbortController().signal);
    let lost = false;
    const renewing = a.renewLoop(new AbortController().signal).then((l) => (lost = l));
    const lease = client.peek<Lease>(resources.leases, 'karpenter-leader-election', 'karpenter');
    await client.replace<Lease>(resources.leases, { ...lease!, spec: { ...lease!.spec, holderIdentity: 'b' } });
    await clock.advance(2_000);
    await renewing;
    expect(lost).toBe(true);
  });

  it('campaigning survives an unreachable API (no throw, keeps retrying) and acquires once it is back', async () => {
    const api = new FakeKubeClient();
    const clock = new FakeClock();
    const client = new PartitionableClient(api, () => clock.now());
    client.setMode('hang');
    const a = elector(client, clock, 'a');
    let leads = false;
    const campaign = a.acquire(new AbortController().signal).then((ok) => (leads = ok));
    await clock.advance(60_000);
    expect(leads).toBe(false);
    client.setMode('fail');
    await clock.advance(10_000);
    client.setMode('ok');
    await clock.advance(2_000);
    await campaign;
    expect(leads).toBe(true);
    expect(client.hungCalls).toBe(0);
  });
});
