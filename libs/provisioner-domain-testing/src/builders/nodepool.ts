import type { NodePool, NodeSelectorRequirementWithMinValues, QuantityMap, Taint } from '@karpenter-ts/provisioner-domain';

export interface NodePoolOptions {
  /** Default `default`. */
  name?: string;
  requirements?: NodeSelectorRequirementWithMinValues[];
  /** Template labels (`spec.template.metadata.labels`). */
  labels?: Record<string, string>;
  taints?: Taint[];
  startupTaints?: Taint[];
  /** `spec.limits`, e.g. `{cpu: 100, memory: "400Gi", nodes: 10}`. */
  limits?: QuantityMap;
  weight?: number;
  disruption?: NodePool['spec']['disruption'];
  /** Default `{group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}`. */
  nodeClassRef?: { group: string; kind: string; name: string };
  expireAfter?: string;
}

/** A karpenter.sh/v1 NodePool manifest (no defaults applied; see `applyNodePoolDefaults`). */
export function nodePool(options: NodePoolOptions = {}): NodePool {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: options.name ?? 'default' },
    spec: {
      template: {
        ...(options.labels ? { metadata: { labels: options.labels } } : {}),
        spec: {
          nodeClassRef: options.nodeClassRef ?? { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements: (options.requirements ?? []) as NodePool['spec']['template']['spec']['requirements'],
          ...(options.taints ? { taints: options.taints } : {}),
          ...(options.startupTaints ? { startupTaints: options.startupTaints } : {}),
          ...(options.expireAfter ? { expireAfter: options.expireAfter } : {}),
        },
      },
      ...(options.disruption ? { disruption: options.disruption } : {}),
      ...(options.limits ? { limits: options.limits as NodePool['spec']['limits'] } : {}),
      ...(options.weight !== undefined ? { weight: options.weight } : {}),
    },
  } as NodePool;
}
