import { NODEPOOL_HASH_VERSION, nodePoolTemplateHash, applyNodePoolDefaults, type NodeClaim, type NodePool } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { resources } from '../../../kube/resources.js';
import { launchedClaim, launchedNode, nodePool } from '../../../testing/builders.js';
import { newTestContext, type TestContext } from '../../../testing/context.js';
import { nodePoolHash } from '../../nodepool/hash/controller.js';
import { nodeClaimExpirationController } from '../expiration/controller.js';
import { nodeClaimDisruption } from './controller.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

const condition = (claim: NodeClaim | undefined, type: string) => claim?.status?.conditions?.find((c) => c.type === type);
const withLabels = (pool: NodePool, labels: Record<string, string>): NodePool => ({ ...pool, spec: { ...pool.spec, template: { ...pool.spec.template, metadata: { labels } } } });
/** The claim as the provisioner creates it today: stamped with the pool's hash. */
function stamped(name: string, pool: NodePool, labels: Record<string, string> = {}): NodeClaim {
  const claim = launchedClaim(name);
  return {
    ...claim,
    metadata: {
      ...claim.metadata,
      labels: { ...claim.metadata.labels, 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux', ...labels },
      annotations: { 'karpenter.sh/nodepool-hash': nodePoolTemplateHash(applyNodePoolDefaults(pool)), 'karpenter.sh/nodepool-hash-version': NODEPOOL_HASH_VERSION },
    },
  };
}

describe('nodepool.hash', () => {
  it('stamps the NodePool and re-stamps NodeClaims of another hash version, never a Drifted one', async () => {
    const pool = nodePool();
    const old = { ...launchedClaim('old'), metadata: { ...launchedClaim('old').metadata, annotations: { 'karpenter.sh/nodepool-hash': '1', 'karpenter.sh/nodepool-hash-version': 'v3' } } };
    const driftedBase = launchedClaim('drifted');
    const drifted: NodeClaim = {
      ...driftedBase,
      metadata: { ...driftedBase.metadata, annotations: { 'karpenter.sh/nodepool-hash': '1', 'karpenter.sh/nodepool-hash-version': 'v3' } },
      status: { ...driftedBase.status, conditions: [...(driftedBase.status?.conditions ?? []), { type: 'Drifted', status: 'True', reason: 'NodePoolDrifted', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    };
    t = await newTestContext({ nodePools: [pool], nodeClaims: [old, drifted] });
    await nodePoolHash(t.ctx).reconcile('default');
    const hash = nodePoolTemplateHash(applyNodePoolDefaults(pool));
    expect(t.client.peek<NodePool>(resources.nodePools, 'default')?.metadata.annotations).toEqual({ 'karpenter.sh/nodepool-hash': hash, 'karpenter.sh/nodepool-hash-version': NODEPOOL_HASH_VERSION });
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'old')?.metadata.annotations?.['karpenter.sh/nodepool-hash']).toBe(hash);
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'drifted')?.metadata.annotations?.['karpenter.sh/nodepool-hash']).toBe('1');
  });
});

describe('nodeclaim.disruption', () => {
  it('sets Drifted (NodePoolDrifted) after a template label change, and removes it when the change is undone', async () => {
    const pool = withLabels(nodePool(), { team: 'a' });
    t = await newTestContext({ nodePools: [pool], nodeClaims: [stamped('n1', pool, { team: 'a' })], nodes: [launchedNode('n1')] });
    const controller = nodeClaimDisruption(t.ctx);
    await controller.reconcile('n1');
    expect(condition(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1'), 'Drifted')).toBeUndefined();

    await t.client.replace(resources.nodePools, withLabels({ ...pool, metadata: t.client.peek<NodePool>(resources.nodePools, 'default')!.metadata }, { team: 'b' }));
    await t.settle();
    await controller.reconcile('n1');
    expect(condition(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1'), 'Drifted')).toMatchObject({ status: 'True', reason: 'NodePoolDrifted' });
    expect(t.logs.filter((l) => l.message === 'marked nodeclaim as drifted')).toHaveLength(1);

    await t.client.replace(resources.nodePools, withLabels({ ...pool, metadata: t.client.peek<NodePool>(resources.nodePools, 'default')!.metadata }, { team: 'a' }));
    await t.settle();
    await controller.reconcile('n1');
    expect(condition(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1'), 'Drifted')).toBeUndefined();
  });

  it('RequirementsDrifted when the pool narrows its requirements away from the node; InstanceTypeNotFound for a type the catalog lacks', async () => {
    const pool = nodePool();
    const arm: NodePool = { ...pool, spec: { ...pool.spec, template: { spec: { ...pool.spec.template.spec, requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] } } } };
    const unknownType = stamped('n2', pool, { 'node.kubernetes.io/instance-type': 'no-such-type' });
    t = await newTestContext({ nodePools: [arm], nodeClaims: [stamped('n1', pool), unknownType] });
    await nodeClaimDisruption(t.ctx).reconcile('n1');
    expect(condition(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1'), 'Drifted')).toMatchObject({ status: 'True', reason: 'RequirementsDrifted' });
    await t.client.replace(resources.nodePools, { ...pool, metadata: t.client.peek<NodePool>(resources.nodePools, 'default')!.metadata });
    await t.settle();
    await nodeClaimDisruption(t.ctx).reconcile('n2');
    expect(condition(t.client.peek<NodeClaim>(resources.nodeClaims, 'n2'), 'Drifted')).toMatchObject({ status: 'True', reason: 'InstanceTypeNotFound' });
  });

  it('sets Consolidatable once consolidateAfter has passed since initialization, and looks again at that instant', async () => {
    const pool = nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s' });
    t = await newTestContext({ nodePools: [pool], nodeClaims: [stamped('n1', pool)], nodes: [launchedNode('n1')] });
    await t.clock.advance(Date.parse('2026-01-01T00:00:10Z') - t.clock.now());
    const controller = nodeClaimDisruption(t.ctx);
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: 20_000 });
    expect(condition(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1'), 'Consolidatable')).toBeUndefined();
    await t.clock.advance(Date.parse('2026-01-01T00:00:30Z') - t.clock.now());
    await controller.reconcile('n1');
    expect(condition(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1'), 'Consolidatable')).toMatchObject({ status: 'True' });
  });
});

describe('nodeclaim.expiration', () => {
  it('deletes the NodeClaim once expireAfter has passed (no budget consulted); Never never', async () => {
    const base = launchedClaim('n1');
    const claim: NodeClaim = { ...base, metadata: { ...base.metadata, creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { ...base.spec, expireAfter: '1m' } };
    const never: NodeClaim = { ...base, metadata: { ...base.metadata, name: 'n2', uid: 'uid-n2', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { ...base.spec, expireAfter: 'Never' } };
    t = await newTestContext({ nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: 'Never', budgets: [{ nodes: '0' }] })], nodeClaims: [claim, never] });
    await t.clock.advance(Date.parse('2026-01-01T00:00:20Z') - t.clock.now());
    const controller = nodeClaimExpirationController(t.ctx);
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: 40_000 });
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.metadata.deletionTimestamp).toBeUndefined();
    await t.clock.advance(Date.parse('2026-01-01T00:01:00Z') - t.clock.now());
    await controller.reconcile('n1');
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.metadata.deletionTimestamp).toBeDefined();
    expect(t.events.map((e) => e.reason)).toContain('Expired');
    expect(await controller.reconcile('n2')).toBeUndefined();
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'n2')?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('waits at most an hour per look (timers cannot hold 30 days)', async () => {
    const base = launchedClaim('n1');
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [{ ...base, metadata: { ...base.metadata, creationTimestamp: '2026-01-01T00:00:00Z' } }] });
    await t.clock.advance(Date.parse('2026-01-01T00:00:00Z') - t.clock.now());
    expect(await nodeClaimExpirationController(t.ctx).reconcile('n1')).toEqual({ requeueAfterMs: 3_600_000 });
  });
});
