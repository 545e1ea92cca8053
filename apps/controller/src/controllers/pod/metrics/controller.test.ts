import type { Pod } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { daemonSetPod, launchedNode, pendingPod } from '../../../testing/builders.js';
import { newTestContext, type TestContext } from '../../../testing/context.js';
import { watchPodMetrics } from './controller.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

describe('karpenter_pods_state', () => {
  it("has Karpenter's labels: owner as kind/name, scheduled, ready and managed", async () => {
    const ds: Pod = daemonSetPod('ds-n1', 'n1');
    ds.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    t = await newTestContext({ nodes: [launchedNode('n1')], pods: [ds, pendingPod('waiting')] });
    const stop = watchPodMetrics(t.ctx);
    const { values } = await (t.ctx.metrics.registry.getSingleMetric('karpenter_pods_state')?.get() ?? Promise.reject(new Error('no karpenter_pods_state')));
    stop();
    const byName = Object.fromEntries(values.map((v) => [v.labels['name'], v.labels]));
    expect(byName['ds-n1']).toEqual({ name: 'ds-n1', namespace: 'default', owner: 'DaemonSet/ds', node: 'n1', scheduled: 'true', nodepool: 'default', zone: '', arch: '', capacity_type: '', instance_type: '', phase: 'Running', ready: 'true', managed: 'true' });
    expect(byName['waiting']).toMatchObject({ owner: '', node: '', scheduled: 'false', phase: 'Pending', ready: 'false', managed: 'false' });
  });
});
