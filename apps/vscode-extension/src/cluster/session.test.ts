import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterSession } from './session.js';

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function kubeconfig(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kts-session-')), 'config');
  writeFileSync(path, text);
  return path;
}

describe('ClusterSession (bad input: a plain state, never a throw)', () => {
  it('an unreachable cluster', async () => {
    const port = await closedPort();
    const path = kubeconfig(`apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: local, context: { cluster: c, user: u } }]
current-context: local
`);
    const session = new ClusterSession({ kubeconfigPath: () => path, onChange: () => undefined, retryBaseMs: 60_000 });
    try {
      await session.connect();
      expect(session.state).toMatchObject({ kind: 'error', context: 'local' });
      expect(session.state.message).toBe(`Cannot reach the cluster of context "local" at https://127.0.0.1:${port}: nothing answers there. Start the cluster (for a local one: npm start) or switch context.`);
      expect(session.objects()).toEqual({ pods: [], nodePools: [] });
    } finally {
      session.dispose();
    }
  });

  it('a kubeconfig with no current context', async () => {
    const path = kubeconfig(`apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: local, context: { cluster: c, user: u } }]
`);
    const session = new ClusterSession({ kubeconfigPath: () => path, onChange: () => undefined });
    await session.connect();
    expect(session.state.kind).toBe('error');
    expect(session.state.message).toMatch(/has no current context\. Pick one with "Karpenter: Switch Cluster Context"/);
    expect(session.contexts).toEqual(['local']);
    session.dispose();
  });
});
