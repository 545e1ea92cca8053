import { describe, expect, it } from 'vitest';
import { loadScenario, parseFieldPath } from './load.js';
import type { Scenario, ScenarioIssue } from './types.js';

const NODEPOOL = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
        - {key: kubernetes.io/arch, operator: In, values: [amd64]}
`;

const POD = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, resources: {requests: {cpu: 500m}}}]
`;

function load(...texts: string[]) {
  return loadScenario(texts.map((text, i) => ({ name: `f${i + 1}.yaml`, text })));
}

function scenarioOf(...texts: string[]): Scenario {
  const r = load(...texts);
  if (!r.ok) throw new Error(`unexpected issues: ${JSON.stringify(r.issues, null, 1)}`);
  return r.scenario;
}

function issuesOf(...texts: string[]): ScenarioIssue[] {
  const r = load(...texts);
  if (r.ok) throw new Error('expected issues, got a scenario');
  return r.issues;
}

describe('loadScenario: errors carry file, document, path, line and a fix', () => {
  const cases: { name: string; text: string; expected: Partial<ScenarioIssue>; message: RegExp }[] = [
    {
      name: 'YAML syntax',
      text: `${POD}---\na: [\n`,
      expected: { code: 'yaml-syntax', document: 1, line: 8 },
      message: /YAML syntax/,
    },
    {
      name: 'a label value that is not a string',
      text: POD.replace('spec:\n', 'spec:\n  nodeSelector: {gpu: true}\n'),
      expected: { code: 'invalid-type', document: 0, path: 'spec.nodeSelector.gpu', line: 5 },
      message: /"gpu" must be a string, not boolean true/,
    },
    {
      name: 'a bad quantity',
      text: POD.replace('500m', '1x'),
      expected: { code: 'invalid-quantity', path: 'spec.containers[0].resources.requests.cpu', line: 5 },
      message: /invalid quantity "1x".*such as "500m"/,
    },
    {
      name: 'a mistyped operator in a NodePool',
      text: NODEPOOL.replace('operator: In', 'operator: Inn'),
      expected: { code: 'invalid-value', path: 'spec.template.spec.requirements[0].operator', line: 9 },
      message: /did you mean "In"\?/,
    },
    {
      name: 'an unknown NodePool field',
      text: NODEPOOL.replace('      requirements:', '      taintz: []\n      requirements:'),
      expected: { code: 'unknown-field', path: 'spec.template.spec.taintz', line: 8, column: 7 },
      message: /did you mean "taints"\?\): remove it or fix its spelling/,
    },
    {
      name: 'a NodePool CRD rule',
      text: NODEPOOL.replace('operator: In, values: [amd64]', 'operator: In, values: []'),
      expected: { path: 'spec.template.spec.requirements[0].values', line: 9 },
      message: /add at least one entry/,
    },
    {
      name: 'a duplicate key',
      text: POD.replace('metadata: {name: p}', 'metadata: {name: p}\nmetadata: {name: q}'),
      expected: { code: 'duplicate-key', line: 4 },
      message: /keep one of them/,
    },
    {
      name: 'a missing kind',
      text: 'apiVersion: v1\nmetadata: {name: x}\n',
      expected: { code: 'required', path: 'kind', line: 1 },
      message: /"kind" is required/,
    },
    {
      name: 'a pod without containers',
      text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n',
      expected: { code: 'too-small', path: 'spec.containers', line: 4 },
      message: /at least 1 item/,
    },
    {
      name: 'a missing spec',
      text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n',
      expected: { code: 'required', path: 'spec', line: 1 },
      message: /"spec" is required: add it/,
    },
    {
      name: 'a pod on an undefined node',
      text: POD.replace('spec:\n', 'spec:\n  nodeName: node-9\n'),
      expected: { code: 'unknown-node', path: 'spec.nodeName', line: 5 },
      message: /add a Node named node-9 or remove spec.nodeName/,
    },
    {
      name: 'a Deployment whose selector does not match its template',
      text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: y}}\n    spec: {containers: [{name: c}]}\n',
      expected: { code: 'selector-mismatch', path: 'spec.selector', line: 5 },
      message: /template carry the labels/,
    },
    {
      name: 'a duplicate pod',
      text: `${POD}---\n${POD}`,
      expected: { code: 'duplicate-object', document: 1, path: 'metadata.name', line: 9 },
      message: /Pod\/default\/p is defined twice \(first at f1.yaml:1\)/,
    },
    {
      name: 'a catalog entry without offerings',
      text: 'apiVersion: karpenter-ts.io/v1alpha1\nkind: InstanceTypeCatalog\ninstanceTypes:\n  - name: a\n    capacity: {cpu: "2"}\n',
      expected: { code: 'catalog-required', path: 'instanceTypes[0].offerings', line: 4 },
      message: /offerings is required/,
    },
    {
      name: 'a document that is not a mapping',
      text: '- a\n- b\n',
      expected: { code: 'not-an-object', path: '', line: 1 },
      message: /expected a Kubernetes object/,
    },
    {
      name: 'a List item',
      text: `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec: {containers: [{name: c, resources: {limits: {cpu: zz}}}]}\n`,
      expected: { path: 'items[0].spec.containers[0].resources.limits.cpu', line: 7 },
      message: /invalid quantity "zz"/,
    },
  ];
  it.each(cases)('$name', ({ text, expected, message }) => {
    const issues = issuesOf(text);
    const found = issues.find((i) => i.severity === 'error' && message.test(i.message));
    expect(found, JSON.stringify(issues, null, 1)).toBeDefined();
    expect(found).toMatchObject({ file: 'f1.yaml', ...expected });
  });
});

describe('loadScenario: warnings do not stop it', () => {
  it('warns about unknown kinds and keeps going', () => {
    const s = scenarioOf(`${NODEPOOL}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n`);
    expect(s.warnings).toEqual([expect.objectContaining({ severity: 'warning', code: 'unknown-kind', document: 1, path: 'kind', line: 12 })]);
    expect(s.nodePools).toHaveLength(1);
  });
  it('warns about a node without allocatable', () => {
    const s = scenarioOf('apiVersion: v1\nkind: Node\nmetadata: {name: n}\n');
    expect(s.warnings.map((w) => w.code)).toEqual(['node-without-allocatable']);
  });
  it('returns warnings beside errors when failing', () => {
    const issues = issuesOf(`apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n${POD.replace('500m', 'x')}`);
    expect(issues.map((i) => i.severity)).toEqual(['warning', 'error']);
  });
});

describe('loadScenario: objects', () => {
  it('applies NodePool defaults', () => {
    const np = scenarioOf(NODEPOOL).nodePools[0];
    expect(np?.spec.disruption).toEqual({ consolidateAfter: '0s', consolidationPolicy: 'WhenEmptyOrUnderutilized', budgets: [{ nodes: '10%' }] });
    expect(np?.spec.template.spec.expireAfter).toBe('720h');
  });
  it('converts a Provisioner, with conversion notes as warnings at its fields', () => {
    const s = scenarioOf('apiVersion: karpenter.sh/v1alpha5\nkind: Provisioner\nmetadata: {name: old}\nspec:\n  ttlSecondsAfterEmpty: 30\n  provider: {instanceProfile: x}\n');
    expect(s.nodePools[0]?.metadata.name).toBe('old');
    expect(s.nodePools[0]?.spec.disruption).toMatchObject({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s' });
    expect(s.nodeClasses.map((n) => n.metadata.name)).toEqual(['old']);
    expect(s.warnings.length).toBeGreaterThan(0);
    expect(s.warnings.every((w) => w.severity === 'warning' && w.line >= 1)).toBe(true);
  });
  it('rejects a Provisioner and a NodePool of the same name', () => {
    const issues = issuesOf(NODEPOOL, 'apiVersion: karpenter.sh/v1alpha5\nkind: Provisioner\nmetadata: {name: default}\nspec: {}\n');
    expect(issues.find((i) => i.code === 'duplicate-object')).toMatchObject({ file: 'f2.yaml', path: 'metadata.name' });
  });
  it('uses the default catalog without an InstanceTypeCatalog, and the document otherwise', () => {
    expect(scenarioOf(NODEPOOL).catalogSource).toBe('default');
    expect(scenarioOf(NODEPOOL).instanceTypes.length).toBeGreaterThan(100);
    const s = scenarioOf(
      'apiVersion: karpenter-ts.io/v1alpha1\nkind: InstanceTypeCatalog\ninstanceTypes:\n  - {name: a, capacity: {cpu: "2"}, offerings: [{zone: z, capacityType: spot, price: 0.1}]}\n',
    );
    expect(s.catalogSource).toBe('document');
    expect(s.instanceTypes.map((t) => t.name)).toEqual(['a']);
  });
  it('merges catalogs across files and rejects a type defined twice', () => {
    const cat = (n: string) => `apiVersion: karpenter-ts.io/v1alpha1\nkind: InstanceTypeCatalog\ninstanceTypes:\n  - {name: ${n}, capacity: {cpu: "2"}, offerings: [{zone: z, capacityType: spot, price: 0.1}]}\n`;
    expect(scenarioOf(cat('a'), cat('b')).instanceTypes.map((t) => t.name)).toEqual(['a', 'b']);
    expect(issuesOf(cat('a'), cat('a'))[0]).toMatchObject({ code: 'duplicate-object', file: 'f2.yaml', path: 'instanceTypes[0].name' });
  });
  it('defaults pod namespace, uid and creation time, keeping given ones', () => {
    const s = scenarioOf(POD, POD.replace('{name: p}', '{name: q, namespace: ns, uid: u-1, creationTimestamp: "2020-01-01T00:00:00Z"}'));
    expect(s.pods.map((p) => [p.metadata.namespace, p.metadata.uid?.length, p.metadata.creationTimestamp])).toEqual([
      ['default', 36, '2024-01-01T00:00:00Z'],
      ['ns', 3, '2020-01-01T00:00:00Z'],
    ]);
  });
  it('keeps finished pods, so that simulate can list them as skipped', () => {
    expect(scenarioOf(`${POD}status: {phase: Succeeded}\n`).pods.map((p) => p.status?.phase)).toEqual(['Succeeded']);
  });
  it('names pods with generateName deterministically', () => {
    const text = POD.replace('{name: p}', '{generateName: web-}');
    const a = scenarioOf(text).pods[0]?.metadata.name;
    expect(a).toMatch(/^web-[a-z0-9]{5}$/);
    expect(scenarioOf(text).pods[0]?.metadata.name).toBe(a);
  });
  it('reads every supported kind, namespacing namespaced objects', () => {
    const s = scenarioOf(`apiVersion: v1
kind: List
items:
  - {apiVersion: apps/v1, kind: DaemonSet, metadata: {name: ds}, spec: {template: {spec: {containers: [{name: c}]}}}}
  - {apiVersion: v1, kind: Node, metadata: {name: n}, status: {allocatable: {cpu: "4"}}}
  - {apiVersion: v1, kind: PersistentVolume, metadata: {name: pv}, spec: {capacity: {storage: 1Gi}}}
  - {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: pvc}, spec: {storageClassName: gp3}}
  - {apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: {name: gp3}, provisioner: ebs.csi.aws.com, volumeBindingMode: WaitForFirstConsumer}
  - {apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: pdb, namespace: x}, spec: {minAvailable: 1}}
  - {apiVersion: v1, kind: Namespace, metadata: {name: x, labels: {team: a}}}
  - {apiVersion: karpenter.k8s.aws/v1, kind: EC2NodeClass, metadata: {name: default}, spec: {role: R, amiSelectorTerms: [{alias: al2023@latest}], subnetSelectorTerms: [{tags: {a: b}}], securityGroupSelectorTerms: [{tags: {a: b}}]}}
`);
    expect(s.daemonSets[0]?.metadata.namespace).toBe('default');
    expect(s.nodes[0]?.metadata.namespace).toBeUndefined();
    expect(s.persistentVolumes).toHaveLength(1);
    expect(s.persistentVolumeClaims[0]?.metadata.namespace).toBe('default');
    expect(s.storageClasses[0]?.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(s.podDisruptionBudgets[0]?.metadata.namespace).toBe('x');
    expect(s.namespaces[0]?.metadata.labels).toEqual({ team: 'a' });
    expect(s.nodeClasses.map((n) => n.metadata.name)).toEqual(['default']);
    expect(s.warnings).toEqual([]);
  });
  it('reads nothing from empty files and stray separators', () => {
    const s = scenarioOf('', '---\n---\n');
    expect(s.pods).toEqual([]);
    expect(s.warnings).toEqual([]);
  });
});

describe('loadScenario: workloads expand deterministically', () => {
  const deployment = (replicas: number) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c}]}\n`;
  it.each([
    { name: 'Deployment', text: deployment(3), names: /^web-[a-z0-9]{10}-[0-2]$/, count: 3 },
    { name: 'Deployment with 0 replicas', text: deployment(0), names: /./, count: 0 },
    {
      name: 'ReplicaSet',
      text: 'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nspec: {replicas: 2, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}}\n',
      names: /^rs-[01]$/,
      count: 2,
    },
    {
      name: 'StatefulSet without replicas (1)',
      text: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}}\n',
      names: /^db-0$/,
      count: 1,
    },
    {
      name: 'Job with parallelism 3, completions 2',
      text: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {parallelism: 3, completions: 2, template: {spec: {containers: [{name: c}]}}}\n',
      names: /^j-[01]$/,
      count: 2,
    },
    {
      name: 'Job with parallelism 4 and no completions',
      text: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {parallelism: 4, template: {spec: {containers: [{name: c}]}}}\n',
      names: /^j-[0-3]$/,
      count: 4,
    },
  ])('$name', ({ text, names, count }) => {
    const pods = scenarioOf(text).pods;
    expect(pods).toHaveLength(count);
    for (const p of pods) expect(p.metadata.name).toMatch(names);
    expect(new Set(pods.map((p) => p.metadata.uid)).size).toBe(count);
    expect(scenarioOf(text).pods).toEqual(pods);
  });
  it('gives Deployment pods the template labels, pod-template-hash and the ReplicaSet as owner', () => {
    const [pod] = scenarioOf(deployment(1)).pods;
    const hash = pod?.metadata.labels?.['pod-template-hash'];
    expect(pod?.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(pod?.metadata.name).toBe(`web-${hash}-0`);
    expect(pod?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: `web-${hash}`, controller: true });
    expect(pod?.metadata.namespace).toBe('shop');
  });
  it('hands out creation times in load order across documents', () => {
    const pods = scenarioOf(POD, deployment(2)).pods;
    expect(pods.map((p) => p.metadata.creationTimestamp)).toEqual(['2024-01-01T00:00:00Z', '2024-01-01T00:00:01Z', '2024-01-01T00:00:02Z']);
  });
  it('makes StatefulSet claims from volumeClaimTemplates and mounts them, keeping given claims', () => {
    const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  selector: {matchLabels: {a: b}}
  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {storageClassName: gp3}}]
`;
    const given = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data-db-0}\nspec: {storageClassName: given}\n';
    const s = scenarioOf(sts, given);
    expect(s.pods.map((p) => p.spec.volumes)).toEqual([[{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }], [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-1' } }]]);
    expect(s.persistentVolumeClaims.map((c) => [c.metadata.name, c.spec.storageClassName])).toEqual([
      ['data-db-0', 'given'],
      ['data-db-1', 'gp3'],
    ]);
    expect(s.pods[1]?.metadata.labels).toMatchObject({ 'statefulset.kubernetes.io/pod-name': 'db-1', 'apps.kubernetes.io/pod-index': '1' });
  });
  it('labels Job pods with the job name and, when Indexed, the completion index', () => {
    const s = scenarioOf('apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {completionMode: Indexed, parallelism: 2, template: {spec: {containers: [{name: c}]}}}\n');
    expect(s.pods[1]?.metadata.labels).toMatchObject({ 'job-name': 'j', 'batch.kubernetes.io/job-name': 'j', 'batch.kubernetes.io/job-completion-index': '1' });
  });
  it('rejects a workload pod that collides with a Pod document', () => {
    const pod = POD.replace('{name: p}', '{name: rs-0}');
    const rs = 'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}}\n';
    expect(issuesOf(pod, rs)[0]).toMatchObject({ code: 'duplicate-object', file: 'f2.yaml' });
  });
});

describe('parseFieldPath', () => {
  it.each([
    ['spec.requirements[2].values', ['spec', 'requirements', 2, 'values']],
    ['spec', ['spec']],
    ['items[0][1]', ['items', 0, 1]],
    ['', []],
  ])('%s', (text, expected) => {
    expect(parseFieldPath(text)).toEqual(expected);
  });
});

describe('loadScenario: the catalog in use', () => {
  const CATALOG = `apiVersion: karpenter-ts.io/v1alpha1
kind: InstanceTypeCatalog
metadata: {name: aws, annotations: {karpenter-ts.io/prices-as-of: "2026-12-01"}}
instanceTypes:
  - name: m5.large
    labels: {kubernetes.io/arch: amd64, kubernetes.io/os: linux, karpenter.k8s.aws/instance-family: m5}
    capacity: {cpu: "2", memory: 7577Mi, pods: "29"}
    offerings: [{zone: us-west-2a, capacityType: on-demand, price: 0.096}, {zone: us-west-2a, capacityType: spot, price: 0.04}]
`;
  const EKS = NODEPOOL.replace(
    '        - {key: kubernetes.io/arch, operator: In, values: [amd64]}\n',
    '        - {key: node.kubernetes.io/instance-type, operator: In, values: [m5.large]}\n        - {key: topology.kubernetes.io/zone, operator: In, values: [us-west-2a]}\n        - {key: karpenter.sh/capacity-type, operator: In, values: [spto]}\n',
  );

  it('names the built-in catalog and warns about EKS values it has not got, at the value', () => {
    const s = scenarioOf(EKS);
    expect(s.catalog).toEqual({ name: 'built-in simulated' });
    const coverage = s.warnings.filter((w) => w.code === 'unknown-label-value');
    expect(coverage.map((w) => [w.path, w.line])).toEqual([
      ['spec.template.spec.requirements[0].values[0]', 9],
      ['spec.template.spec.requirements[1].values[0]', 10],
      ['spec.template.spec.requirements[2].values[0]', 11],
    ]);
    expect(coverage[0]?.message).toContain("instance type 'm5.large' is not offered by the catalog (built-in simulated)");
    expect(coverage[2]?.message).toContain("capacity type 'spto' is not offered by the catalog (built-in simulated); did you mean 'spot'?");
  });

  it('reads --catalog files first, names them with their price date, and checks requirements against them', () => {
    const r = loadScenario([{ name: 'np.yaml', text: EKS }], { catalogFiles: [{ name: 'aws.yaml', text: CATALOG }] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.catalog).toEqual({ name: 'aws.yaml', pricesAsOf: '2026-12-01' });
    expect(r.scenario.instanceTypes.map((t) => t.name)).toEqual(['m5.large']);
    expect(r.scenario.warnings.map((w) => w.message)).toEqual(["capacity type 'spto' is not offered by the catalog (aws.yaml); did you mean 'spot'? (offered: on-demand, spot)"]);
  });

  it('warns about a provider label no type of the catalog has', () => {
    const s = scenarioOf(NODEPOOL.replace('kubernetes.io/arch, operator: In, values: [amd64]', 'karpenter.k8s.aws/instance-family, operator: In, values: [p5]'));
    expect(s.warnings).toEqual([
      expect.objectContaining({ code: 'label-not-in-catalog', path: 'spec.template.spec.requirements[0].key', message: expect.stringContaining('no instance type of the catalog (built-in simulated) has the label karpenter.k8s.aws/instance-family') }),
    ]);
  });

  it('refuses other kinds in a --catalog file', () => {
    const r = loadScenario([], { catalogFiles: [{ name: 'aws.yaml', text: POD }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([expect.objectContaining({ code: 'not-a-catalog', file: 'aws.yaml', line: 2 })]);
  });
});
