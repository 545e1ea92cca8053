import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { FakeClock } from '../testing/fake-clock.js';
import { FakeKubeClient } from '../testing/fake-kube.js';
import type { KubeObject } from './client.js';
import { KubeApiError } from './errors.js';
import { Informer } from './informer.js';
import { LeaderElector } from './leaderelection.js';
import { resources, type ResourceType } from './resources.js';
import { WarmupReporter } from './warmup.js';

interface Line {
  level: string;
  message: string;
  [key: string]: unknown;
}

function capture(): { log: ReturnType<typeof createLogger>; lines: Line[] } {
  const lines: Line[] = [];
  const log = createLogger('info', { write: (line: string) => (lines.push(JSON.parse(line) as Line), true) } as unknown as NodeJS.WritableStream);
  return { log, lines };
}

const forbidden = (what: string) =>
  new KubeApiError(`GET ${what}: 403 ${what} is forbidden: User "karpenter-ts-controller" cannot list resource`, 403, 'Forbidden');
const tooMany = () => new KubeApiError('GET /api/v1/pods: 429 Too many requests, please try again later.', 429, 'TooManyRequests');

/** A fake whose first `failures` lists and lease reads answer `error()`, as an API server warming up does. */
class WarmingUpClient extends FakeKubeClient {
  constructor(
    private failures: number,
    private readonly error: (what: string) => KubeApiError,
  ) {
    super();
  }
  override list<T extends KubeObject>(type: ResourceType, options = {}) {
    if (this.failures-- > 0) return Promise.reject(this.error(type.plural));
    return super.list<T>(type, options);
  }
  override get<T extends KubeObject>(type: ResourceType, name: string, namespace?: string) {
    if (this.failures-- > 0) return Promise.reject(this.error(type.plural));
    return super.get<T>(type, name, namespace);
  }
}

describe('startup quiet: expected warm-up answers', () => {
  it.each([
    ['403 while RBAC propagates', forbidden, /403.*RBAC/],
    ['429 while the API server starts', tooMany, /429/],
  ])('%s: informers retry with one info line, no WARN/ERROR, no stack trace', async (_, error, pattern) => {
    const { log, lines } = capture();
    const clock = new FakeClock();
    const client = new WarmingUpClient(6, error);
    const warmup = new WarmupReporter(log);
    const informers = [resources.pods, resources.nodes].map((type) => new Informer<KubeObject>({ client, type, log, clock, warmup, backoff: { baseMs: 100, jitter: 0 } }));
    const abort = new AbortController();
    const runs = informers.map((i) => i.run(abort.signal));
    while (!informers.every((i) => i.synced)) await clock.advance(100);
    abort.abort();
    await Promise.all(runs);
    expect(lines.filter((l) => l.level === 'WARN' || l.level === 'ERROR')).toEqual([]);
    const info = lines.filter((l) => l.level === 'INFO');
    expect(info).toHaveLength(1);
    expect(info[0]?.message).toMatch(pattern);
    expect(JSON.stringify(lines)).not.toContain('stack');
  });

  it('leader election retries a 403 on its Lease quietly (one info line shared with the informers)', async () => {
    const { log, lines } = capture();
    const clock = new FakeClock();
    const client = new WarmingUpClient(3, forbidden);
    const warmup = new WarmupReporter(log);
    const elector = new LeaderElector({ client, log, clock, warmup, namespace: 'karpenter', name: 'karpenter-leader-election', identity: 'a', retryPeriodMs: 1_000 });
    let leads = false;
    const campaign = elector.acquire(new AbortController().signal).then((ok) => (leads = ok));
    while (!leads) await clock.advance(1_000);
    await campaign;
    expect(lines.filter((l) => l.level === 'WARN' || l.level === 'ERROR')).toEqual([]);
    expect(lines.filter((l) => /403/.test(l.message))).toHaveLength(1);
  });

  it('after warm-up (once the cache synced) the same answers are warnings again, still without stack traces', async () => {
    const { log, lines } = capture();
    const clock = new FakeClock();
    const client = new FakeKubeClient();
    let refuse = false;
    const watch = client.watch.bind(client);
    client.watch = ((type, options, onEvent) => (refuse ? Promise.reject(forbidden(type.plural)) : watch(type, options, onEvent))) as FakeKubeClient['watch'];
    const informer = new Informer<KubeObject>({ client, type: resources.pods, log, clock, warmup: new WarmupReporter(log), backoff: { baseMs: 100, jitter: 0 } });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    refuse = true;
    client.closeWatches();
    await clock.advance(2_000);
    abort.abort();
    await run;
    const warnings = lines.filter((l) => l.level === 'WARN');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatchObject({ message: 'watch failed', statusCode: 403 });
    expect(JSON.stringify(lines)).not.toContain('stack');
  });
});
