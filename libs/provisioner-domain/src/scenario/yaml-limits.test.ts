import { describe, expect, it } from 'vitest';
import { yamlNesting } from './yaml-limits.js';

describe('yamlNesting', () => {
  it.each([
    ['flat', 'a: 1\nb: 2\n', 1],
    ['a pod', 'spec:\n  containers:\n    - name: c\n      resources:\n        requests: {cpu: "1"}\n', 6],
    ['flow brackets', 'a: [[[1]]]\n', 4],
    ['brackets in strings and comments do not count', 'a: "[[[["\nb: x # [[[[\n', 1],
    ['deep flow', `${'['.repeat(1000)}${']'.repeat(1000)}`, 1001],
    ['deep blocks', `a:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n')}`, 301],
  ])('%s', (_name, text, depth) => {
    expect(yamlNesting(text).depth).toBe(depth);
  });
  it('names the line', () => {
    expect(yamlNesting('a: 1\nb: [[1]]\n')).toEqual({ depth: 3, line: 2 });
  });
});
