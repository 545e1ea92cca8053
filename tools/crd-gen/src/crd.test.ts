import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildCrd, renderCrd } from './crd.js';
import { CRD_SOURCES } from './resources.js';
import { toStructural, UnsupportedSchemaError, type JsonSchema } from './structural.js';

const CRD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../apps/controller/chart/crds');

/** Every key a structural schema node may not carry. */
const FORBIDDEN = ['$ref', '$schema', 'const', 'propertyNames', 'oneOf', 'allOf', 'not', 'definitions', '$defs'];

function walk(node: unknown, visit: (n: JsonSchema, p: string) => void, p = ''): void {
  if (Array.isArray(node)) node.forEach((n, i) => walk(n, visit, `${p}[${i}]`));
  else if (node && typeof node === 'object') {
    visit(node as JsonSchema, p);
    for (const [k, v] of Object.entries(node)) if (k !== 'default' && k !== 'x-kubernetes-validations') walk(v, visit, `${p}.${k}`);
  }
}

describe('generated CRDs', () => {
  it.each(CRD_SOURCES.map((s) => [s.file, s] as const))('%s is up to date (run npm run generate -w @karpenter-ts/crd-gen)', async (file, source) => {
    const onDisk = await readFile(path.join(CRD_DIR, file), 'utf8');
    expect(onDisk).toBe(renderCrd(source));
  });

  it.each(CRD_SOURCES.map((s) => [s.file, s] as const))('%s is structural', (_file, source) => {
    const crd = buildCrd(source);
    const problems: string[] = [];
    walk(crd, (n, p) => {
      for (const k of FORBIDDEN) if (k in n) problems.push(`${p}: ${k}`);
      if (n['additionalProperties'] === false) problems.push(`${p}: additionalProperties false`);
      if (n['properties'] && n['additionalProperties']) problems.push(`${p}: properties with additionalProperties`);
    });
    expect(problems).toEqual([]);
  });

  it('writes printer columns like Karpenter: NodePool NODECLASS NODES READY AGE, NodeClaim TYPE CAPACITY ZONE NODE READY AGE', () => {
    const columns = (file: string) => {
      const crd = parse(renderCrd(CRD_SOURCES.find((s) => s.file === file)!)) as { spec: { versions: { additionalPrinterColumns: { name: string; priority?: number }[] }[] } };
      return crd.spec.versions[0]!.additionalPrinterColumns.filter((c) => !c.priority).map((c) => c.name.toUpperCase());
    };
    expect(columns('karpenter.sh_nodepools.yaml')).toEqual(['NODECLASS', 'NODES', 'READY', 'AGE']);
    expect(columns('karpenter.sh_nodeclaims.yaml')).toEqual(['TYPE', 'CAPACITY', 'ZONE', 'NODE', 'READY', 'AGE']);
  });

  it('types NodeClaim status.lastPodEventTime as format date-time, as Karpenter does (no pattern)', () => {
    const crd = parse(renderCrd(CRD_SOURCES.find((s) => s.file === 'karpenter.sh_nodeclaims.yaml')!)) as {
      spec: { versions: { schema: { openAPIV3Schema: { properties: { status: { properties: Record<string, JsonSchema> } } } } }[] };
    };
    const field = crd.spec.versions[0]!.schema.openAPIV3Schema.properties.status.properties['lastPodEventTime'];
    expect(field).toEqual({ type: 'string', format: 'date-time' });
  });

  it('carries defaults into the NodePool schema', () => {
    const crd = buildCrd(CRD_SOURCES[0]!) as JsonSchema;
    const spec = (crd as never as { spec: { versions: { schema: { openAPIV3Schema: JsonSchema } }[] } }).spec.versions[0]!.schema.openAPIV3Schema;
    const specProps = ((spec['properties'] as JsonSchema)['spec'] as JsonSchema)['properties'] as Record<string, JsonSchema>;
    const disruption = specProps['disruption']!;
    expect(disruption['default']).toEqual({ consolidateAfter: '0s' });
    const dProps = disruption['properties'] as Record<string, JsonSchema>;
    expect(dProps['consolidationPolicy']!['default']).toBe('WhenEmptyOrUnderutilized');
    expect(dProps['budgets']!['default']).toEqual([{ nodes: '10%' }]);
  });
});

describe('toStructural', () => {
  it.each([
    ['closed object', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }, { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }],
    ['open object', { type: 'object', properties: {}, additionalProperties: {} }, { type: 'object', properties: {}, 'x-kubernetes-preserve-unknown-fields': true }],
    ['map', { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } }, { type: 'object', additionalProperties: { type: 'string' } }],
    ['const', { type: 'string', const: 'v1' }, { type: 'string', enum: ['v1'] }],
    ['safe int bounds', { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 }, { type: 'integer', format: 'int64' }],
    ['int32 bounds', { type: 'integer', minimum: 1, maximum: 100 }, { type: 'integer', format: 'int32', minimum: 1, maximum: 100 }],
    ['exclusive minimum', { type: 'number', exclusiveMinimum: 0 }, { type: 'number', minimum: 0, exclusiveMinimum: true }],
    ['int-or-string', { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^x$' }] }, { anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^x$', 'x-kubernetes-int-or-string': true }],
    ['unknown', {}, { 'x-kubernetes-preserve-unknown-fields': true }],
  ])('%s', (_name, input, expected) => {
    expect(toStructural(input as JsonSchema)).toEqual(expected);
  });

  it('turns key constraints into a CEL rule', () => {
    const out = toStructural({ type: 'object', propertyNames: { type: 'string', pattern: "^a'b$", maxLength: 5 }, additionalProperties: { type: 'string' } });
    expect(out['x-kubernetes-validations']).toEqual([{ rule: "self.all(k, k.matches('^a\\'b$') && size(k) <= 5)", message: "every key must match ^a'b$ and be at most 5 characters" }]);
  });

  it.each([
    ['$ref', { $ref: '#/x' }],
    ['string|boolean union', { anyOf: [{ type: 'string' }, { type: 'boolean' }] }],
    ['multi-type', { type: ['string', 'null'] }],
  ])('rejects %s', (_name, input) => {
    expect(() => toStructural(input as JsonSchema, 'x')).toThrow(UnsupportedSchemaError);
  });
});
