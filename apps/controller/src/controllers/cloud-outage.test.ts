import { CreateError, defaultCatalog, type NodeClaim, type Pod } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedCloudProvider } from '../cloudprovider/simulated/simulated.js';
import { resources } from '../kube/resources.js';
import { ec2NodeClass, nodePool, pendingPod } from '../testing/builders.js';
import { newTestContext, type TestContext } from '../testing/context.js';
import type { FakeKubeClient } from '../testing/fake-kube.js';
import { ScriptedCloud } from '../testing/scripted-cloud.js';
import { bindPendingPods, kwokReadiness, runAllControllers, type RunningControllers } from '../testing/running-controllers.js';

let t: TestContext | undefined;
let running: RunningControllers | undefined;
let stopKwok: (() => void) | undefined;
afterEach(async () => {
  stopKwok?.();
  await running?.stop();
  await t?.stop();
  t = running = stopKwok = undefined;
});

/** 3-CPU pods that may land in zone a or b: one per c-4x node (3.9 CPU allocatable). */
const zonalPod = (name: string): Pod => ({
  ...pendingPod(name, '3'),
  spec: {
    ...pendingPod(name, '3').spec,
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['test-zone-a', 'test-zone-b'] }] }] } } },
  },
});

const liveClaims = (client: FakeKubeClient): NodeClaim[] => client.all<NodeClaim>(resources.nodeClaims);
const claimCreates = (client: FakeKubeClient): number => client.writes.filter((w) => w.verb === 'create' && w.resource === 'nodeclaims' && !w.subresource).length;

describe('every controller, wired as operator.ts wires them, against a failing cloud API', () => {
  it('the cloud API fails for one minute while more pods arrive: one NodeClaim per needed node, and no extra launch when it recovers', async () => {
    let cloud: ScriptedCloud | undefined;
    const catalog = defaultCatalog().filter((it) => it.name === 'c-4x-amd64-linux');
    t = await newTestContext(
      { nodePools: [nodePool()], ec2NodeClasses: [ec2NodeClass()] },
      { cloudProvider: (client) => (cloud = new ScriptedCloud(new SimulatedCloudProvider({ client, instanceTypes: catalog }))) },
    );
    if (!cloud) throw new Error('no cloud provider');
    // Every create fails for one minute, each failure with a new request id in its message (as AWS errors carry one).
    const failUntilMs = t.clock.now() + 60_000;
    const clock = t.clock;
    cloud.beforeCreate = (_, call) => {
      if (clock.now() < failUntilMs) throw new CreateError(`RequestLimitExceeded: request ${call} throttled`, 'LaunchFailed');
    };
    stopKwok = kwokReadiness(t, 5_000);
    running = runAllControllers(t);

    // Three pods now, two more at 20 s and at 40 s, all while every launch fails.
    for (const name of ['a-0', 'a-1', 'a-2']) await t.client.create(resources.pods, zonalPod(name));
    await t.clock.advance(20_000);
    for (const name of ['b-0', 'b-1']) await t.client.create(resources.pods, zonalPod(name));
    await t.clock.advance(20_000);
    for (const name of ['c-0', 'c-1']) await t.client.create(resources.pods, zonalPod(name));
    await t.clock.advance(25_000);
    const createCallsDuringOutage = cloud.createCalls;
    const claimsDuringOutage = claimCreates(t.client);

    // The API is back: within a few minutes every pod runs (kube-scheduler binds once nodes are Ready).
    for (let i = 0; i < 60 && t.client.all<Pod>(resources.pods).some((p) => !p.spec.nodeName); i++) {
      await t.clock.advance(5_000);
      await bindPendingPods(t);
    }
    // Measured (issue 15): before the fix 15 NodeClaims created and launched, 5365 create calls during the
    // outage; after it 7 NodeClaims, 7 launches, 30 create calls during the outage (37 in all).
    expect(t.client.all<Pod>(resources.pods).filter((p) => !p.spec.nodeName).map((p) => p.metadata.name)).toEqual([]);
    expect(claimCreates(t.client)).toBe(7);
    expect(liveClaims(t.client)).toHaveLength(7);
    expect(cloud.launched).toBe(7);
    // Retries are paced by backoff: a handful per NodeClaim over the minute, not hundreds at one instant.
    expect(createCallsDuringOutage).toBeLessThan(7 * 15);
    expect(claimsDuringOutage).toBe(3);
    // Meanwhile the provisioner waited on the in-flight NodeClaims, and said so (Karpenter's message).
    expect(t.logs.filter((l) => l.message === 'cluster is waiting on sync for extended duration').length).toBeGreaterThan(0);
  });
});
