import type { Node } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../kube/client.js';
import { resources } from '../kube/resources.js';
import { FakeKubeClient } from './fake-kube.js';

const node = (name: string): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { a: '1' } }, spec: {}, status: {} });

describe('FakeKubeClient', () => {
  it('treats a patch or replace that changes nothing as a no-op, as kube-apiserver does: same resourceVersion, no watch event', async () => {
    const client = new FakeKubeClient();
    const events: WatchEvent<Node>[] = [];
    const abort = new AbortController();
    void client.watch<Node>(resources.nodes, { resourceVersion: '0', signal: abort.signal }, (e) => events.push(e));
    const created = await client.create(resources.nodes, node('n1'));
    expect(events).toHaveLength(1);

    const patched = await client.patch<Node>(resources.nodes, 'n1', 'merge', { metadata: { labels: { a: '1' } } });
    const statusPatched = await client.patch<Node>(resources.nodes, 'n1', 'merge', { status: {} }, { subresource: 'status' });
    const replaced = await client.replace(resources.nodes, created);
    expect([patched, statusPatched, replaced].map((o) => o.metadata.resourceVersion)).toEqual(Array(3).fill(created.metadata.resourceVersion));
    expect(events).toHaveLength(1);
    expect(client.writes.map((w) => w.verb)).toEqual(['create', 'patch', 'patch', 'update']);

    const changed = await client.patch<Node>(resources.nodes, 'n1', 'merge', { metadata: { labels: { a: '2' } } });
    expect(changed.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    abort.abort();
  });
});
