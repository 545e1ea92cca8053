/**
 * Property: `validate` never throws, whatever the text (arbitrary YAML-ish text, JSON of arbitrary values,
 * mutated NodePools), and every issue's range lies inside the document (1-based, line ≤ number of lines,
 * column ≤ line length + 1, start ≤ end).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validate } from './validate.js';

const NODEPOOL = {
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'default' },
  spec: {
    template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] } },
    disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s', budgets: [{ nodes: '10%' }] },
    limits: { cpu: 100 },
  },
};

function checkInside(text: string): void {
  const report = validate(text);
  const lines = text.split(/\r\n|\r|\n/);
  for (const i of report.issues) {
    expect(i.line).toBeGreaterThanOrEqual(1);
    expect(i.line).toBeLessThanOrEqual(lines.length);
    expect(i.endLine).toBeGreaterThanOrEqual(i.line);
    expect(i.endLine).toBeLessThanOrEqual(lines.length);
    expect(i.column).toBeGreaterThanOrEqual(1);
    expect(i.column).toBeLessThanOrEqual((lines[i.line - 1]?.length ?? 0) + 1);
    if (i.endLine === i.line) expect(i.endColumn).toBeGreaterThan(i.column);
    expect(i.endColumn).toBeLessThanOrEqual((lines[i.endLine - 1]?.length ?? 0) + 2);
  }
}

/** A NodePool with one value somewhere replaced by an arbitrary JSON value. */
const mutatedNodePool = fc.tuple(fc.jsonValue(), fc.array(fc.constantFrom('spec', 'template', 'metadata', 'disruption', 'budgets', 'requirements', 0, 'values', 'limits', 'name', 'weight', 'key'), { maxLength: 6 })).map(([value, path]) => {
  const doc = JSON.parse(JSON.stringify(NODEPOOL)) as Record<string, unknown>;
  let cur: unknown = doc;
  for (const seg of path.slice(0, -1)) {
    const next = (cur as Record<string | number, unknown>)[seg];
    if (next === null || typeof next !== 'object') break;
    cur = next;
  }
  const last = path[path.length - 1];
  if (last !== undefined && cur !== null && typeof cur === 'object') (cur as Record<string | number, unknown>)[last] = value;
  return stringify(doc);
});

describe('validate (property)', () => {
  it('never throws and keeps every position inside the document (10,000 runs)', () => {
    const yamlish = fc.stringMatching(/^[\w\s:\-[\]{},'"#&*!|>%@`./?]*$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), yamlish, fc.jsonValue().map((v) => JSON.stringify(v)), fc.jsonValue().map((v) => stringify(v)), mutatedNodePool), (text) => {
        checkInside(text);
      }),
      { numRuns: 10_000, seed: 20_240_601 },
    );
  }, 120_000);
});
