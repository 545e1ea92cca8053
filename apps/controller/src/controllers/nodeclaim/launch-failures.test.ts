import { CreateError, InsufficientCapacityError, type Node, type NodeClaim, type Pod } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedCloudProvider, type SimulatedCloudProviderOptions } from '../../cloudprovider/simulated/simulated.js';
import { resources } from '../../kube/resources.js';
import { launchedClaim, nodePool, pendingPod } from '../../testing/builders.js';
import { newTestContext, type TestContext } from '../../testing/context.js';
import { bindPendingPods, kwokReadiness, runAllControllers, type RunningControllers } from '../../testing/running-controllers.js';
import { ScriptedCloud } from '../../testing/scripted-cloud.js';

let t: TestContext | undefined;
let running: RunningControllers | undefined;
let stopKwok: (() => void) | undefined;
afterEach(async () => {
  stopKwok?.();
  await running?.stop();
  await t?.stop();
  t = running = stopKwok = undefined;
});

/** A test context over a ScriptedCloud, every controller running as operator.ts runs them. */
async function start(seed: Parameters<typeof newTestContext>[0] = {}, simulated: Omit<SimulatedCloudProviderOptions, 'client' | 'clock'> = {}): Promise<{ t: TestContext; cloud: ScriptedCloud }> {
  let cloud: ScriptedCloud | undefined;
  t = await newTestContext({ nodePools: [nodePool()], ...seed }, { cloudProvider: (client, clock) => (cloud = new ScriptedCloud(new SimulatedCloudProvider({ client, clock, ...simulated }))) });
  if (!cloud) throw new Error('no cloud provider');
  stopKwok = kwokReadiness(t, 5_000);
  running = runAllControllers(t);
  return { t, cloud };
}

const claimNames = (t: TestContext): string[] => t.client.all<NodeClaim>(resources.nodeClaims).map((c) => c.metadata.name ?? '');
const nodeNames = (t: TestContext): string[] => t.client.all<Node>(resources.nodes).map((n) => n.metadata.name ?? '');
const unbound = (t: TestContext): string[] => t.client.all<Pod>(resources.pods).filter((p) => !p.spec.nodeName).map((p) => p.metadata.name ?? '');

/** Advances in 5 s steps (binding pods as kube-scheduler would) until `done` or `maxMs`. */
async function runUntil(t: TestContext, done: () => boolean, maxMs: number): Promise<void> {
  for (let waited = 0; waited < maxMs && !done(); waited += 5_000) {
    await t.clock.advance(5_000);
    await bindPendingPods(t);
  }
}

describe('NodeClaim launch, with every controller running', () => {
  it('terminates the instance of a NodeClaim deleted while its launch was in flight (launch and finalization are serialized)', async () => {
    // Karpenter finalizes inside the lifecycle reconciler (nodeclaim/lifecycle Controller.finalize), so the launch
    // returns and records its providerID before finalization looks for an instance to terminate.
    const { t, cloud } = await start();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    cloud.beforeCreate = (_, call) => (call === 1 ? held : undefined);
    await t.client.create(resources.pods, pendingPod('web', '1'));
    await runUntil(t, () => cloud.createCalls > 0, 30_000);
    const [first] = claimNames(t);
    expect(first).toBeDefined();

    await t.client.delete(resources.nodeClaims, first ?? '');
    await t.clock.advance(1_000);
    release();
    await t.clock.advance(5_000);
    // The instance launched for the deleted NodeClaim is gone, and so is the NodeClaim, well before any garbage collection (30 s).
    expect(nodeNames(t)).not.toContain(first);
    expect(claimNames(t)).not.toContain(first);
    expect(cloud.launched).toBeGreaterThanOrEqual(1);
    // The pod still gets its node.
    await runUntil(t, () => unbound(t).length === 0, 120_000);
    expect(unbound(t)).toEqual([]);
  });

  it('gives a launch that keeps failing up after the 5-minute launch timeout; its pods are provisioned again', async () => {
    // Karpenter's Liveness.Reconcile deletes a NodeClaim not launched within LaunchTimeout (5 min), reason launch_timeout.
    const { t, cloud } = await start();
    let doomed: string | undefined;
    const callsFor = new Map<string, number>();
    cloud.beforeCreate = (claim) => {
      const name = claim.metadata.name ?? '';
      doomed ??= name;
      callsFor.set(name, (callsFor.get(name) ?? 0) + 1);
      if (name === doomed) throw new CreateError(`InvalidParameter: request ${callsFor.get(name)} rejected`, 'LaunchFailed');
    };
    await t.client.create(resources.pods, pendingPod('web', '1'));
    await t.clock.advance(4 * 60_000);
    expect(claimNames(t)).toEqual([doomed]);
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, doomed ?? '')?.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Launched', status: 'False', reason: 'LaunchFailed' }));

    await runUntil(t, () => unbound(t).length === 0, 5 * 60_000);
    expect(claimNames(t)).not.toContain(doomed);
    expect(claimNames(t)).toHaveLength(1);
    expect(unbound(t)).toEqual([]);
    expect(t.logs.some((l) => l.message === 'terminating due to timeout')).toBe(true);
    // Retries of the doomed NodeClaim were paced by per-key backoff (100 ms doubling to 60 s): about a dozen in 5 minutes.
    expect(callsFor.get(doomed ?? '')).toBeLessThan(20);
  });

  it('provisions again, with no outside event, for pods whose NodeClaim was deleted after a capacity error', async () => {
    // Karpenter's provisioning.PodController requeues every provisionable pod after 10 s and triggers the provisioner.
    const { t, cloud } = await start();
    cloud.beforeCreate = (_, call) => {
      if (call === 1) throw new InsufficientCapacityError('InsufficientInstanceCapacity');
    };
    await t.client.create(resources.pods, pendingPod('web', '1'));
    await runUntil(t, () => unbound(t).length === 0, 2 * 60_000);
    expect(unbound(t)).toEqual([]);
    expect(cloud.createCalls).toBe(2);
    expect(claimNames(t)).toHaveLength(1);
  });

  it('a capacity error marks the offering unavailable (ICE cache): the NodeClaim planned next launches elsewhere', async () => {
    // Karpenter AWS marks InsufficientInstanceCapacity offerings in its UnavailableOfferings cache for 3 minutes;
    // GetInstanceTypes reports them unavailable, so the next plan and launch avoid them.
    const { t, cloud } = await start({}, { failures: { firstCreates: 1, kind: 'insufficient-capacity' } });
    await t.client.create(resources.pods, pendingPod('web', '1'));
    await runUntil(t, () => unbound(t).length === 0, 2 * 60_000);
    expect(unbound(t)).toEqual([]);
    const failed = t.events.find((e) => e.reason === 'InsufficientCapacityError');
    expect(failed?.message).toMatch(/simulated insufficient capacity for (\S+) in (\S+) \((\S+)\)/);
    const [, type, zone, capacityType] = /for (\S+) in (\S+) \((\S+)\)/.exec(failed?.message ?? '') ?? [];
    const [claim] = t.client.all<NodeClaim>(resources.nodeClaims);
    const labels = claim?.metadata.labels ?? {};
    expect([labels['node.kubernetes.io/instance-type'], labels['topology.kubernetes.io/zone'], labels['karpenter.sh/capacity-type']]).not.toEqual([type, zone, capacityType]);
    const offering = (await cloud.getInstanceTypes(nodePool())).find((it) => it.name === type)?.offerings.find((o) => o.zone === zone && o.capacityType === capacityType);
    expect(offering?.available).toBe(false);
  });

  it('garbage-collects instances with no NodeClaim after 30 s, and NodeClaims whose instance is gone', async () => {
    const orphan: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'orphan', creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'kwok.x-k8s.io/node': 'fake', 'karpenter.sh/nodepool': 'default' } },
      spec: { providerID: 'kwok://orphan' },
      status: {},
    };
    const { t } = await start({ nodes: [orphan], nodeClaims: [launchedClaim('vanished')] });
    await t.clock.advance(1_000);
    // Created at the clock's start: still within the grace period.
    expect(nodeNames(t)).toContain('orphan');
    await t.clock.advance(40_000);
    expect(nodeNames(t)).not.toContain('orphan');
    expect(claimNames(t)).not.toContain('vanished');
    expect(t.logs.map((l) => l.message)).toEqual(expect.arrayContaining(['garbage collected cloudprovider instance', 'garbage collecting nodeclaim with no cloudprovider representation']));
  });
});
