import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeKubeClient } from '../testing/fake-kube.js';
import { flush } from '../testing/fake-clock.js';
import type { KubeObject, WatchEvent, WatchOptions } from './client.js';
import { KubeApiError } from './errors.js';
import { Informer } from './informer.js';
import { resources, type ResourceType } from './resources.js';

const log = pino({ level: 'silent' });
const node = (name: string, labels: Record<string, string> = {}): KubeObject => ({ metadata: { name, labels } });

/** A fake whose next watch fails with 410 Gone (as after an etcd compaction), then behaves normally. */
class ExpiringWatchClient extends FakeKubeClient {
  lists = 0;
  expireNextWatch = false;
  override list<T extends KubeObject>(type: ResourceType, options = {}) {
    this.lists++;
    return super.list<T>(type, options);
  }
  override watch<T extends KubeObject>(type: ResourceType, options: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Promise<void> {
    if (this.expireNextWatch) {
      this.expireNextWatch = false;
      return Promise.reject(new KubeApiError('too old resource version', 410, 'Expired'));
    }
    return super.watch(type, options, onEvent);
  }
}

describe('Informer', () => {
  it('lists, then follows watch events, and fires add/update/delete handlers', async () => {
    const client = new FakeKubeClient();
    client.seed(resources.nodes, node('a'));
    const informer = new Informer<KubeObject>({ client, type: resources.nodes, log });
    const events: string[] = [];
    informer.on({
      onAdd: (o) => events.push(`add ${o.metadata.name}`),
      onUpdate: (_, o) => events.push(`update ${o.metadata.name}`),
      onDelete: (o) => events.push(`delete ${o.metadata.name}`),
    });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    await flush();
    await client.create(resources.nodes, node('b'));
    await client.patch(resources.nodes, 'a', 'merge', { metadata: { labels: { x: 'y' } } });
    await client.delete(resources.nodes, 'b');
    await flush();
    expect(events).toEqual(['add a', 'add b', 'update a', 'delete b']);
    expect(informer.get('a')?.metadata.labels).toEqual({ x: 'y' });
    abort.abort();
    await run;
  });

  it('relists on 410 Gone and emits the difference (deletes missed while disconnected)', async () => {
    const client = new ExpiringWatchClient();
    client.seed(resources.nodes, node('a'), node('b'));
    const informer = new Informer<KubeObject>({ client, type: resources.nodes, log, backoff: { baseMs: 1 } });
    const deleted: string[] = [];
    informer.on({ onDelete: (o) => deleted.push(o.metadata.name ?? '') });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    await flush();
    expect(client.lists).toBe(1);
    // The watch ends (server timeout) while b is deleted behind our back, and the resumed watch is too old.
    client.expireNextWatch = true;
    (client as unknown as { bucket(t: ResourceType): Map<string, KubeObject> }).bucket(resources.nodes).delete('b');
    client.closeWatches();
    await flush();
    expect(client.lists).toBe(2);
    expect(deleted).toEqual(['b']);
    expect(informer.list().map((o) => o.metadata.name)).toEqual(['a']);
    abort.abort();
    await run;
  });

  it('assume() puts our own write in the cache at once and ignores stale copies', async () => {
    const client = new FakeKubeClient();
    const informer = new Informer<KubeObject>({ client, type: resources.nodes, log });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    informer.assume({ metadata: { name: 'x', resourceVersion: '10', labels: { v: 'new' } } });
    informer.assume({ metadata: { name: 'x', resourceVersion: '9', labels: { v: 'old' } } });
    expect(informer.get('x')?.metadata.labels).toEqual({ v: 'new' });
    abort.abort();
    await run;
  });

  it('treats a resource that is not served as empty when allowMissing', async () => {
    const client = new FakeKubeClient();
    client.list = () => Promise.reject(new KubeApiError('the server could not find the requested resource', 404, 'NotFound'));
    const informer = new Informer<KubeObject>({ client, type: resources.provisioners, log, allowMissing: true, backoff: { baseMs: 1 } });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    expect(informer.synced).toBe(true);
    expect(informer.size).toBe(0);
    abort.abort();
    await run;
  });
});
