/**
 * Bad input never crashes: generated and mutated YAML fed to every command through `main`, the real entry
 * point. Each run ends with exit code 0, 1 or 2, never throws, never prints a stack trace or a JavaScript value
 * (`undefined`, `[object Object]`), and finishes (a hang detector, not a performance target).
 */
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { fakeIo } from './testing/fake-io.js';

const SEEDS = [
  `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
        - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
        - {key: node.kubernetes.io/instance-type, operator: In, values: [m5.large]}
  limits: {cpu: "100"}
  disruption: {consolidationPolicy: WhenEmptyOrUnderutilized, consolidateAfter: 1m}
`,
  `apiVersion: karpenter.sh/v1alpha5
kind: Provisioner
metadata: {name: old}
spec:
  requirements: [{key: karpenter.sh/capacity-type, operator: In, values: [spot]}]
  provider: {subnetSelector: {karpenter.sh/discovery: demo}, securityGroupSelector: {a: b}}
  ttlSecondsAfterEmpty: 30
`,
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {kubernetes.io/arch: amd64}
      topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}]
      containers: [{name: c, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
`,
  `apiVersion: karpenter-ts.io/v1alpha1
kind: InstanceTypeCatalog
instanceTypes:
  - name: m5.large
    labels: {kubernetes.io/arch: amd64}
    capacity: {cpu: "2", memory: 7577Mi, pods: "29"}
    offerings: [{zone: us-west-2a, capacityType: spot, price: 0.04}]
`,
  `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: team}
spec:
  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: In, values: [b]}]}]}}}
  tolerations: [{key: gpu, operator: Exists}]
  containers: [{name: c, resources: {requests: {cpu: "1", nvidia.com/gpu: "1"}}}]
`,
];

/** YAML text: a seed with characters deleted, inserted or replaced. */
const mutatedText = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 6, unit: fc.constantFrom(...' :-[]{}&*!|>#"\'\n\tab0.%@'.split('')) })), { minLength: 1, maxLength: 6 }))
  .map(([seed, edits]) => edits.reduce((text, [at, drop, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + drop), seed));

/** A seed's object with one field replaced by an arbitrary JSON value, as YAML. */
const mutatedObject = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }))
  .map(([seed, path, value]) => {
    const doc = parse(seed) as Record<string, unknown>;
    let node: Record<string, unknown> = doc;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1] ?? 'spec'] = value;
    return stringify(doc);
  });

/** Whole documents of arbitrary JSON, several per file. */
const arbitraryDocuments = fc.array(fc.jsonValue({ maxDepth: 4 }), { minLength: 0, maxLength: 3 }).map((docs) => docs.map((d) => stringify(d)).join('---\n'));

/** Anything at all. */
const anyText = fc.string({ maxLength: 200 });

const COMMANDS: readonly (readonly string[])[] = [
  ['validate', 'in.yaml'],
  ['validate', 'in.yaml', '-o', 'json', '--catalog', 'aws', '--strict'],
  ['convert', '-f', 'in.yaml'],
  ['simulate', 'in.yaml', '-o', 'table'],
  ['simulate', 'in.yaml', '--catalog', 'aws', '--fail-on-unschedulable'],
];

/** A hang detector: no single run may take this long. */
const HANG_MS = 20_000;

describe('bad input never crashes', () => {
  it.each(COMMANDS.map((argv) => [argv.join(' '), argv] as const))('%s', async (_name, argv) => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedText, mutatedObject, arbitraryDocuments, anyText), async (text) => {
        const f = fakeIo({ 'in.yaml': text });
        const started = Date.now();
        let code: number;
        try {
          code = await main(argv, f.io);
        } catch (error) {
          throw new Error(`main threw on ${JSON.stringify(text)}: ${String(error)}`);
        }
        expect([0, 1, 2], `exit ${code} on ${JSON.stringify(text)}`).toContain(code);
        expect(Date.now() - started).toBeLessThan(HANG_MS);
        const printed = `${f.out()}\n${f.err()}`;
        expect(printed).not.toMatch(/internal error|\n\s+at .+:\d+:\d+\)?\n/);
        expect(printed).not.toMatch(/\bundefined\b|\[object Object\]|\bNaN\b/);
      }),
      { numRuns: 80 },
    );
  }, 300_000);
});
