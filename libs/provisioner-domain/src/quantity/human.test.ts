import { describe, expect, it } from 'vitest';
import { humanQuantity } from './human.js';

describe('humanQuantity', () => {
  it.each([
    ['cpu', 872000, '872 vCPU'],
    ['cpu', 1500, '1.5 vCPU'],
    ['cpu', 250, '250m'],
    ['memory', 2097142 * 2 ** 20, '2Ti'],
    ['memory', 2 * 2 ** 30, '2Gi'],
    ['memory', 1.94 * 2 ** 30, '1.9Gi'],
    ['memory', 512 * 2 ** 20, '512Mi'],
    ['memory', 100, '100B'],
    ['memory', 0, '0'],
    ['pods', 29, '29'],
  ])('%s %d → %s', (resource, amount, expected) => {
    expect(humanQuantity(resource, amount)).toBe(expected);
  });
});
