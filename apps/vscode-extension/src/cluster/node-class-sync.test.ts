import { describe, expect, it } from 'vitest';
import { clusterNodeClassesParams, NodeClassSync } from './node-class-sync.js';
import type { ConnectionState } from './session-port.js';

function fakeSession() {
  const s = {
    state: { kind: 'idle', message: 'Reading the kubeconfig…' } as ConnectionState,
    names: undefined as string[] | undefined,
    ec2NodeClassNames: () => s.names,
  };
  return s;
}
const connected: ConnectionState = { kind: 'connected', context: 'kind-dev', server: 'https://127.0.0.1:6443', message: 'Connected.' };

describe('clusterNodeClassesParams', () => {
  it('names the context and its sorted names when connected and known, null otherwise', () => {
    const s = fakeSession();
    expect(clusterNodeClassesParams(s)).toEqual({ names: null });
    s.state = connected;
    expect(clusterNodeClassesParams(s)).toEqual({ names: null });
    s.names = ['gpu', 'default'];
    expect(clusterNodeClassesParams(s)).toEqual({ context: 'kind-dev', names: ['default', 'gpu'] });
    s.state = { kind: 'error', context: 'kind-dev', message: 'Cannot reach the cluster.' };
    expect(clusterNodeClassesParams(s)).toEqual({ names: null });
  });
});

describe('NodeClassSync', () => {
  it('sends the current names once attached, each change once, and null when the connection is lost', async () => {
    const s = fakeSession();
    const sent: unknown[] = [];
    const sync = new NodeClassSync(s);
    s.state = connected;
    s.names = ['default'];
    sync.update();
    expect(sent).toEqual([]);
    sync.attach(async (p) => void sent.push(p));
    sync.update();
    s.names = ['default', 'gpu'];
    sync.update();
    sync.update();
    s.state = { kind: 'error', context: 'kind-dev', message: 'Cannot reach the cluster.' };
    sync.update();
    sync.update();
    expect(sent).toEqual([{ context: 'kind-dev', names: ['default'] }, { context: 'kind-dev', names: ['default', 'gpu'] }, { names: null }]);
  });

  it('sends nothing while nothing is known, and retries after a failed send', async () => {
    const s = fakeSession();
    const errors: unknown[] = [];
    let fail = true;
    const sent: unknown[] = [];
    const sync = new NodeClassSync(s, (e) => errors.push(e));
    sync.attach(async (p) => {
      if (fail) throw new Error('client not running');
      sent.push(p);
    });
    expect(sent).toEqual([]);
    s.state = connected;
    s.names = [];
    sync.update();
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
    fail = false;
    sync.update();
    expect(sent).toEqual([{ context: 'kind-dev', names: [] }]);
  });
});
