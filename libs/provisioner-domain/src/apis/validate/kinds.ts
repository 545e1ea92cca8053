/**
 * Which schema checks a document: Karpenter kinds by apiVersion and kind, the scenario kinds (`Pod`,
 * `Deployment`, `InstanceTypeCatalog`, ...) passed through, and older Karpenter API versions named with a
 * hint.
 */
import type { z } from 'zod';
import { awsNodeTemplateSchema } from '../awsnodetemplate.js';
import { ec2NodeClassSchema } from '../ec2nodeclass.js';
import { nodeClaimSchema } from '../nodeclaim.js';
import { nodePoolSchema } from '../nodepool.js';
import { provisionerSchema } from '../provisioner.js';

/** A Karpenter resource `validate` checks. */
export interface KnownKind {
  apiVersion: string;
  kind: string;
  schema: z.ZodType;
}

/** The Karpenter resources, by `apiVersion/kind`. */
export const KNOWN_KINDS: readonly KnownKind[] = [
  { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', schema: nodePoolSchema },
  { apiVersion: 'karpenter.sh/v1', kind: 'NodeClaim', schema: nodeClaimSchema },
  { apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', schema: ec2NodeClassSchema },
  { apiVersion: 'karpenter.sh/v1alpha5', kind: 'Provisioner', schema: provisionerSchema },
  { apiVersion: 'karpenter.k8s.aws/v1alpha1', kind: 'AWSNodeTemplate', schema: awsNodeTemplateSchema },
];

/** API groups whose kinds must be one of `KNOWN_KINDS`. */
export const KARPENTER_GROUPS: readonly string[] = ['karpenter.sh', 'karpenter.k8s.aws'];

/** Versions that existed upstream but are not served here, with the version to move to. */
export const RETIRED_VERSIONS: Readonly<Record<string, string>> = {
  'karpenter.sh/v1beta1': 'karpenter.sh/v1',
  'karpenter.k8s.aws/v1beta1': 'karpenter.k8s.aws/v1',
  'karpenter.sh/v1alpha1': 'karpenter.sh/v1',
};

/** The known kind for a document's apiVersion and kind. */
export function findKind(apiVersion: string, kind: string): KnownKind | undefined {
  return KNOWN_KINDS.find((k) => k.apiVersion === apiVersion && k.kind === kind);
}
