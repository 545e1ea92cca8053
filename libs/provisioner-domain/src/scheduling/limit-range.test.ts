import { describe, expect, it } from 'vitest';
import type { DaemonSet, LimitRange, Pod } from '../core/types.js';
import { applyLimitRangeDefaults, applyLimitRangeDefaultsToDaemonSet } from './limit-range.js';
import { schedule } from './schedule.js';
import { testInstanceType, testNodePool, testPod } from './test-fixtures.js';

const limitRange = (name: string, namespace: string, item: Partial<LimitRange['spec']['limits'][number]>): LimitRange => ({
  metadata: { name, namespace },
  spec: { limits: [{ type: 'Container', ...item }] },
});
const bare = (name: string, namespace = 'team'): Pod => ({ metadata: { name, namespace, uid: name }, spec: { containers: [{ name: 'app' }] } });

// kube-apiserver: plugin/pkg/admission/limitranger (mergeContainerResources) after pod defaulting
// (requests default to limits); LimitRange items default defaultRequest to default.
describe('LimitRange: pods of a namespace with a LimitRange get its default requests and limits before packing', () => {
  it('sets a missing request from defaultRequest and a missing limit from default', () => {
    const r = applyLimitRangeDefaults(bare('p'), [limitRange('defaults', 'team', { default: { cpu: '1', memory: '1Gi' }, defaultRequest: { cpu: '250m', memory: '256Mi' } })]);
    expect(r?.pod.spec.containers[0]?.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(r?.changes).toEqual(['LimitRange team/defaults set requests cpu=250m, memory=256Mi and limits cpu=1, memory=1Gi on container app']);
  });
  it('uses the default limit as the request when defaultRequest is unset, and keeps what the pod states', () => {
    const pod: Pod = { metadata: { name: 'p', namespace: 'team' }, spec: { containers: [{ name: 'app', resources: { requests: { cpu: '2' }, limits: { memory: '3Gi' } } }] } };
    const r = applyLimitRangeDefaults(pod, [limitRange('defaults', 'team', { default: { cpu: '500m', memory: '1Gi' } })]);
    expect(r?.pod.spec.containers[0]?.resources).toEqual({ requests: { cpu: '2', memory: '3Gi' }, limits: { memory: '3Gi', cpu: '500m' } });
    expect(pod.spec.containers[0]?.resources?.limits).toEqual({ memory: '3Gi' });
  });
  it('applies only the LimitRanges of the pod\'s namespace, Container items only, and init containers too', () => {
    const pod: Pod = { ...bare('p'), spec: { containers: [{ name: 'app' }], initContainers: [{ name: 'init' }] } };
    expect(applyLimitRangeDefaults(pod, [limitRange('other', 'elsewhere', { defaultRequest: { cpu: '1' } })])).toBeUndefined();
    expect(applyLimitRangeDefaults(pod, [{ metadata: { name: 'pods', namespace: 'team' }, spec: { limits: [{ type: 'Pod', max: { cpu: '4' } }] } }])).toBeUndefined();
    const r = applyLimitRangeDefaults(pod, [limitRange('defaults', 'team', { defaultRequest: { cpu: '100m' } })]);
    expect(r?.pod.spec.initContainers?.[0]?.resources?.requests).toEqual({ cpu: '100m' });
  });
  it('packs the pod with its defaulted requests and says so in the result', () => {
    const pods = Array.from({ length: 4 }, (_, i) => bare(`p${i}`));
    const types = [testInstanceType('small', 2, 4), testInstanceType('large', 8, 16)];
    const base = { existingNodes: [], nodePools: [testNodePool('default')], instanceTypes: { default: types } };
    const without = schedule({ ...base, pods });
    const withDefaults = schedule({ ...base, pods, limitRanges: [limitRange('defaults', 'team', { defaultRequest: { cpu: '1500m' } })] });
    expect(without.nodeClaims.map((c) => c.launch.instanceType)).toEqual(['small']);
    expect(withDefaults.nodeClaims.map((c) => c.requests['cpu'])).toEqual([6000]);
    expect(withDefaults.limitRangeDefaults.map((d) => [d.kind, d.name])).toEqual(pods.map((p) => ['Pod', p.metadata.name]));
  });
});

// aws/karpenter-provider-aws#3199: Karpenter computes DaemonSet overhead from the template as written.
describe('LimitRange: DaemonSet pod templates get the defaults when their overhead is computed', () => {
  const ds: DaemonSet = { metadata: { name: 'agent', namespace: 'monitoring' }, spec: { template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent' }] } } } } as DaemonSet;
  const lr = limitRange('defaults', 'monitoring', { defaultRequest: { cpu: '1' } });
  it('defaults the template of a DaemonSet in the LimitRange\'s namespace', () => {
    expect(applyLimitRangeDefaultsToDaemonSet(ds, [lr])?.daemonSet.spec.template.spec.containers[0]?.resources?.requests).toEqual({ cpu: '1' });
  });
  it('counts the defaulted DaemonSet requests in a new node\'s overhead', () => {
    const types = [testInstanceType('small', 2, 4), testInstanceType('large', 8, 16)];
    const snapshot = { pods: [testPod('web', { cpu: '1500m' })], existingNodes: [], nodePools: [testNodePool('default')], instanceTypes: { default: types }, daemonSets: [ds] };
    expect(schedule(snapshot).nodeClaims.map((c) => c.launch.instanceType)).toEqual(['small']);
    const r = schedule({ ...snapshot, limitRanges: [lr] });
    expect(r.nodeClaims.map((c) => c.launch.instanceType)).toEqual(['large']);
    expect(r.nodeClaims[0]?.daemonSetOverhead?.['cpu']).toBe(1000);
    expect(r.limitRangeDefaults).toEqual([{ kind: 'DaemonSet', namespace: 'monitoring', name: 'agent', changes: ['LimitRange monitoring/defaults set requests cpu=1 on container agent'] }]);
  });
});
