import type { EC2NodeClass, Node, NodeClaim, NodePool, Pod } from '@karpenter-ts/provisioner-domain';
import { defaultEC2NodeClass } from './fixtures.js';

/** Small builders for controller unit tests (the domain's builders live in provisioner-domain-testing). */

const condition = (type: string) => ({ type, status: 'True' as const, reason: type, lastTransitionTime: '2026-01-01T00:00:00Z' });

/**
 * A `default`-style NodePool (linux/amd64 on-demand, EC2NodeClass "default"). With `ready` (the default) its
 * status already carries what nodepool.readiness writes for a pool that may provision: ValidationSucceeded,
 * NodeClassReady and Ready all True; with `ready: false`, no status at all (as freshly applied).
 */
export function nodePool(
  name = 'default',
  disruption: Record<string, unknown> = { consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s' },
  options: { ready?: boolean } = {},
): NodePool {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name, uid: `uid-${name}` },
    ...(options.ready === false ? {} : { status: { conditions: ['ValidationSucceeded', 'NodeClassReady', 'Ready'].map(condition) } }),
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements: [
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
          ],
        },
      },
      disruption,
    },
  } as NodePool;
}

export function pendingPod(name: string, cpu = '1', extra: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z', ...extra },
    spec: { containers: [{ name: 'c', resources: { requests: { cpu } } }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  };
}

export function boundPod(name: string, nodeName: string, extra: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...extra },
    spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] },
    status: { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }] },
  };
}

export function daemonSetPod(name: string, nodeName: string): Pod {
  return boundPod(name, nodeName, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'uid-ds', controller: true }] });
}


/** A NodeClaim of `pool` that launched as `kwok://<name>`; `initialized` adds Registered + Initialized. */
export function launchedClaim(name: string, pool = 'default', initialized = true): NodeClaim {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: { name, uid: `uid-${name}`, labels: { 'karpenter.sh/nodepool': pool, 'node.kubernetes.io/instance-type': 'c-4x-amd64-linux', 'karpenter.sh/capacity-type': 'on-demand' }, finalizers: ['karpenter.sh/termination'] },
    spec: { requirements: [], nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
    status: {
      providerID: `kwok://${name}`,
      nodeName: name,
      capacity: { cpu: '4', memory: '8Gi', pods: '64' },
      allocatable: { cpu: '3900m', memory: '8182Mi', pods: '64' },
      conditions: initialized ? [condition('Launched'), condition('Registered'), condition('Initialized')] : [condition('Launched')],
    },
  };
}

/** The Node of {@link launchedClaim}: Ready, registered, with the termination finalizer. */
export function launchedNode(name: string, pool = 'default'): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `uid-node-${name}`,
      labels: { 'karpenter.sh/nodepool': pool, 'karpenter.sh/registered': 'true', 'karpenter.sh/initialized': 'true', 'kubernetes.io/hostname': name },
      finalizers: ['karpenter.sh/termination'],
    },
    spec: { providerID: `kwok://${name}`, taints: [] },
    status: { allocatable: { cpu: '3900m', memory: '8182Mi', pods: '64' }, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/** An EC2NodeClass like the seed's `default` one ({@link defaultEC2NodeClass}), named `name`. */
export function ec2NodeClass(name = 'default'): EC2NodeClass {
  const base = defaultEC2NodeClass() as unknown as EC2NodeClass;
  return { ...base, metadata: { name, uid: `uid-nodeclass-${name}` } };
}
