import { describe, expect, it } from 'vitest';
import type { DaemonSet, PodSpec, Taint } from '../core/types.js';
import { daemonSetOverhead, daemonSetPodInfos, daemonSetRunsOn } from './daemonset-overhead.js';
import { Requirements } from './requirements.js';
import { ALLOW_UNDEFINED_LABELS } from './well-known-labels.js';

const ds = (name: string, spec: Partial<PodSpec>): DaemonSet => ({
  metadata: { name, namespace: 'kube-system' },
  spec: { template: { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }], ...spec } } },
});
const allow = (k: string): boolean => ALLOW_UNDEFINED_LABELS.has(k);
const amdNode = Requirements.fromLabels({ 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' });
const gpuTaint: Taint = { key: 'gpu', effect: 'NoSchedule' };

describe('daemonSetRunsOn', () => {
  it.each<[string, Partial<PodSpec>, Taint[], boolean]>([
    ['plain DaemonSet on a plain node', {}, [], true],
    ['untolerated taint', {}, [gpuTaint], false],
    ['tolerated taint', { tolerations: [{ key: 'gpu', operator: 'Exists' }] }, [gpuTaint], true],
    ['PreferNoSchedule does not keep DaemonSets away', {}, [{ key: 'soft', effect: 'PreferNoSchedule' }], true],
    ['nodeSelector on another arch', { nodeSelector: { 'kubernetes.io/arch': 'arm64' } }, [], false],
    ['nodeSelector on a custom label the node lacks', { nodeSelector: { team: 'a' } }, [], false],
    [
      'any required node-affinity term may match',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] },
                { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] },
              ],
            },
          },
        },
      },
      [],
      true,
    ],
  ])('%s', (_name, spec, taints, expected) => {
    const [info] = daemonSetPodInfos([ds('d', spec)]);
    if (!info) throw new Error('no info');
    expect(daemonSetRunsOn(info, taints, amdNode, allow)).toBe(expected);
  });

  it('sums requests (with pods) and host ports of the DaemonSets that run', () => {
    const infos = daemonSetPodInfos([
      ds('a', {}),
      ds('b', { containers: [{ name: 'c', resources: { limits: { cpu: '200m', memory: '64Mi' } }, ports: [{ containerPort: 9100, hostPort: 9100 }] }] }),
      ds('c', { nodeSelector: { 'kubernetes.io/arch': 'arm64' } }),
    ]);
    const overhead = daemonSetOverhead(infos, [], amdNode, allow);
    expect(overhead.requests).toEqual({ cpu: 300, memory: 64 * 2 ** 20, pods: 2 });
    expect(overhead.hostPorts).toEqual([{ ip: '0.0.0.0', protocol: 'TCP', port: 9100 }]);
    expect(overhead.names).toEqual(['kube-system/a', 'kube-system/b']);
  });
});
