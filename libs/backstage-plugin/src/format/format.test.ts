import { describe, expect, it } from 'vitest';
import { amountOf, formatAmount, formatBytes, formatCores, formatCostPerHour, formatPercent, gpuUsages, resourceLabel, usageOf } from './format';

describe('amountOf', () => {
  it.each([
    [{ cpu: '3920m' }, 'cpu', 3920],
    [{ cpu: '2' }, 'cpu', 2000],
    [{ memory: '1Gi' }, 'memory', 2 ** 30],
    [{ 'nvidia.com/gpu': '4' }, 'nvidia.com/gpu', 4],
    [{}, 'cpu', 0],
    [{ cpu: 'lots' }, 'cpu', 0],
  ])('%o %s → %d', (list, resource, expected) => {
    expect(amountOf(list, resource)).toBe(expected);
  });
});

describe('usageOf and gpuUsages', () => {
  it('pairs requested with allocatable and the API utilisation', () => {
    expect(usageOf('cpu', { cpu: '2' }, { cpu: '3920m' }, { cpu: 0.5102 })).toEqual({ resource: 'cpu', requested: 2000, allocatable: 3920, utilisation: 0.5102 });
    expect(usageOf('memory', { memory: '1Gi' }, {}, {})).toEqual({ resource: 'memory', requested: 2 ** 30, allocatable: 0, utilisation: undefined });
  });

  it('lists only the GPU resources present', () => {
    expect(gpuUsages({ cpu: '1' }, { cpu: '2' }, {})).toEqual([]);
    expect(gpuUsages({ 'nvidia.com/gpu': '1' }, { 'nvidia.com/gpu': '8', 'example.com/foo': '3' }, { 'nvidia.com/gpu': 0.125 })).toEqual([
      { resource: 'nvidia.com/gpu', requested: 1, allocatable: 8, utilisation: 0.125 },
    ]);
  });
});

describe('formatting', () => {
  it.each([
    [3920, '3.92'],
    [500, '0.5'],
    [24000, '24'],
    [123456, '123'],
    [0, '0'],
  ])('cores %d → %s', (millis, text) => expect(formatCores(millis)).toBe(text));

  it.each([
    [7304380416, '6.8 GiB'],
    [512 * 2 ** 20, '512 MiB'],
    [300, '300 B'],
    [2 * 2 ** 40, '2 TiB'],
  ])('bytes %d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it('formats by resource', () => {
    expect(formatAmount('cpu', 1500)).toBe('1.5');
    expect(formatAmount('memory', 2 ** 30)).toBe('1 GiB');
    expect(formatAmount('nvidia.com/gpu', 2)).toBe('2');
  });

  it.each([
    [0.16, '$0.16'],
    [0.078367, '$0.078'],
    [12.5, '$12.50'],
    [0, '$0.00'],
    [1234.5, '$1,234.50'],
  ])('cost %d → %s', (value, text) => expect(formatCostPerHour(value)).toBe(text));

  it('percent and resource labels', () => {
    expect(formatPercent(0.5102)).toBe('51%');
    expect(formatPercent(1.25)).toBe('125%');
    expect(resourceLabel('nvidia.com/gpu')).toBe('gpu (nvidia.com)');
    expect(resourceLabel('cpu')).toBe('cpu');
  });
});
