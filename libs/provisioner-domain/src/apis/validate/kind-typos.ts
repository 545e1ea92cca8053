/**
 * A misspelt `kind` is the same error wherever it is read (`validate`, `simulate`): a kind that is not one a
 * command reads but is a near miss of one (`Deploymnet`, `NodePol`) names the kind meant.
 */
import { nearMiss } from '../../explain/near-miss.js';

/** Kinds a scenario reads (plus `List`, whose items are read one by one), in the order messages list them. */
export const SCENARIO_KINDS: readonly string[] = [
  'NodePool',
  'Provisioner',
  'EC2NodeClass',
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
  'LimitRange',
];

/** Kinds some command of karpenter-ts reads: the scenario's kinds, plus NodeClaim (validate) and List. */
export const READ_KINDS: readonly string[] = [...SCENARIO_KINDS, 'NodeClaim', 'List'];

/** The read kind that `kind` looks like a typo of (`NodePol` → `NodePool`), or `undefined` when it does not. */
export function misspeltKind(kind: string): string | undefined {
  return READ_KINDS.includes(kind) ? undefined : nearMiss(kind, READ_KINDS);
}

/** The message for a kind that looks like a typo of a read kind, or `undefined` when it does not. */
export function misspeltKindMessage(kind: string): string | undefined {
  const meant = misspeltKind(kind);
  return meant ? `unknown kind "${kind}" (did you mean "${meant}"?): fix the kind` : undefined;
}
