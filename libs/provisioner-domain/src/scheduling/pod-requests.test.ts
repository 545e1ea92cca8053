import { describe, expect, it } from 'vitest';
import type { Container, PodSpec } from '../core/types.js';
import { containerRequests, podRequests, podSpecRequests } from './pod-requests.js';

const c = (name: string, requests?: Record<string, string>, limits?: Record<string, string>, sidecar = false): Container => ({
  name,
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
  ...(sidecar ? { restartPolicy: 'Always' as const } : {}),
});

describe('containerRequests', () => {
  it.each([
    ['requests only', c('a', { cpu: '1' }), { cpu: 1000 }],
    ['limits only become requests', c('a', undefined, { cpu: '2', memory: '1Gi' }), { cpu: 2000, memory: 2 ** 30 }],
    ['requests win over limits', c('a', { cpu: '500m' }, { cpu: '2', 'nvidia.com/gpu': '1' }), { cpu: 500, 'nvidia.com/gpu': 1 }],
    ['nothing', { name: 'a' }, {}],
  ])('%s', (_name, container, expected) => {
    expect(containerRequests(container)).toEqual(expected);
  });
});

describe('podSpecRequests (kube-scheduler rules)', () => {
  const cases: [string, PodSpec, Record<string, number>][] = [
    ['sum of containers', { containers: [c('a', { cpu: '1', memory: '1Gi' }), c('b', { cpu: '500m' })] }, { cpu: 1500, memory: 2 ** 30 }],
    [
      'an init container larger than the sum wins per resource',
      { initContainers: [c('i', { cpu: '4', memory: '1Mi' })], containers: [c('a', { cpu: '1', memory: '1Gi' })] },
      { cpu: 4000, memory: 2 ** 30 },
    ],
    [
      'init containers run one at a time: max, not sum',
      { initContainers: [c('i1', { cpu: '2' }), c('i2', { cpu: '3' })], containers: [c('a', { cpu: '1' })] },
      { cpu: 3000 },
    ],
    [
      'a sidecar adds to the sum',
      { initContainers: [c('s', { cpu: '1' }, undefined, true)], containers: [c('a', { cpu: '1' })] },
      { cpu: 2000 },
    ],
    [
      'an init container after a sidecar runs beside it',
      { initContainers: [c('s', { cpu: '1' }, undefined, true), c('i', { cpu: '3' })], containers: [c('a', { cpu: '500m' })] },
      { cpu: 4000 },
    ],
    [
      'an init container before a sidecar does not',
      { initContainers: [c('i', { cpu: '3' }), c('s', { cpu: '1' }, undefined, true)], containers: [c('a', { cpu: '500m' })] },
      { cpu: 3000 },
    ],
    [
      'overhead is added last',
      { overhead: { cpu: '250m', memory: '120Mi' }, containers: [c('a', { cpu: '1' })] },
      { cpu: 1250, memory: 120 * 2 ** 20 },
    ],
    [
      'limits-only extended resources count',
      { containers: [c('a', { cpu: '1' }, { 'nvidia.com/gpu': '2' })] },
      { cpu: 1000, 'nvidia.com/gpu': 2 },
    ],
  ];
  it.each(cases)('%s', (_name, spec, expected) => {
    expect(podSpecRequests(spec)).toEqual(expected);
  });
});

describe('podRequests', () => {
  it('counts the pod itself', () => {
    expect(podRequests({ metadata: { name: 'p' }, spec: { containers: [c('a', { cpu: '100m' })] } })).toEqual({ cpu: 100, pods: 1 });
  });
  it('throws on malformed quantities', () => {
    expect(() => podRequests({ metadata: { name: 'p' }, spec: { containers: [c('a', { cpu: 'lots' })] } })).toThrow(/"lots"/);
  });
});
