import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeconfigPath } from './kubeconfig-path.js';
import { loadKubeConfig } from './kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'kts-kubeconfig-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const two = `apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: { server: "https://127.0.0.1:6443" }
- name: prod
  cluster: { server: "https://prod.example:443" }
users:
- name: admin
  user: { token: abc }
contexts:
- name: local
  context: { cluster: local, user: admin }
- name: prod
  context: { cluster: prod, user: admin }
`;

describe('loadKubeConfig', () => {
  it('selects the current context and its server', () => {
    const result = loadKubeConfig(file('ok.yaml', `${two}current-context: local\n`));
    expect(result).toMatchObject({ ok: true, context: 'local', server: 'https://127.0.0.1:6443', contexts: ['local', 'prod'] });
  });

  it('switches to another context by name', () => {
    const result = loadKubeConfig(file('ok2.yaml', `${two}current-context: local\n`), 'prod');
    expect(result).toMatchObject({ ok: true, context: 'prod', server: 'https://prod.example:443' });
  });

  it.each([
    ['no current context', () => loadKubeConfig(file('none.yaml', two)), /has no current context\. Pick one with "Karpenter: Switch Cluster Context"/],
    ['an unknown context', () => loadKubeConfig(file('ok3.yaml', two), 'staging'), /has no context named "staging"/],
    ['a missing file', () => loadKubeConfig(join(dir, 'missing.yaml')), /^No kubeconfig at .*missing\.yaml\. Set "karpenterTs\.kubeconfig"/],
    ['a file that is not YAML', () => loadKubeConfig(file('bad.yaml', 'clusters: [\n')), /cannot be read/],
    ['no contexts', () => loadKubeConfig(file('empty.yaml', 'apiVersion: v1\nkind: Config\n')), /has no contexts/],
  ])('%s gives a plain sentence, not an exception', (_name, load, message) => {
    const result = load();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('kubeconfigPath', () => {
  it('prefers the setting, then the first existing KUBECONFIG entry, then ~/.kube/config', () => {
    const existing = file('exists.yaml', two);
    expect(kubeconfigPath(' /etc/kube.yaml ', { KUBECONFIG: existing })).toBe('/etc/kube.yaml');
    expect(kubeconfigPath('', { KUBECONFIG: `${join(dir, 'nope')}:${existing}` })).toBe(existing);
    expect(kubeconfigPath('', { HOME: '/home/ada' })).toBe('/home/ada/.kube/config');
  });
});
