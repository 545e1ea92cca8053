import { describe, expect, it } from 'vitest';
import type { NodeSelectorOperator } from '../core/types.js';
import { LabelRequirement } from './requirement.js';

const r = (op: NodeSelectorOperator, ...values: string[]): LabelRequirement => {
  const req = LabelRequirement.fromNodeSelectorRequirement('k', op, values);
  if (typeof req === 'string') throw new Error(req);
  return req;
};

describe('LabelRequirement.allows', () => {
  it.each<[string, LabelRequirement, (string | undefined)[], (string | undefined)[]]>([
    ['In', r('In', 'a', 'b'), ['a', 'b'], ['c', undefined]],
    ['NotIn', r('NotIn', 'a'), ['b', undefined], ['a']],
    ['Exists', r('Exists'), ['a', ''], [undefined]],
    ['DoesNotExist', r('DoesNotExist'), [undefined], ['a']],
    ['Gt', r('Gt', '3'), ['4', '100'], ['3', '2', 'x', '3.5', undefined]],
    ['Gte', r('Gte', '3'), ['3', '4'], ['2', undefined]],
    ['Lt', r('Lt', '3'), ['2', '-5'], ['3', undefined]],
    ['Lte', r('Lte', '3'), ['3', '0'], ['4']],
  ])('%s', (_op, req, allowed, denied) => {
    for (const v of allowed) expect(req.allows(v), `${String(v)} allowed`).toBe(true);
    for (const v of denied) expect(req.allows(v), `${String(v)} denied`).toBe(false);
  });

  it('rejects malformed numeric operators as data', () => {
    expect(LabelRequirement.fromNodeSelectorRequirement('k', 'Gt', ['x'])).toMatch(/integer/);
    expect(LabelRequirement.fromNodeSelectorRequirement('k', 'Lt', ['1', '2'])).toMatch(/integer/);
  });
});

describe('LabelRequirement.intersect', () => {
  it.each<[string, LabelRequirement, LabelRequirement, string]>([
    ['In ∩ In', r('In', 'a', 'b'), r('In', 'b', 'c'), 'k In [b]'],
    ['In ∩ NotIn', r('In', 'a', 'b'), r('NotIn', 'b'), 'k In [a]'],
    ['NotIn ∩ NotIn', r('NotIn', 'a'), r('NotIn', 'b'), 'k NotIn [a, b]'],
    ['Exists ∩ NotIn keeps "must exist"', r('Exists'), r('NotIn', 'a'), 'k NotIn [a] (must exist)'],
    ['In ∩ Gt filters values', r('In', '1', '5', 'x'), r('Gt', '3'), 'k In [5]'],
    ['Gt ∩ Lt', r('Gt', '1'), r('Lt', '5'), 'k Gt 1 Lt 5'],
    ['Gt ∩ Lt with no integer between', r('Gt', '1'), r('Lt', '2'), 'k In []'],
    ['In ∩ DoesNotExist', r('In', 'a'), r('DoesNotExist'), 'k In []'],
    ['NotIn ∩ DoesNotExist', r('NotIn', 'a'), r('DoesNotExist'), 'k DoesNotExist'],
  ])('%s', (_name, a, b, text) => {
    expect(a.intersect(b).describe()).toBe(text);
    expect(b.intersect(a).describe()).toBe(text);
  });

  it('returns the same object when nothing narrows', () => {
    const a = r('In', 'a');
    expect(a.intersect(r('In', 'a', 'b'))).toBe(a);
    expect(a.intersect(r('NotIn', 'z'))).toBe(a);
    expect(a.intersect(r('In', 'b'))).not.toBe(a);
  });

  it('keeps the larger minValues', () => {
    const a = LabelRequirement.in('k', ['a', 'b', 'c'], 2);
    expect(a.intersect(LabelRequirement.exists('k', 3)).minValues).toBe(3);
  });
});

describe('LabelRequirement.intersects (Karpenter semantics)', () => {
  it.each<[LabelRequirement, LabelRequirement, boolean]>([
    [r('In', 'a'), r('In', 'a', 'b'), true],
    [r('In', 'a'), r('In', 'b'), false],
    [r('NotIn', 'a'), r('DoesNotExist'), true],
    [r('In', 'a'), r('DoesNotExist'), false],
    [r('Exists'), r('NotIn', 'a'), true],
    [r('Gt', '5'), r('Lt', '3'), false],
    [r('Gt', '5'), r('In', '6'), true],
  ])('%o ∩ %o: %s', (a, b, expected) => {
    expect(a.intersects(b)).toBe(expected);
    expect(b.intersects(a)).toBe(expected);
  });
});

describe('LabelRequirement.toNodeSelectorRequirements', () => {
  it.each<[LabelRequirement, unknown]>([
    [r('In', 'b', 'a'), [{ key: 'k', operator: 'In', values: ['a', 'b'] }]],
    [r('NotIn', 'a'), [{ key: 'k', operator: 'NotIn', values: ['a'] }]],
    [r('Exists'), [{ key: 'k', operator: 'Exists' }]],
    [r('DoesNotExist'), [{ key: 'k', operator: 'DoesNotExist' }]],
    [r('Gte', '3'), [{ key: 'k', operator: 'Gt', values: ['2'] }]],
    [r('Exists').intersect(r('NotIn', 'a')), [{ key: 'k', operator: 'NotIn', values: ['a'] }, { key: 'k', operator: 'Exists' }]],
    [LabelRequirement.in('k', ['a'], 1), [{ key: 'k', operator: 'In', values: ['a'], minValues: 1 }]],
  ])('%o', (req, expected) => {
    expect(req.toNodeSelectorRequirements()).toEqual(expected);
  });
});
