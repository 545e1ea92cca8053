import { describe, expect, it } from 'vitest';
import { toResourceList } from './convert.js';
import { QuantityParseError } from './errors.js';
import { describeResources, formatQuantity, formatResourceList } from './format.js';
import { addResources, exceededResources, firstExceeded, fits, maxResources, subtractResources, subtractResourcesClamped } from './resourcelist.js';

describe('toResourceList', () => {
  it('converts to canonical integer units', () => {
    expect(toResourceList({ cpu: '1.5', memory: '1Gi', pods: 110, 'nvidia.com/gpu': '1', 'ephemeral-storage': '1.5Ki' })).toEqual({
      cpu: 1500,
      memory: 1073741824,
      pods: 110,
      'nvidia.com/gpu': 1,
      'ephemeral-storage': 1536,
    });
  });
  it('rounds up sub-unit amounts', () => {
    expect(toResourceList({ cpu: '0.1m', memory: '100m' })).toEqual({ cpu: 1, memory: 1 });
  });
  it('is empty for undefined', () => {
    expect(toResourceList(undefined)).toEqual({});
  });
  it('throws naming the bad text', () => {
    expect(() => toResourceList({ cpu: '2 cores' })).toThrow(QuantityParseError);
    expect(() => toResourceList({ cpu: '2 cores' })).toThrow(/"2 cores"/);
  });
});

describe('ResourceList arithmetic', () => {
  it('adds, subtracts and takes maxima over the union of keys', () => {
    expect(addResources({ cpu: 100 }, { cpu: 200, memory: 5 }, {})).toEqual({ cpu: 300, memory: 5 });
    expect(subtractResources({ cpu: 100 }, { cpu: 200, memory: 5 })).toEqual({ cpu: -100, memory: -5 });
    expect(subtractResourcesClamped({ cpu: 100, memory: 10 }, { cpu: 200, memory: 5 })).toEqual({ cpu: 0, memory: 5 });
    expect(maxResources({ cpu: 100, memory: 1 }, { cpu: 50, pods: 1 })).toEqual({ cpu: 100, memory: 1, pods: 1 });
  });

  it.each([
    [{ cpu: 1000 }, { cpu: 1000 }, true, undefined],
    [{ cpu: 1001 }, { cpu: 1000 }, false, 'cpu'],
    [{ 'nvidia.com/gpu': 1 }, { cpu: 1000 }, false, 'nvidia.com/gpu'],
    [{ 'nvidia.com/gpu': 0 }, { cpu: 1000 }, true, undefined],
    [{}, {}, true, undefined],
    [{ cpu: 1, memory: 3 }, { cpu: 2, memory: 2 }, false, 'memory'],
  ])('fits(%j, %j) is %s', (requests, available, expected, exceeded) => {
    expect(fits(requests, available)).toBe(expected);
    expect(firstExceeded(requests, available)).toBe(exceeded);
  });

  it('lists every exceeded resource', () => {
    expect(exceededResources({ cpu: 3, memory: 3, pods: 1 }, { cpu: 2, memory: 2, pods: 1 })).toEqual(['cpu', 'memory']);
  });
});

describe('formatQuantity', () => {
  it.each([
    ['cpu', 4200, '4200m'],
    ['cpu', 4000, '4'],
    ['cpu', 0, '0'],
    ['memory', 9816 * 2 ** 20, '9816Mi'],
    ['memory', 2 * 2 ** 30, '2Gi'],
    ['memory', 1536, '1536'],
    ['memory', 3 * 1024, '3Ki'],
    ['memory', 1000, '1000'],
    ['memory', 0, '0'],
    ['ephemeral-storage', 20 * 2 ** 30, '20Gi'],
    ['hugepages-2Mi', 2 ** 21, '2Mi'],
    ['pods', 4, '4'],
    ['pods', 1000, '1000'],
    ['nvidia.com/gpu', 8, '8'],
  ])('%s %i is %s', (name, amount, text) => {
    expect(formatQuantity(name, amount)).toBe(text);
    expect(toResourceList({ [name]: text })[name]).toBe(amount);
  });

  it('formats lists with sorted keys and one-line descriptions', () => {
    expect(formatResourceList({ pods: 4, cpu: 4200, memory: 9816 * 2 ** 20 })).toEqual({ cpu: '4200m', memory: '9816Mi', pods: '4' });
    expect(Object.keys(formatResourceList({ pods: 4, cpu: 4200 }))).toEqual(['cpu', 'pods']);
    expect(describeResources({ pods: 4, cpu: 4200, memory: 0 })).toBe('cpu=4200m, pods=4');
    expect(describeResources({})).toBe('nothing');
  });
});
