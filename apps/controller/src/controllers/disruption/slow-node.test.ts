import type { NodeClaim, Pod } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { resources } from '../../kube/resources.js';
import { ec2NodeClass, nodePool, pendingPod } from '../../testing/builders.js';
import { newTestContext, type TestContext } from '../../testing/context.js';
import { bindPendingPods, kwokReadiness, runAllControllers, type RunningControllers } from '../../testing/running-controllers.js';

let t: TestContext | undefined;
let running: RunningControllers | undefined;
let stopKwok: (() => void) | undefined;
afterEach(async () => {
  stopKwok?.();
  await running?.stop();
  await t?.stop();
  t = running = stopKwok = undefined;
});

describe('disruption.emptiness with every controller running', () => {
  it('never removes as empty a node that takes 45 s to become Ready before kube-scheduler binds its pods', async () => {
    // consolidateAfter 0s (Karpenter's default for WhenEmptyOrUnderutilized): the node is a candidate the moment it
    // is initialized. Karpenter keeps it because its pods are nominated to it (the provisioner renews nominations on
    // every round while they wait, PodController requeues them every 10 s) and because Validation.IsValid waits 15 s
    // and re-checks nominations before deleting.
    t = await newTestContext({ nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s' })], ec2NodeClasses: [ec2NodeClass()] });
    stopKwok = kwokReadiness(t, 45_000);
    running = runAllControllers(t);
    for (const name of ['web-0', 'web-1']) await t.client.create(resources.pods, pendingPod(name, '1'));
    const unbound = (): Pod[] => t?.client.all<Pod>(resources.pods).filter((p) => !p.spec.nodeName) ?? [];
    // kube-scheduler looks every 5 s and binds only to Ready nodes.
    let nominatedAt40s = false;
    for (let waited = 0; waited < 120_000 && unbound().length > 0; waited += 5_000) {
      await t.clock.advance(5_000);
      await bindPendingPods(t);
      if (waited + 5_000 === 40_000) {
        // Twice the first nomination window (20 s) later, the waiting pods' nomination has been renewed.
        const claim = t.client.all<NodeClaim>(resources.nodeClaims)[0]?.metadata.name ?? '';
        nominatedAt40s = t.ctx.state.isNominated(claim, t.clock.now());
      }
    }
    expect(nominatedAt40s).toBe(true);
    expect(unbound()).toEqual([]);
    await t.clock.advance(60_000);
    expect(t.client.writes.filter((w) => w.verb === 'delete' && w.resource === 'nodeclaims')).toEqual([]);
    expect(t.client.all<NodeClaim>(resources.nodeClaims)).toHaveLength(1);
  });
});
