/**
 * Acceptance: the worked scenarios in ./testdata (kept in the repository so that it stands
 * alone) give the outcomes their comments state, and every plan passes the independent plan validator.
 */
import { describe, expect, it } from 'vitest';
import { validatePlan } from '@karpenter-ts/provisioner-domain-testing';
import { schedule } from '../scheduling/schedule.js';
import type { SchedulingOptions } from '../scheduling/types.js';
import { formatSimulation, type SimulationOutput } from './format.js';
import { loadScenario } from './load.js';
import { toSchedulingSnapshot } from './snapshot.js';
import type { Scenario, ScenarioFile } from './types.js';
import gpuMixed from './testdata/gpu-mixed.yaml?raw';
import seedInflate from './testdata/seed-inflate.yaml?raw';
import seedProvisioner from './testdata/seed-provisioner.yaml?raw';

function load(...files: ScenarioFile[]): Scenario {
  const r = loadScenario(files);
  if (!r.ok) throw new Error(`scenario has errors:\n${r.issues.map((i) => `${i.file}:${i.line}: ${i.path}: ${i.message}`).join('\n')}`);
  return r.scenario;
}

function simulate(scenario: Scenario, options: SchedulingOptions = {}): SimulationOutput {
  const snapshot = toSchedulingSnapshot(scenario);
  const result = schedule(snapshot, options);
  expect(validatePlan(snapshot, result)).toEqual([]);
  return formatSimulation(result, snapshot);
}

describe('gpu-mixed.yaml', () => {
  const out = simulate(load({ name: 'gpu-mixed.yaml', text: gpuMixed }));
  const claimOf = (pod: string) => out.nodeClaims.filter((nc) => nc.pods.includes(pod));

  it('puts train-nvidia alone on gpu-nv of pool accelerated', () => {
    expect(claimOf('ml/train-nvidia')).toEqual([expect.objectContaining({ nodePool: 'accelerated', instanceType: 'gpu-nv', pods: ['ml/train-nvidia'] })]);
  });
  it('puts infer-neuron alone on inf-2 of pool accelerated', () => {
    expect(claimOf('ml/infer-neuron')).toEqual([expect.objectContaining({ nodePool: 'accelerated', instanceType: 'inf-2', pods: ['ml/infer-neuron'] })]);
  });
  it('puts the three web pods on c-2x of pool general', () => {
    const web = out.nodeClaims.filter((nc) => nc.pods.some((p) => p.startsWith('shop/web-')));
    expect(web.every((nc) => nc.nodePool === 'general' && nc.instanceType === 'c-2x')).toBe(true);
    expect(web.flatMap((nc) => nc.pods)).toHaveLength(3);
  });
  it('leaves train-amd pending with a reason naming amd.com/gpu, for every pool', () => {
    expect(out.unschedulable.map((u) => u.pod)).toEqual(['ml/train-amd']);
    const [amd] = out.unschedulable;
    expect(amd?.reason).toContain('amd.com/gpu');
    expect(Object.keys(amd?.nodePools ?? {}).sort()).toEqual(['accelerated', 'general']);
    for (const why of Object.values(amd?.nodePools ?? {})) expect(why).toContain('amd.com/gpu');
  });
  it('launches exactly those NodeClaims, nothing on existing nodes', () => {
    expect(out.nodeClaims).toHaveLength(3);
    expect(out.existingNodes).toEqual([]);
    expect(out.totalPricePerHour).toBeCloseTo(0.9 + 0.76 + 0.085, 9);
  });
});

describe('seed-inflate.yaml', () => {
  const scenario = load({ name: 'seed-inflate.yaml', text: seedInflate });
  it('uses the default catalog', () => {
    expect(scenario.catalogSource).toBe('default');
  });
  it.each(['Respect', 'Ignore'] as const)('puts all 10 inflate pods on new NodeClaims, none pending (%s)', (preferencePolicy) => {
    const out = simulate(scenario, { preferencePolicy });
    expect(out.unschedulable).toEqual([]);
    expect(out.existingNodes).toEqual([]);
    const pods = out.nodeClaims.flatMap((nc) => nc.pods);
    expect(pods).toHaveLength(10);
    expect(new Set(pods).size).toBe(10);
    for (const p of pods) expect(p).toMatch(/^default\/inflate-/);
    for (const nc of out.nodeClaims) expect(nc).toMatchObject({ nodePool: 'default', capacityType: 'on-demand' });
    for (const nc of out.nodeClaims) expect(nc.instanceType).toMatch(/-amd64-linux$/);
  });
});

describe('seed-provisioner.yaml', () => {
  const provisioner = { name: 'seed-provisioner.yaml', text: seedProvisioner };
  // The Provisioner names AWS types and zones: a catalog with them, and the seed's inflate workload.
  const catalogAndPods: ScenarioFile = {
    name: 'catalog-and-pods.yaml',
    text: `apiVersion: karpenter-ts.io/v1alpha1
kind: InstanceTypeCatalog
instanceTypes:
  - name: m5.large
    labels: {kubernetes.io/arch: amd64, kubernetes.io/os: linux}
    capacity: {cpu: "2", memory: 8Gi, pods: "29"}
    offerings:
      - {zone: us-east-1a, capacityType: on-demand, price: 0.096}
      - {zone: us-east-1b, capacityType: spot, price: 0.035}
      - {zone: us-east-1c, capacityType: spot, price: 0.02}
  - name: m5.2xlarge
    labels: {kubernetes.io/arch: amd64, kubernetes.io/os: linux}
    capacity: {cpu: "8", memory: 32Gi, pods: "58"}
    offerings:
      - {zone: us-east-1a, capacityType: on-demand, price: 0.384}
      - {zone: us-east-1b, capacityType: on-demand, price: 0.384}
  - name: m6g.large
    labels: {kubernetes.io/arch: arm64, kubernetes.io/os: linux}
    capacity: {cpu: "2", memory: 8Gi, pods: "29"}
    offerings: [{zone: us-east-1a, capacityType: on-demand, price: 0.077}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: inflate, namespace: default}
spec:
  replicas: 5
  selector: {matchLabels: {app: inflate}}
  template:
    metadata: {labels: {app: inflate}}
    spec:
      containers: [{name: inflate, image: public.ecr.aws/eks-distro/kubernetes/pause:3.2, resources: {requests: {cpu: "1"}}}]
`,
  };
  // What the Provisioner means in v1 terms, written by hand.
  const equivalentNodePool: ScenarioFile = {
    name: 'nodepool.yaml',
    text: `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
        - {key: node.kubernetes.io/instance-type, operator: In, values: [m5.large, m5.2xlarge]}
        - {key: topology.kubernetes.io/zone, operator: In, values: [us-east-1a, us-east-1b]}
        - {key: kubernetes.io/arch, operator: In, values: [arm64, amd64]}
        - {key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}
        - {key: kubernetes.io/os, operator: In, values: [linux]}
  disruption:
    consolidationPolicy: WhenEmpty
    consolidateAfter: 30s
`,
  };

  it('validates and converts to a NodePool that consolidates when empty after 30s, plus an EC2NodeClass', () => {
    const scenario = load(provisioner);
    expect(scenario.nodePools).toHaveLength(1);
    const [np] = scenario.nodePools;
    expect(np?.metadata.name).toBe('default');
    expect(np?.spec.disruption).toMatchObject({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s' });
    expect(np?.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' });
    expect(scenario.nodeClasses.map((nc) => nc.metadata.name)).toEqual(['default']);
    expect(scenario.warnings.every((w) => w.severity === 'warning')).toBe(true);
  });

  it('schedules its pods exactly as the equivalent WhenEmpty 30s NodePool does', () => {
    const converted = simulate(load(provisioner, catalogAndPods));
    const written = simulate(load(equivalentNodePool, catalogAndPods));
    expect(converted).toEqual(written);
    expect(converted.unschedulable).toEqual([]);
    expect(converted.nodeClaims.flatMap((nc) => nc.pods)).toHaveLength(5);
    for (const nc of converted.nodeClaims) {
      expect(['m5.large', 'm5.2xlarge']).toContain(nc.instanceType);
      expect(['us-east-1a', 'us-east-1b']).toContain(nc.zone);
    }
  });
});
