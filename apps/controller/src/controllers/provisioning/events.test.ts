import { NodeClaimNotFoundError, type NodeClaim, type NodePool, type Pod } from '@karpenter-ts/provisioner-domain';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedCloudProvider } from '../../cloudprovider/simulated/simulated.js';
import { KubeEventRecorder } from '../../kube/events.js';
import type { KubeObject } from '../../kube/client.js';
import { resources, type ResourceType } from '../../kube/resources.js';
import { launchedClaim, launchedNode, nodePool, pendingPod } from '../../testing/builders.js';
import { newTestContext, type TestContext } from '../../testing/context.js';
import { FakeClock, flush } from '../../testing/fake-clock.js';
import { FakeKubeClient } from '../../testing/fake-kube.js';
import { ScriptedCloud } from '../../testing/scripted-cloud.js';
import { finalizeNodeClaim } from '../nodeclaim/lifecycle/finalize.js';
import { watchPodMetrics } from '../pod/metrics/controller.js';
import { failedSchedulingEvent, nodePoolEvents, nominatedEvent } from './events.js';
import { provisioner } from './provisioner.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

/** A histogram's `_count` and `_sum` (all label sets together). */
async function histogram(t: TestContext, name: string): Promise<{ count: number; sum: number }> {
  const metric = t.ctx.metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const total = (suffix: string) => values.filter((v) => (v as { metricName?: string }).metricName === name + suffix).reduce((n, v) => n + v.value, 0);
  return { count: total('_count'), sum: total('_sum') };
}

describe('pod and NodePool events (Karpenter scheduling events)', () => {
  it('Nominated names the NodeClaim and, once known, the node, as Karpenter writes it', () => {
    const pod = pendingPod('p');
    expect(nominatedEvent(pod, { nodeClaimName: 'default-abcde' })).toMatchObject({ type: 'Normal', reason: 'Nominated', message: 'Pod should schedule on: nodeclaim/default-abcde' });
    expect(nominatedEvent(pod, { nodeClaimName: 'default-abcde', nodeName: 'ip-10-0-0-1' }).message).toBe('Pod should schedule on: nodeclaim/default-abcde, node/ip-10-0-0-1');
    expect(nominatedEvent(pod, { nodeName: 'n1' }).message).toBe('Pod should schedule on: node/n1');
  });

  it('FailedScheduling is written once per pod per 5 minutes, whatever its explanation says', async () => {
    const client = new FakeKubeClient();
    const clock = new FakeClock();
    const recorder = new KubeEventRecorder(client, clock, pino({ level: 'silent' }));
    const pod = pendingPod('p');
    recorder.publish(failedSchedulingEvent(pod, 'incompatible with nodepool "default", no instance type has enough resources'));
    await clock.advance(60_000);
    recorder.publish(failedSchedulingEvent(pod, 'incompatible with nodepool "default", cpu limit 1 reached'));
    await clock.advance(240_001);
    recorder.publish(failedSchedulingEvent(pod, 'incompatible with nodepool "default", cpu limit 1 reached'));
    await recorder.drain();
    const written = client.all<KubeObject & { reason: string; message: string }>(resources.events as ResourceType);
    expect(written.map((e) => e.message)).toEqual([
      'Failed to schedule pod, incompatible with nodepool "default", no instance type has enough resources',
      'Failed to schedule pod, incompatible with nodepool "default", cpu limit 1 reached',
    ]);
  });

  it('a pod that fits an existing node is nominated to it: "nodeclaim/NAME, node/NAME"', async () => {
    t = await newTestContext({ nodePools: [nodePool()], nodes: [launchedNode('n1')], nodeClaims: [launchedClaim('n1')], pods: [pendingPod('fits', '1')] });
    await provisioner(t.ctx).reconcile('provisioner');
    expect(t.client.all(resources.nodeClaims)).toHaveLength(1);
    expect(t.events.filter((e) => e.reason === 'Nominated').map((e) => [e.regarding.metadata.name, e.message])).toEqual([['fits', 'Pod should schedule on: nodeclaim/n1, node/n1']]);
  });

  it('a NodePool whose limits refuse a pod gets a LimitsExceeded warning; the pod a FailedScheduling with the explanation', async () => {
    const pool = { ...nodePool(), spec: { ...nodePool().spec, limits: { cpu: '1' } } } as NodePool;
    t = await newTestContext({ nodePools: [pool], pods: [pendingPod('big', '2'), pendingPod('big-2', '2')] });
    await provisioner(t.ctx).reconcile('provisioner');
    expect(t.client.all(resources.nodeClaims)).toHaveLength(0);
    const failed = t.events.filter((e) => e.reason === 'FailedScheduling');
    expect(failed).toHaveLength(2);
    expect(failed[0]?.message).toMatch(/^Failed to schedule pod, .*nodepool "default": cpu limit 1 vCPU reached/);
    const poolEvents = t.events.filter((e) => e.regarding.kind === 'NodePool');
    expect(poolEvents).toEqual([
      expect.objectContaining({ type: 'Warning', reason: 'LimitsExceeded', message: expect.stringMatching(/^NodePool limits reached, cpu limit 1 vCPU reached .*; 2 pod\(s\) could not be scheduled$/), dedupeValues: ['uid-default'] }),
    ]);
  });

  it('NoCompatibleInstanceTypes for a pool whose requirements leave no instance type; none for pools that are not found', () => {
    const pod = pendingPod('p') as Pod;
    const unschedulable = [{ pod, reason: 'x', nodePools: { a: 'no instance types', gone: 'no instance types' }, rejections: { a: { kind: 'no-instance-types' as const, listed: 0 }, gone: { kind: 'no-instance-types' as const, listed: 0 } } }];
    const events = nodePoolEvents(unschedulable, (name) => (name === 'a' ? nodePool('a') : undefined));
    expect(events).toEqual([expect.objectContaining({ reason: 'NoCompatibleInstanceTypes', message: 'No available instance type meets the NodePool requirements', regarding: expect.objectContaining({ kind: 'NodePool' }) })]);
  });
});

describe('karpenter_pods_provisioning_bound_duration_seconds and karpenter_nodeclaims_instance_termination_duration_seconds', () => {
  it('observes the time from the provisioner\'s decision to the pod binding, once per pod', async () => {
    t = await newTestContext({ nodePools: [nodePool()], pods: [pendingPod('p', '1')] });
    const stop = watchPodMetrics(t.ctx);
    await provisioner(t.ctx).reconcile('provisioner');
    await t.clock.advance(7_000);
    const pod = t.client.peek<Pod>(resources.pods, 'p', 'default');
    await t.client.patch(resources.pods, 'p', 'merge', { metadata: { resourceVersion: pod?.metadata.resourceVersion }, spec: { nodeName: 'n1' } }, { namespace: 'default' });
    await t.settle();
    stop();
    expect(await histogram(t, 'karpenter_pods_provisioning_bound_duration_seconds')).toEqual({ count: 1, sum: 7 });
  });

  it('a pod bound without a provisioning decision is not observed', async () => {
    t = await newTestContext({ pods: [pendingPod('p', '1')] });
    const stop = watchPodMetrics(t.ctx);
    const pod = t.client.peek<Pod>(resources.pods, 'p', 'default');
    await t.client.patch(resources.pods, 'p', 'merge', { metadata: { resourceVersion: pod?.metadata.resourceVersion }, spec: { nodeName: 'n1' } }, { namespace: 'default' });
    await t.settle();
    stop();
    expect(await histogram(t, 'karpenter_pods_provisioning_bound_duration_seconds')).toEqual({ count: 0, sum: 0 });
  });

  it('observes from the first accepted instance termination to the provider reporting it gone, and the NodeClaim termination from its deletion', async () => {
    class TerminatesOnce extends ScriptedCloud {
      deletes = 0;
      override async delete(): Promise<void> {
        if (++this.deletes > 1) throw new NodeClaimNotFoundError('instance not found');
      }
    }
    const claim = { ...launchedClaim('c1'), metadata: { ...launchedClaim('c1').metadata, deletionTimestamp: '2026-01-01T00:00:00.000Z' } } as NodeClaim;
    t = await newTestContext({ nodeClaims: [claim] }, { cloudProvider: (client) => new TerminatesOnce(new SimulatedCloudProvider({ client, nodeClass: () => undefined })) });
    await t.clock.advance(2_000);
    expect(await finalizeNodeClaim(t.ctx, t.ctx.state.nodeClaim('c1') as NodeClaim)).toEqual({ requeueAfterMs: 1_000 });
    await t.clock.advance(3_000);
    await finalizeNodeClaim(t.ctx, t.ctx.state.nodeClaim('c1') as NodeClaim);
    await flush();
    expect(await histogram(t, 'karpenter_nodeclaims_instance_termination_duration_seconds')).toEqual({ count: 1, sum: 3 });
    expect(await histogram(t, 'karpenter_nodeclaims_termination_duration_seconds')).toEqual({ count: 1, sum: 5 });
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'c1')?.metadata.finalizers ?? []).toEqual([]);
  });
});
