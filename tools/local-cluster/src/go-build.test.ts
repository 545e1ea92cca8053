import { describe, expect, it } from 'vitest';
import { defaultExecName } from './go-build.js';
import { moduleKey, requiredVersion } from './gomod.js';
import { helmModuleDir, k8sModuleDir, kwokModuleDir } from './paths.js';

describe('defaultExecName', () => {
  it.each([
    ['k8s.io/kubernetes/cmd/kube-apiserver', 'kube-apiserver'],
    ['go.etcd.io/etcd/server/v3', 'server'],
    ['sigs.k8s.io/kwok/cmd/kwok', 'kwok'],
  ])('%s -> %s', (pkg, name) => expect(defaultExecName(pkg)).toBe(name));
});

describe('pinned Go modules', () => {
  it('pins k8s.io/kubernetes, etcd and kwok to exact releases', () => {
    expect(requiredVersion(k8sModuleDir, 'k8s.io/kubernetes')).toMatch(/^v1\.\d+\.\d+$/);
    expect(requiredVersion(k8sModuleDir, 'go.etcd.io/etcd/server/v3')).toMatch(/^v3\.\d+\.\d+$/);
    expect(requiredVersion(kwokModuleDir, 'sigs.k8s.io/kwok')).toMatch(/^v0\.\d+\.\d+$/);
    expect(requiredVersion(helmModuleDir, 'helm.sh/helm/v4')).toMatch(/^v4\.\d+\.\d+$/);
  });

  it('keys builds by go.mod, go.sum and flags', () => {
    const key = moduleKey(k8sModuleDir, ['-s -w']);
    expect(key).toMatch(/^[0-9a-f]{12}$/);
    expect(moduleKey(k8sModuleDir, ['-s -w'])).toBe(key);
    expect(moduleKey(k8sModuleDir, ['-s'])).not.toBe(key);
    expect(moduleKey(kwokModuleDir, ['-s -w'])).not.toBe(key);
  });
});
