import { describe, expect, it } from 'vitest';
import { coreFieldFindings } from './core-fields.js';

describe('coreFieldFindings (strict validation of core kinds)', () => {
  it('names a misspelt field of a Deployment and of a container, with the field meant', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replcas: 3, selector: {}, template: { metadata: {}, spec: { containers: [{ name: 'c', resources: { request: { cpu: '1' } } }] } } },
    };
    expect(coreFieldFindings('Deployment', deployment).map((f) => [f.code, f.path.join('.'), f.message.match(/did you mean "(\w+)"/)?.[1]])).toEqual([
      ['unknown-field', 'spec.replcas', 'replicas'],
      ['unknown-field', 'spec.template.spec.containers.0.resources.request', 'requests'],
    ]);
  });
  it('accepts every field of a real pod spec', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'a', labels: {}, annotations: {} },
      spec: { containers: [{ name: 'c', image: 'i', ports: [], env: [], resources: { requests: {}, limits: {} }, livenessProbe: {} }], volumes: [], serviceAccountName: 's', tolerations: [], priorityClassName: 'x' },
      status: { phase: 'Pending' },
    };
    expect(coreFieldFindings('Pod', pod)).toEqual([]);
  });
  it.each([
    ['Pod', 'Bad_Name', true],
    ['Pod', 'web-1.example', false],
    ['Namespace', 'team.a', true],
    ['Namespace', 'team-a', false],
  ])('%s name %s invalid: %s', (kind, name, invalid) => {
    const found = coreFieldFindings(kind, { apiVersion: 'v1', kind, metadata: { name } });
    expect(found.some((f) => f.code === 'invalid-name')).toBe(invalid);
  });
  it('leaves other kinds alone', () => {
    expect(coreFieldFindings('NodePool', { spec: { anything: 1 } })).toEqual([]);
  });
});
