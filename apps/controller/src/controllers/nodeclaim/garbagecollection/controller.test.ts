import { NodeClaimNotFoundError, type CloudProvider, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { resources } from '../../../kube/resources.js';
import { launchedClaim, nodePool } from '../../../testing/builders.js';
import { newTestContext, type TestContext } from '../../../testing/context.js';
import { nodeClaimGarbageCollection } from './controller.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

/** A cloud provider whose instances are `instances` (providerID → creationTimestamp); records deletes. */
function cloud(instances: Map<string, string>, deleted: string[]): CloudProvider {
  const asClaim = (id: string): NodeClaim => ({ apiVersion: 'karpenter.sh/v1', kind: 'NodeClaim', metadata: { name: id, creationTimestamp: instances.get(id) ?? '' }, spec: { requirements: [], nodeClassRef: { group: '', kind: '', name: '' } }, status: { providerID: id } });
  return {
    list: async () => [...instances.keys()].map(asClaim),
    get: async (id: string) => {
      if (!instances.has(id)) throw new NodeClaimNotFoundError(`instance ${id} not found`);
      return asClaim(id);
    },
    delete: async (c: NodeClaim) => {
      deleted.push(c.status?.providerID ?? '');
      instances.delete(c.status?.providerID ?? '');
    },
  } as unknown as CloudProvider;
}

describe('nodeclaim.garbagecollection', () => {
  it('deletes NodeClaims whose instance is gone and terminates unclaimed instances older than 30 s only', async () => {
    const deleted: string[] = [];
    // now is 2026-01-01T00:00:00Z (the fake clock's start)
    const instances = new Map([
      ['kwok://kept', '2025-12-31T23:00:00Z'],
      ['kwok://orphan-old', '2025-12-31T23:59:29Z'],
      ['kwok://orphan-young', '2025-12-31T23:59:45Z'],
    ]);
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('kept', 'default', false), launchedClaim('gone', 'default', false)] }, { cloudProvider: cloud(instances, deleted) });
    await nodeClaimGarbageCollection(t.ctx).reconcile('garbagecollection');
    expect(deleted).toEqual(['kwok://orphan-old']);
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'gone')?.metadata.deletionTimestamp).toBeDefined();
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'kept')?.metadata.deletionTimestamp).toBeUndefined();
  });
});
