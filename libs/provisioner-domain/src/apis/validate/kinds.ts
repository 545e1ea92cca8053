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
import { v1beta1EC2NodeClassSchema, v1beta1NodeClaimSchema, v1beta1NodePoolSchema } from '../v1beta1.js';

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

/**
 * Versions that are not served but that `convert` reads (Karpenter v0.32-v0.37's v1beta1 API). `validate` checks them
 * only when asked to (`ValidateOptions.acceptConvertible`), as the input of a conversion.
 */
export const CONVERTIBLE_KINDS: readonly KnownKind[] = [
  { apiVersion: 'karpenter.sh/v1beta1', kind: 'NodePool', schema: v1beta1NodePoolSchema },
  { apiVersion: 'karpenter.sh/v1beta1', kind: 'NodeClaim', schema: v1beta1NodeClaimSchema },
  { apiVersion: 'karpenter.k8s.aws/v1beta1', kind: 'EC2NodeClass', schema: v1beta1EC2NodeClassSchema },
];

/** API groups whose kinds must be one of `KNOWN_KINDS`. */
export const KARPENTER_GROUPS: readonly string[] = ['karpenter.sh', 'karpenter.k8s.aws'];

/** Versions that existed upstream but are not served here, with the version to move to. */
export const RETIRED_VERSIONS: Readonly<Record<string, string>> = {
  'karpenter.sh/v1beta1': 'karpenter.sh/v1',
  'karpenter.k8s.aws/v1beta1': 'karpenter.k8s.aws/v1',
  'karpenter.sh/v1alpha1': 'karpenter.sh/v1',
};

/** The known kind for a document's apiVersion and kind (with `convertible`, the v1beta1 kinds too). */
export function findKind(apiVersion: string, kind: string, options: { convertible?: boolean } = {}): KnownKind | undefined {
  const match = (k: KnownKind) => k.apiVersion === apiVersion && k.kind === kind;
  return KNOWN_KINDS.find(match) ?? (options.convertible ? CONVERTIBLE_KINDS.find(match) : undefined);
}

/** True for a kind that is read only to be converted (v1beta1). */
export function isConvertibleKind(k: KnownKind): boolean {
  return CONVERTIBLE_KINDS.includes(k);
}
