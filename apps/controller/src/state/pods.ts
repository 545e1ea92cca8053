import type { Pod } from '@karpenter-ts/provisioner-domain';

/**
 * `namespace/name` of a pod, as logs and metrics print it. The rules about pods (provisionable, evictable,
 * terminal...) live in the domain: `isProvisionable`, `isEvictable`, `isTerminalPod`.
 */
export const podKey = (pod: Pod): string => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
