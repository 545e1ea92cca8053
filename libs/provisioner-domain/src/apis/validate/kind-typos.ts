/**
 * A misspelt `kind` is the same error wherever it is read (`validate`, `simulate`): a kind that is not one a
 * command reads but is a near miss of one (`Deploymnet`, `NodePol`) names the kind meant.
 */
import { nearMiss } from '../../explain/near-miss.js';

/** Kinds some command of karpenter-ts reads: Karpenter's, the scenario's core kinds and the catalog. */
export const READ_KINDS: readonly string[] = [
  'NodePool',
  'NodeClaim',
  'EC2NodeClass',
  'Provisioner',
  'AWSNodeTemplate',
  'InstanceTypeCatalog',
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'Job',
  'DaemonSet',
  'Node',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'StorageClass',
  'PodDisruptionBudget',
  'Namespace',
  'List',
];

/** The message for a kind that looks like a typo of a read kind, or `undefined` when it does not. */
export function misspeltKindMessage(kind: string): string | undefined {
  if (READ_KINDS.includes(kind)) return undefined;
  const meant = nearMiss(kind, READ_KINDS);
  return meant ? `unknown kind "${kind}" (did you mean "${meant}"?): fix the kind` : undefined;
}
