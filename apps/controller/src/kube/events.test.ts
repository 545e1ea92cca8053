import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeClock, flush } from '../testing/fake-clock.js';
import { FakeKubeClient } from '../testing/fake-kube.js';
import type { KubeObject } from './client.js';
import { KubeEventRecorder } from './events.js';
import { resources, type ResourceType } from './resources.js';

const log = pino({ level: 'silent' });
const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` } });

/** A fake API whose Event creates stay in flight until `release()`, counting the most outstanding at once. */
class SlowEventsClient extends FakeKubeClient {
  inFlight = 0;
  maxInFlight = 0;
  private waiting: (() => void)[] = [];
  override async create<T extends KubeObject>(type: ResourceType, object: T, options?: { namespace?: string }): Promise<T> {
    if (type.plural !== 'events') return super.create(type, object, options);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight--;
    return super.create(type, object, options);
  }
  release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

const eventsOf = (client: FakeKubeClient) => client.all<KubeObject & { reason: string; message: string; involvedObject: { name: string } }>(resources.events as ResourceType);

describe('KubeEventRecorder', () => {
  it('publishes every event of a burst (100 FailedScheduling on 100 pods), at most maxConcurrency creates at once', async () => {
    const client = new SlowEventsClient();
    const recorder = new KubeEventRecorder(client, new FakeClock(), log, { maxConcurrency: 5 });
    for (let i = 0; i < 100; i++) recorder.publish({ regarding: pod(`p${i}`), type: 'Warning', reason: 'FailedScheduling', message: 'Failed to schedule pod, no capacity' });
    while (eventsOf(client).length < 100) {
      await flush(2);
      client.release();
    }
    await recorder.drain();
    expect(eventsOf(client)).toHaveLength(100);
    expect(new Set(eventsOf(client).map((e) => e.involvedObject.name)).size).toBe(100);
    expect(client.maxInFlight).toBe(5);
  });

  it('deduplicates per object and reason (whatever the message) until the dedupe timeout passes', async () => {
    const client = new FakeKubeClient();
    const clock = new FakeClock();
    const recorder = new KubeEventRecorder(client, clock, log, { dedupeTimeoutMs: 120_000 });
    recorder.publish({ regarding: pod('a'), type: 'Warning', reason: 'FailedScheduling', message: 'cpu limit reached (10 in use)' });
    recorder.publish({ regarding: pod('a'), type: 'Warning', reason: 'FailedScheduling', message: 'cpu limit reached (11 in use)' });
    recorder.publish({ regarding: pod('a'), type: 'Normal', reason: 'Nominated', message: 'Pod should schedule on: nodeclaim/x' });
    recorder.publish({ regarding: pod('b'), type: 'Warning', reason: 'FailedScheduling', message: 'cpu limit reached (11 in use)' });
    await recorder.drain();
    expect(eventsOf(client).map((e) => `${e.involvedObject.name} ${e.reason}`).sort()).toEqual(['a FailedScheduling', 'a Nominated', 'b FailedScheduling']);
    await clock.advance(119_000);
    recorder.publish({ regarding: pod('a'), type: 'Warning', reason: 'FailedScheduling', message: 'again' });
    await recorder.drain();
    expect(eventsOf(client)).toHaveLength(3);
    await clock.advance(1_000);
    recorder.publish({ regarding: pod('a'), type: 'Warning', reason: 'FailedScheduling', message: 'again' });
    await recorder.drain();
    expect(eventsOf(client)).toHaveLength(4);
  });

  it('dedupeValues narrow or widen the key (Karpenter DedupeValues), with a per-event timeout', async () => {
    const client = new FakeKubeClient();
    const clock = new FakeClock();
    const recorder = new KubeEventRecorder(client, clock, log);
    recorder.publish({ regarding: pod('a'), type: 'Normal', reason: 'Nominated', message: 'on x', dedupeValues: ['uid-a', 'x'] });
    recorder.publish({ regarding: pod('a'), type: 'Normal', reason: 'Nominated', message: 'on y', dedupeValues: ['uid-a', 'y'] });
    recorder.publish({ regarding: pod('a'), type: 'Normal', reason: 'Nominated', message: 'on y', dedupeValues: ['uid-a', 'y'], dedupeTimeoutMs: 5_000 });
    await recorder.drain();
    expect(eventsOf(client).map((e) => e.message)).toEqual(['on x', 'on y']);
  });

  it('a failed create is logged and does not stop later events', async () => {
    const client = new FakeKubeClient();
    let fail = true;
    const create = client.create.bind(client);
    client.create = (async (type: ResourceType, object: KubeObject, options?: { namespace?: string }) => {
      if (fail) {
        fail = false;
        throw new Error('connection refused');
      }
      return create(type, object, options);
    }) as FakeKubeClient['create'];
    const recorder = new KubeEventRecorder(client, new FakeClock(), log);
    recorder.publish({ regarding: pod('a'), type: 'Warning', reason: 'X', message: 'm' });
    recorder.publish({ regarding: pod('b'), type: 'Warning', reason: 'X', message: 'm' });
    await recorder.drain();
    expect(eventsOf(client).map((e) => e.involvedObject.name)).toEqual(['b']);
  });
});
