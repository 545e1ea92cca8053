import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { FakeKubeClient } from '../testing/fake-kube.js';
import { FakeClock, flush } from '../testing/fake-clock.js';
import type { KubeObject, WatchEvent, WatchOptions } from './client.js';
import { KubeApiError } from './errors.js';
import { Informer } from './informer.js';
import { createLogger } from '../log.js';
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

/** A fake whose next watch is throttled: 429 with Retry-After (API Priority and Fairness), then behaves normally. */
class ThrottledWatchClient extends FakeKubeClient {
  watches = 0;
  throttleNextWatchMs: number | undefined;
  override watch<T extends KubeObject>(type: ResourceType, options: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Promise<void> {
    this.watches++;
    const retryAfterMs = this.throttleNextWatchMs;
    if (retryAfterMs !== undefined) {
      this.throttleNextWatchMs = undefined;
      return Promise.reject(new KubeApiError('too many requests, please try again later', 429, 'TooManyRequests', undefined, { retryAfterMs }));
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

  it('waits the Retry-After of a throttled (429) watch before watching again, even when its own backoff is shorter', async () => {
    const client = new ThrottledWatchClient();
    const clock = new FakeClock();
    client.seed(resources.nodes, node('a'));
    client.throttleNextWatchMs = 5_000;
    const informer = new Informer<KubeObject>({ client, type: resources.nodes, log, clock, backoff: { baseMs: 1 } });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    await flush();
    expect(client.watches).toBe(1);
    await clock.advance(4_900);
    await flush();
    expect(client.watches).toBe(1);
    await clock.advance(200);
    await flush();
    expect(client.watches).toBe(2);
    await client.create(resources.nodes, node('b'));
    await flush();
    expect(informer.get('b')).toBeDefined();
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
    await vi.waitFor(() => expect(client.lists).toBe(2));
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

  it('a watch that closes at once with no events backs off instead of reconnecting in a loop', async () => {
    const client = new CountingWatchClient('close');
    const clock = new FakeClock();
    const informer = new Informer<KubeObject>({ client, type: resources.nodes, log, clock, backoff: { baseMs: 200, maxMs: 30_000, jitter: 0 } });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    await flush();
    expect(client.watches).toBe(1); // no second request in the same instant
    await clock.advance(10_000);
    // 200 ms, 400 ms, 800 ms, ... : about log2(10 000 / 200) + 1 attempts in 10 s, not hundreds.
    expect(client.watches).toBeGreaterThanOrEqual(5);
    expect(client.watches).toBeLessThanOrEqual(7);
    expect(client.lists).toBe(1); // the resourceVersion is still good: resumes, does not relist
    abort.abort();
    await run;
  });

  it('a watch that delivered events and then ended resumes at once (backoff reset)', async () => {
    const client = new FakeKubeClient();
    const clock = new FakeClock();
    let watches = 0;
    const watch = client.watch.bind(client);
    client.watch = ((type, options, onEvent) => (watches++, watch(type, options, onEvent))) as FakeKubeClient['watch'];
    const informer = new Informer<KubeObject>({ client, type: resources.nodes, log, clock });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    await flush();
    await client.create(resources.nodes, node('a'));
    await clock.advance(2_000);
    client.closeWatches();
    await flush();
    expect(watches).toBe(2);
    expect(informer.get('a')).toBeDefined();
    abort.abort();
    await run;
  });

  it('a watch that hangs past its server-side timeout is abandoned by a client-side timer and relisted', async () => {
    const client = new CountingWatchClient('hang');
    const clock = new FakeClock();
    const informer = new Informer<KubeObject>({ client, type: resources.nodes, log, clock, watchTimeoutSeconds: 60, backoff: { baseMs: 100, jitter: 0 } });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    await flush();
    expect(client.lastTimeoutSeconds).toBeGreaterThanOrEqual(60);
    // Server-side timeout is in [60 s, 120 s); the client gives up at most 30 s after it.
    await clock.advance(120_000 + 30_000 + 1_000);
    expect(client.lists).toBe(2);
    expect(client.watches).toBe(2);
    expect(client.openWatches).toBe(1); // the stale request was aborted
    abort.abort();
    await run;
  });

  it('missing bookmarks (none for 3 intervals after the server showed it sends them) count as a dead watch: relist', async () => {
    const client = new CountingWatchClient('bookmark-then-silence');
    const clock = new FakeClock();
    const informer = new Informer<KubeObject>({ client, type: resources.nodes, log, clock, bookmarkIntervalMs: 60_000, backoff: { baseMs: 100, jitter: 0 } });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    await flush();
    expect(client.lastAllowBookmarks).toBe(true);
    await clock.advance(170_000);
    expect(client.lists).toBe(1);
    await clock.advance(20_000);
    expect(client.lists).toBe(2);
    expect(client.openWatches).toBe(1);
    abort.abort();
    await run;
  });
});

describe('Informer failure logging', () => {
  it('an outage is one WARN (later failures at debug) and one INFO when the informer is back, not a warning per retry', async () => {
    const lines: { level: string; message: string }[] = [];
    const logger = createLogger('info', { write: (l: string) => (lines.push(JSON.parse(l) as { level: string; message: string }), true) } as unknown as NodeJS.WritableStream);
    const client = new FakeKubeClient();
    const clock = new FakeClock();
    let down = false;
    const watch = client.watch.bind(client);
    client.watch = ((type, options, onEvent) => (down ? Promise.reject(new KubeApiError('connect ECONNREFUSED', 0)) : watch(type, options, onEvent))) as FakeKubeClient['watch'];
    const informer = new Informer<KubeObject>({ client, type: resources.nodes, log: logger, clock, backoff: { baseMs: 200, jitter: 0 } });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    await flush();
    down = true;
    client.closeWatches();
    await clock.advance(60_000); // many retries
    down = false;
    await clock.advance(31_000);
    await client.create(resources.nodes, node('after'));
    await flush();
    expect(informer.get('after')).toBeDefined();
    abort.abort();
    await run;
    expect(lines.filter((l) => l.level === 'WARN').map((l) => l.message)).toEqual(['watch failed']);
    expect(lines.filter((l) => l.level === 'INFO').map((l) => l.message)).toEqual(['watch recovered']);
  });
});

/**
 * A fake API whose watches misbehave: `close` ends every watch at once with no events (after 200 requests it
 * hangs instead, so a busy loop shows up as a count rather than a hung test); `hang` never sends anything and
 * never ends; `bookmark-then-silence` sends one bookmark, then nothing, and never ends.
 */
class CountingWatchClient extends FakeKubeClient {
  watches = 0;
  lists = 0;
  openWatches = 0;
  lastTimeoutSeconds: number | undefined;
  lastAllowBookmarks: boolean | undefined;
  constructor(private readonly mode: 'close' | 'hang' | 'bookmark-then-silence') {
    super();
  }
  override list<T extends KubeObject>(type: ResourceType, options = {}) {
    this.lists++;
    return super.list<T>(type, options);
  }
  override watch<T extends KubeObject>(_type: ResourceType, options: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Promise<void> {
    this.watches++;
    this.lastTimeoutSeconds = options.timeoutSeconds;
    this.lastAllowBookmarks = options.allowWatchBookmarks;
    if (this.mode === 'close' && this.watches < 200) return Promise.resolve();
    if (this.mode === 'bookmark-then-silence') onEvent({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '1' } } as T });
    this.openWatches++;
    return new Promise((resolve) => {
      options.signal?.addEventListener('abort', () => (this.openWatches--, resolve()), { once: true });
    });
  }
}
