import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../main.js';
import { fakeIo } from '../testing/fake-io.js';

const SEED = `apiVersion: karpenter.sh/v1alpha5
kind: Provisioner
metadata: {name: default}
spec:
  requirements:
    - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
  provider: {instanceProfile: KarpenterNodeInstanceProfile}
  ttlSecondsAfterEmpty: 30
`;

describe('karpenter-ts convert', () => {
  it('writes a NodePool and an EC2NodeClass to stdout and warnings to stderr', async () => {
    const f = fakeIo({ 'p.yaml': SEED });
    expect(await main(['convert', '-f', 'p.yaml', '--cluster-name', 'demo'], f.io)).toBe(0);
    const docs = parseAllDocuments(f.out()).map((d) => d.toJS() as { kind: string; spec: Record<string, unknown> });
    expect(docs.map((d) => d.kind)).toEqual(['NodePool', 'EC2NodeClass']);
    expect(docs[0]!.spec['disruption']).toEqual({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s' });
    expect(JSON.stringify(docs[1])).toContain('"karpenter.sh/discovery":"demo"');
    expect(f.err()).toMatch(/^p\.yaml:\d+:\d+: warning conversion-expire-after-never /m);
  });

  it('passes other documents through and converts AWSNodeTemplates', async () => {
    const text = `${SEED.replace('provider: {instanceProfile: KarpenterNodeInstanceProfile}', 'providerRef: {name: tmpl}')}---
apiVersion: karpenter.k8s.aws/v1alpha1
kind: AWSNodeTemplate
metadata: {name: tmpl}
spec: {subnetSelector: {a: b}, securityGroupSelector: {a: b}, instanceProfile: p}
---
apiVersion: v1
kind: Namespace
metadata: {name: team}
`;
    const f = fakeIo({ 'p.yaml': text });
    expect(await main(['convert', '-f', 'p.yaml'], f.io)).toBe(0);
    expect(parseAllDocuments(f.out()).map((d) => (d.toJS() as { kind: string }).kind)).toEqual(['NodePool', 'EC2NodeClass', 'Namespace']);
  });

  it('prints warnings as every command prints findings: file:line:column, lines of the second document', async () => {
    const f = fakeIo({ 'p.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\n${SEED}` });
    expect(await main(['convert', '-f', 'p.yaml', '--cluster-name', 'demo'], f.io)).toBe(0);
    const lines = [...f.err().matchAll(/^p\.yaml:(\d+):\d+: warning \S+ /gm)].map((m) => Number(m[1]));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l >= 5)).toBe(true);
  });

  it('refuses invalid input with located errors', async () => {
    const f = fakeIo({ 'p.yaml': SEED.replace('ttlSecondsAfterEmpty: 30', 'ttlSecondsAfterEmpty: 30\n  consolidation: {enabled: true}') });
    expect(await main(['convert', '-f', 'p.yaml'], f.io)).toBe(2);
    expect(f.err()).toMatch(/^p\.yaml:8:\d+: error ttl-after-empty-with-consolidation/m);
    expect(f.out()).toBe('');
  });

  it('several -f files are all converted, not only the last one', async () => {
    const template = 'apiVersion: karpenter.k8s.aws/v1alpha1\nkind: AWSNodeTemplate\nmetadata: {name: tmpl}\nspec: {subnetSelector: {a: b}, securityGroupSelector: {a: b}, instanceProfile: p}\n';
    const f = fakeIo({ 'p.yaml': SEED.replace('provider: {instanceProfile: KarpenterNodeInstanceProfile}', 'providerRef: {name: tmpl}'), 't.yaml': template });
    expect(await main(['convert', '-f', 'p.yaml', '-f', 't.yaml'], f.io)).toBe(0);
    expect(parseAllDocuments(f.out()).map((d) => (d.toJS() as { kind: string }).kind)).toEqual(['NodePool', 'EC2NodeClass']);
    expect(f.err()).not.toContain('conversion-node-class-missing');
    const g = fakeIo({ 'p.yaml': SEED, 't.yaml': template });
    expect(await main(['convert', '-f', 'p.yaml', 't.yaml'], g.io)).toBe(0);
    expect(parseAllDocuments(g.out()).map((d) => (d.toJS() as { metadata: { name: string } }).metadata.name)).toEqual(['default', 'default', 'tmpl']);
  });

  it('warnings carry file and line', async () => {
    const f = fakeIo({ 'p.yaml': SEED });
    expect(await main(['convert', '-f', 'p.yaml'], f.io)).toBe(0);
    expect(f.err()).toMatch(/^p\.yaml:7:\d+: warning conversion-metadata-options .* \(spec\.provider\.metadataOptions\)$/m);
  });
});
