import { describe, expect, it, vi } from 'vitest';
import { LazyClusterSession } from './lazy-session.js';
import type { ClusterSessionPort, ConnectionState } from './session-port.js';

function fakeSession(): ClusterSessionPort & { connected: (string | undefined)[]; disposed: boolean } {
  let state: ConnectionState = { kind: 'error', message: 'not yet' };
  return {
    connected: [],
    disposed: false,
    get state() {
      return state;
    },
    contexts: ['a', 'b'],
    async connect(context?: string) {
      this.connected.push(context);
      state = { kind: 'connected', context: context ?? 'a', server: 'https://x', message: 'Connected.' };
    },
    objects: () => ({ pods: [], nodePools: [] }),
    ec2NodeClassNames: () => ['default'],
    apiAccess: async () => undefined,
    dispose() {
      this.disposed = true;
    },
  };
}

describe('LazyClusterSession', () => {
  const options = { kubeconfigPath: () => '/nowhere', onChange: () => undefined };

  it('is idle until the first connect loads the real session once, then delegates', async () => {
    const inner = fakeSession();
    const load = vi.fn(async () => inner);
    const session = new LazyClusterSession(options, load);
    expect(session.state.kind).toBe('idle');
    expect(session.contexts).toEqual([]);
    expect(session.objects()).toEqual({ pods: [], nodePools: [] });
    await Promise.all([session.connect(), session.connect('b')]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(inner.connected).toEqual([undefined, 'b']);
    expect(session.state).toMatchObject({ kind: 'connected', context: 'b' });
    expect(session.contexts).toEqual(['a', 'b']);
    session.dispose();
    expect(inner.disposed).toBe(true);
  });

  it('disposes a session that finished loading after the extension was deactivated', async () => {
    const inner = fakeSession();
    let release: (s: ClusterSessionPort) => void = () => undefined;
    const session = new LazyClusterSession(options, () => new Promise((r) => (release = r)));
    const connecting = session.connect();
    session.dispose();
    release(inner);
    await connecting;
    expect(inner.disposed).toBe(true);
    expect(inner.connected).toEqual([]);
  });
});
