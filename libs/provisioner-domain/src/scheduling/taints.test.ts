import { describe, expect, it } from 'vitest';
import type { Taint, Toleration } from '../core/types.js';
import { firstUntoleratedTaint, formatTaint, isEphemeralTaint, toleratesAll, toleratesTaint } from './taints.js';

const gpu: Taint = { key: 'gpu', value: 'true', effect: 'NoSchedule' };
const soft: Taint = { key: 'spot', effect: 'PreferNoSchedule' };

describe('toleratesTaint', () => {
  it.each<[string, Toleration, Taint, boolean]>([
    ['Equal with same value', { key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }, gpu, true],
    ['Equal is the default operator', { key: 'gpu', value: 'true' }, gpu, true],
    ['Equal with another value', { key: 'gpu', value: 'false' }, gpu, false],
    ['Equal without value vs valued taint', { key: 'gpu' }, gpu, false],
    ['Exists ignores the value', { key: 'gpu', operator: 'Exists' }, gpu, true],
    ['another key', { key: 'other', operator: 'Exists' }, gpu, false],
    ['empty key with Exists tolerates everything', { operator: 'Exists' }, gpu, true],
    ['empty effect matches every effect', { key: 'gpu', operator: 'Exists', effect: '' }, gpu, true],
    ['another effect', { key: 'gpu', operator: 'Exists', effect: 'NoExecute' }, gpu, false],
    ['valueless taint and toleration', { key: 'spot', effect: 'PreferNoSchedule' }, soft, true],
  ])('%s', (_name, toleration, taint, expected) => {
    expect(toleratesTaint(toleration, taint)).toBe(expected);
  });
});

describe('firstUntoleratedTaint', () => {
  it.each<[string, Toleration[] | undefined, Taint[], { ignorePreferNoSchedule?: boolean }, Taint | undefined]>([
    ['no taints', undefined, [], {}, undefined],
    ['untolerated NoSchedule', [], [gpu], {}, gpu],
    ['tolerated', [{ key: 'gpu', operator: 'Exists' }], [gpu], {}, undefined],
    ['PreferNoSchedule must be tolerated by default (Karpenter)', [], [soft], {}, soft],
    ['PreferNoSchedule is soft when asked (kube-scheduler)', [], [soft], { ignorePreferNoSchedule: true }, undefined],
    ['first of several', [{ key: 'gpu', operator: 'Exists' }], [gpu, soft, { key: 'x', effect: 'NoExecute' }], {}, soft],
  ])('%s', (_name, tolerations, taints, options, expected) => {
    expect(firstUntoleratedTaint(tolerations, taints, options)).toBe(expected);
    expect(toleratesAll(tolerations, taints, options)).toBe(expected === undefined);
  });
});

describe('taint helpers', () => {
  it('formats like kubectl', () => {
    expect(formatTaint(gpu)).toBe('gpu=true:NoSchedule');
    expect(formatTaint(soft)).toBe('spot:PreferNoSchedule');
  });
  it('knows the ephemeral taints', () => {
    expect(isEphemeralTaint({ key: 'karpenter.sh/unregistered', effect: 'NoExecute' })).toBe(true);
    expect(isEphemeralTaint(gpu)).toBe(false);
  });
});
