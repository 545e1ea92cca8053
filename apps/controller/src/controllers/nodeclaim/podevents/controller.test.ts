import type { NodeClaim, Pod } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { resources } from '../../../kube/resources.js';
import { boundPod, launchedClaim, launchedNode, pendingPod } from '../../../testing/builders.js';
import { newTestContext, type TestContext } from '../../../testing/context.js';
import { nodeClaimPodEvents, podEventNode, PodEvents, POD_EVENT_WRITE_INTERVAL_MS, watchPodEvents } from './controller.js';

let t: TestContext | undefined;
let stopWatch: (() => void) | undefined;
afterEach(async () => {
  stopWatch?.();
  stopWatch = undefined;
  await t?.stop();
});

const running = boundPod('p', 'n1');
const withPhase = (pod: Pod, phase: 'Succeeded' | 'Failed'): Pod => ({ ...pod, status: { ...pod.status, phase } });
const terminating = (pod: Pod): Pod => ({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });

describe('podEventNode: the pod changes Karpenter counts as pod events', () => {
  it.each<{ name: string; previous?: Pod; current?: Pod; node?: string }>([
    { name: 'added already bound', current: running, node: 'n1' },
    { name: 'added unbound', current: pendingPod('p') },
    { name: 'bound by the scheduler', previous: pendingPod('p'), current: { ...pendingPod('p'), spec: { ...pendingPod('p').spec, nodeName: 'n1' } }, node: 'n1' },
    { name: 'a status update of a bound pod', previous: running, current: { ...running, metadata: { ...running.metadata, labels: { a: 'b' } } } },
    { name: 'turned Succeeded', previous: running, current: withPhase(running, 'Succeeded'), node: 'n1' },
    { name: 'turned Failed', previous: running, current: withPhase(running, 'Failed'), node: 'n1' },
    { name: 'started terminating', previous: running, current: terminating(running), node: 'n1' },
    { name: 'an update of an already terminating pod', previous: terminating(running), current: terminating(running) },
    { name: 'deleted', previous: running, node: 'n1' },
    { name: 'an unbound pod deleted', previous: pendingPod('p') },
  ])('$name', ({ previous, current, node }) => {
    expect(podEventNode(previous, current)).toBe(node);
  });
});

describe('nodeclaim.podevents', () => {
  const lastPodEventTime = (): string | undefined => t?.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.status?.lastPodEventTime;

  it('writes status.lastPodEventTime when a pod is bound to or removed from the node, at most once per 10 s, never dropping the last event', async () => {
    t = await newTestContext({ nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')], pods: [pendingPod('p')] });
    const podEvents = new PodEvents();
    const enqueued: string[] = [];
    stopWatch = watchPodEvents(t.ctx, podEvents, (claim) => enqueued.push(claim));
    const controller = nodeClaimPodEvents(t.ctx, podEvents);
    // Seeded pods are state, not events.
    expect(podEvents.size).toBe(0);

    await t.clock.advance(1_000);
    await t.client.patch(resources.pods, 'p', 'merge', { spec: { nodeName: 'n1' } }, { namespace: 'default' });
    await t.settle();
    expect(enqueued).toEqual(['n1']);
    expect(await controller.reconcile('n1')).toBeUndefined();
    expect(lastPodEventTime()).toBe('2026-01-01T00:00:01.000Z');
    expect(podEvents.size).toBe(0);

    await t.clock.advance(3_000);
    await t.client.delete(resources.pods, 'p', { namespace: 'default' });
    await t.settle();
    expect(podEvents.pendingMs('n1')).toBe(Date.parse('2026-01-01T00:00:04Z'));
    // Rate-limited: written once 10 s have passed since the last write.
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: POD_EVENT_WRITE_INTERVAL_MS - 3_000 });
    expect(lastPodEventTime()).toBe('2026-01-01T00:00:01.000Z');
    await t.clock.advance(7_000);
    expect(await controller.reconcile('n1')).toBeUndefined();
    expect(lastPodEventTime()).toBe('2026-01-01T00:00:04.000Z');
    expect(podEvents.size).toBe(0);
  });

  it('forgets events of NodeClaims that are gone', async () => {
    t = await newTestContext({ nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const podEvents = new PodEvents();
    podEvents.record('gone', 0);
    expect(await nodeClaimPodEvents(t.ctx, podEvents).reconcile('gone')).toBeUndefined();
    expect(podEvents.size).toBe(0);
  });
});
