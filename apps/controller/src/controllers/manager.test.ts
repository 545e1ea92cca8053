import type { Node } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { isConflict } from '../kube/errors.js';
import { resources } from '../kube/resources.js';
import { FakeClock, flush } from '../testing/fake-clock.js';
import { FakeKubeClient } from '../testing/fake-kube.js';
import { runControllers } from './manager.js';

describe('runControllers: 409 Conflict on update', () => {
  it('retries the key with backoff; the retry re-reads the object and keeps the concurrent write', async () => {
    const client = new FakeKubeClient();
    const clock = new FakeClock();
    client.seed(resources.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: {} } });
    const lines: { level: string; message: string }[] = [];
    const log = createLogger('debug', { write: (line: string) => (lines.push(JSON.parse(line) as { level: string; message: string }), true) } as unknown as NodeJS.WritableStream);
    const outcomes: string[] = [];
    const errors: unknown[] = [];
    let attempts = 0;
    const abort = new AbortController();
    const running = runControllers(
      [
        {
          controller: {
            name: 'test.labeler',
            async reconcile(key) {
              attempts++;
              const node = await client.get<Node>(resources.nodes, key);
              // Someone else writes between our read and our update, once.
              if (attempts === 1) await client.patch(resources.nodes, key, 'merge', { metadata: { labels: { other: 'writer' } } });
              try {
                await client.replace(resources.nodes, { ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, ours: 'yes' } } });
              } catch (error) {
                errors.push(error);
                throw error;
              }
            },
          },
          watch: (enqueue) => {
            enqueue('n1');
            return () => undefined;
          },
        },
      ],
      { log, clock, defaultConcurrency: 1, onReconcile: (_, outcome) => outcomes.push(outcome) },
      abort.signal,
    );
    await flush();
    expect(errors.map(isConflict)).toEqual([true]);
    await clock.advance(1_000);
    await flush();
    expect(outcomes).toEqual(['error', 'success']);
    expect(client.peek<Node>(resources.nodes, 'n1')?.metadata.labels).toEqual({ other: 'writer', ours: 'yes' });
    // An expected conflict is not an ERROR line.
    expect(lines.filter((l) => l.message === 'reconciler error').map((l) => l.level)).toEqual(['DEBUG']);
    abort.abort();
    await running;
  });
});
