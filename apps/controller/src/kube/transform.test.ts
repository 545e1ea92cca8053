import type { Node, Pod } from '@karpenter-ts/provisioner-domain';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeKubeClient } from '../testing/fake-kube.js';
import type { KubeObject } from './client.js';
import { Informer } from './informer.js';
import { resources } from './resources.js';
import { LAST_APPLIED_ANNOTATION, trimNode, trimObject, trimPod } from './transform.js';

const managedFields = [{ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }];

/** Metadata as the API server returns it: read fields, plus managedFields, selfLink and last-applied. */
const serverMetadata = (name: string) => ({
  name,
  namespace: 'default',
  uid: `uid-${name}`,
  resourceVersion: '7',
  creationTimestamp: '2026-01-01T00:00:00Z',
  labels: { app: 'inflate' },
  annotations: { 'karpenter.sh/do-not-disrupt': 'true', [LAST_APPLIED_ANNOTATION]: '{"kind":"Pod"}' },
  ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'inflate-1', uid: 'rs', controller: true }],
  finalizers: ['example.com/keep'],
  deletionTimestamp: '2026-01-01T00:01:00Z',
  managedFields,
  selfLink: `/api/v1/namespaces/default/pods/${name}`,
});

/** A pod as the API server returns it: every field the controller reads, plus ones it never reads. */
const serverPod = (name: string): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: serverMetadata(name),
    spec: {
      nodeName: 'node-a',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
      tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }],
      overhead: { cpu: '10m' },
      priority: 100,
      priorityClassName: 'high',
      schedulerName: 'default-scheduler',
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      hostNetwork: false,
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: 'app',
          image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.7',
          command: ['/pause'],
          env: [{ name: 'A', value: 'b' }],
          resources: { requests: { cpu: '1' }, limits: { memory: '1Gi' } },
          ports: [{ containerPort: 80, hostPort: 8080 }],
          readinessProbe: { httpGet: { path: '/', port: 80 } },
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
      initContainers: [{ name: 'sidecar', image: 'envoy', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } }],
      ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
      serviceAccountName: 'default',
      dnsPolicy: 'ClusterFirst',
    },
    status: {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }],
      nominatedNodeName: 'node-b',
      qosClass: 'Burstable',
      podIP: '10.0.0.1',
      containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: 'pause', imageID: '' }],
    },
  }) as unknown as Pod;

const serverNode = (name: string): Node =>
  ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { ...serverMetadata(name), namespace: undefined },
    spec: { providerID: `kwok://${name}`, taints: [{ key: 'karpenter.sh/unregistered', effect: 'NoExecute' }], unschedulable: true, podCIDR: '10.0.0.0/24' },
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '3920m', memory: '7Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
      phase: 'Running',
      images: [{ names: ['registry.k8s.io/pause:3.9'], sizeBytes: 300_000 }],
      nodeInfo: { kubeletVersion: 'v1.31.0', machineID: 'm' },
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    },
  }) as unknown as Node;

/** The metadata every trimmed object keeps. */
const keptMetadata = (name: string) => {
  const { managedFields: _m, selfLink: _s, ...rest } = serverMetadata(name);
  return { ...rest, annotations: { 'karpenter.sh/do-not-disrupt': 'true' } };
};

describe('informer transforms', () => {
  it.each([
    { kind: 'any object', trim: (o: KubeObject) => trimObject(o), input: () => serverPod('p') as KubeObject },
    { kind: 'pod', trim: (o: KubeObject) => trimPod(o as Pod), input: () => serverPod('p') as KubeObject },
    { kind: 'node', trim: (o: KubeObject) => trimNode(o as Node), input: () => serverNode('p') as KubeObject },
  ])('$kind: drops managedFields, selfLink and last-applied-configuration, keeps the metadata read', ({ trim, input }) => {
    const expected = input().kind === 'Node' ? { ...keptMetadata('p'), namespace: undefined } : keptMetadata('p');
    expect(trim(input()).metadata).toEqual(expected);
    expect(trim(input()).metadata).not.toHaveProperty('managedFields');
  });

  it('trimPod keeps the scheduling, volume, resource and status fields and drops the rest', () => {
    const { metadata: _m, ...trimmed } = trimPod(serverPod('p'));
    expect(trimmed).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      spec: {
        nodeName: 'node-a',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
        tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }],
        overhead: { cpu: '10m' },
        priority: 100,
        priorityClassName: 'high',
        schedulerName: 'default-scheduler',
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        hostNetwork: false,
        terminationGracePeriodSeconds: 30,
        containers: [{ name: 'app', resources: { requests: { cpu: '1' }, limits: { memory: '1Gi' } }, ports: [{ containerPort: 80, hostPort: 8080 }] }],
        initContainers: [{ name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } }],
      },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }],
        nominatedNodeName: 'node-b',
      },
    });
  });

  it('trimPod adds no fields a minimal pod lacks', () => {
    const minimal: Pod = { metadata: { name: 'm', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } };
    expect(trimPod(minimal)).toEqual(minimal);
    expect(Object.keys(trimPod(minimal).spec)).toEqual(['containers']);
  });

  it('trimNode keeps providerID, taints, capacity, allocatable and conditions, drops images and nodeInfo', () => {
    const { metadata: _m, ...trimmed } = trimNode(serverNode('n'));
    expect(trimmed).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      spec: { providerID: 'kwok://n', taints: [{ key: 'karpenter.sh/unregistered', effect: 'NoExecute' }], unschedulable: true, podCIDR: '10.0.0.0/24' },
      status: {
        capacity: { cpu: '4', memory: '8Gi', pods: '110' },
        allocatable: { cpu: '3920m', memory: '7Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True' }],
        phase: 'Running',
      },
    });
  });

  it('never mutates its input', () => {
    const pod = serverPod('p');
    const before = structuredClone(pod);
    trimPod(pod);
    trimObject(pod);
    const node = serverNode('n');
    const nodeBefore = structuredClone(node);
    trimNode(node);
    expect(pod).toEqual(before);
    expect(node).toEqual(nodeBefore);
  });

  it('is applied by the Informer to listed objects (default trimObject) and to assumed writes', async () => {
    const client = new FakeKubeClient();
    client.seed(resources.pods, serverPod('listed'));
    const informer = new Informer<Pod>({ client, type: resources.pods, log: pino({ level: 'silent' }), transform: trimPod });
    const abort = new AbortController();
    const run = informer.run(abort.signal);
    await informer.waitForSync();
    informer.assume({ ...serverPod('assumed'), metadata: { ...serverPod('assumed').metadata, deletionTimestamp: undefined, resourceVersion: '99' } });
    for (const key of ['default/listed', 'default/assumed']) {
      const cached = informer.get(key) as unknown as Record<string, Record<string, unknown>>;
      expect(cached['metadata']).not.toHaveProperty('managedFields');
      expect(cached['status']).not.toHaveProperty('containerStatuses');
      expect((cached['spec']?.['containers'] as Record<string, unknown>[])[0]).not.toHaveProperty('image');
    }
    abort.abort();
    await run;

    const byDefault = new Informer<KubeObject>({ client, type: resources.pods, log: pino({ level: 'silent' }) });
    const again = new AbortController();
    const run2 = byDefault.run(again.signal);
    await byDefault.waitForSync();
    expect(byDefault.get('default/listed')?.metadata).toEqual({ ...keptMetadata('listed'), resourceVersion: expect.any(String) });
    again.abort();
    await run2;
  });
});
