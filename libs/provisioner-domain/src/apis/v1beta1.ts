/**
 * The v1beta1 Karpenter API (Karpenter v0.32-v0.37, the most common source of a v1 migration): karpenter.sh/v1beta1
 * NodePool and NodeClaim and karpenter.k8s.aws/v1beta1 EC2NodeClass. Read only, to be converted to v1
 * (`conversion.v1beta1.ts`); they are not served. The fields and CRD rules are v1beta1's: `disruption.expireAfter`,
 * `consolidationPolicy: WhenUnderutilized` (which takes no consolidateAfter), `template.spec.kubelet`,
 * `nodeClassRef.apiVersion`, a required `amiFamily` (Ubuntu included) and AMI terms without `alias`.
 */
import { z } from 'zod';
import { nodeClaimRequirementKeySchema, nodeSelectorRequirementSchema, objectMetaSchema, requirementKeySchema, resourceListSchema, taintSchema, templateLabelsSchema } from './common.js';
import { BUDGET_DURATION_PATTERN, NILLABLE_DURATION_PATTERN } from './duration.js';
import { V1ALPHA1_AMI_FAMILIES } from './awsnodetemplate.js';
import {
  blockDeviceMappingSchema,
  kubeletConfigurationSchema,
  metadataOptionsSchema,
  securityGroupSelectorTermSchema,
  subnetSelectorTermSchema,
} from './ec2nodeclass.js';
import { BUDGET_NODES_PATTERN, BUDGET_SCHEDULE_PATTERN, disruptionReasonSchema } from './nodepool.js';
import { HERE, withRules } from './rules.js';

const nillableDuration = z.string().regex(new RegExp(NILLABLE_DURATION_PATTERN), { message: 'must be a duration such as "30s", "10m", "720h", or "Never"' });

/** v1beta1 NodeSelectorRequirementWithMinValues (NodePool keys: not `karpenter.sh/nodepool`). */
export const v1beta1RequirementSchema = nodeSelectorRequirementSchema.extend({ key: requirementKeySchema, minValues: z.int().min(1).max(50).optional() });

/** The same as NodeClaims write it (`karpenter.sh/nodepool` allowed). */
export const v1beta1NodeClaimRequirementSchema = nodeSelectorRequirementSchema.extend({ key: nodeClaimRequirementKeySchema, minValues: z.int().min(1).max(50).optional() });

/** v1beta1 nodeClassRef: `apiVersion` (group/version) instead of v1's `group`; only `name` is required. */
export const v1beta1NodeClassRefSchema = z.strictObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().min(1, { message: 'name may not be empty: name the EC2NodeClass' }),
});

/** v1beta1 NodeClaimSpec with the given requirement schema. */
const nodeClaimSpecWith = <R extends z.ZodType>(requirement: R) =>
  z.strictObject({
    taints: z.array(taintSchema).optional(),
    startupTaints: z.array(taintSchema).optional(),
    requirements: z.array(requirement).max(100),
    resources: z.strictObject({ requests: resourceListSchema.optional() }).optional(),
    kubelet: kubeletConfigurationSchema.optional(),
    nodeClassRef: v1beta1NodeClassRefSchema,
  });

/** v1beta1 NodeClaimSpec as a NodePool template holds it. */
export const v1beta1NodeClaimSpecSchema = nodeClaimSpecWith(v1beta1RequirementSchema);

/** v1beta1 NodeClaimSpec of a NodeClaim. */
export const v1beta1NodeClaimOwnSpecSchema = nodeClaimSpecWith(v1beta1NodeClaimRequirementSchema);

/** v1beta1 budget. */
export const v1beta1BudgetSchema = z.strictObject({
  nodes: z.string().regex(new RegExp(BUDGET_NODES_PATTERN), { message: 'must be a node count such as "5" or a percentage from "0%" to "100%"' }).optional(),
  schedule: z.string().regex(new RegExp(BUDGET_SCHEDULE_PATTERN), { message: 'must be a cron schedule such as "0 9 * * mon-fri" or a macro such as "@daily"' }).optional(),
  duration: z.string().regex(new RegExp(BUDGET_DURATION_PATTERN), { message: 'must be whole hours and/or minutes such as "8h" or "30m"' }).optional(),
  reasons: z.array(disruptionReasonSchema).optional(),
});

interface V1beta1DisruptionLike {
  consolidationPolicy?: string | undefined;
  consolidateAfter?: string | undefined;
}

/** v1beta1 spec.disruption with its CRD rules. */
export const v1beta1DisruptionSchema = withRules(
  z.strictObject({
    consolidationPolicy: z.enum(['WhenEmpty', 'WhenUnderutilized']).optional(),
    consolidateAfter: nillableDuration.optional(),
    expireAfter: nillableDuration.optional(),
    budgets: z.array(v1beta1BudgetSchema).max(50).optional(),
  }),
  [
    {
      code: 'consolidate-after-with-underutilized',
      cel: "has(self.consolidateAfter) ? self.consolidationPolicy != 'WhenUnderutilized' || self.consolidateAfter == 'Never' : true",
      message: 'consolidateAfter cannot be combined with consolidationPolicy=WhenUnderutilized: remove consolidateAfter (v1 allows it)',
      check: (d: V1beta1DisruptionLike) =>
        d.consolidateAfter !== undefined && (d.consolidationPolicy ?? 'WhenUnderutilized') === 'WhenUnderutilized' && d.consolidateAfter !== 'Never' ? [['consolidateAfter']] : [],
    },
    {
      code: 'consolidate-after-required-when-empty',
      cel: "self.consolidationPolicy == 'WhenEmpty' ? has(self.consolidateAfter) : true",
      message: 'consolidateAfter must be specified with consolidationPolicy=WhenEmpty: add e.g. consolidateAfter: 30s',
      check: (d: V1beta1DisruptionLike) => (d.consolidationPolicy === 'WhenEmpty' && d.consolidateAfter === undefined ? HERE : []),
    },
  ],
);

/** A karpenter.sh/v1beta1 NodePool manifest. */
export const v1beta1NodePoolSchema = z.strictObject({
  apiVersion: z.literal('karpenter.sh/v1beta1'),
  kind: z.literal('NodePool'),
  metadata: objectMetaSchema,
  spec: z.strictObject({
    template: z.strictObject({
      metadata: z.strictObject({ labels: templateLabelsSchema.optional(), annotations: z.record(z.string(), z.string()).optional() }).optional(),
      spec: v1beta1NodeClaimSpecSchema,
    }),
    disruption: v1beta1DisruptionSchema.optional(),
    limits: resourceListSchema.optional(),
    weight: z.int().min(1).max(100).optional(),
  }),
  status: z.looseObject({}).optional(),
});

/** A karpenter.sh/v1beta1 NodeClaim manifest. */
export const v1beta1NodeClaimSchema = z.strictObject({
  apiVersion: z.literal('karpenter.sh/v1beta1'),
  kind: z.literal('NodeClaim'),
  metadata: objectMetaSchema,
  spec: v1beta1NodeClaimOwnSpecSchema,
  status: z.looseObject({}).optional(),
});

/** A v1beta1 AMI selector term: tags, id, name and owner (no alias, no ssmParameter). */
export const v1beta1AmiSelectorTermSchema = z.strictObject({
  tags: z.record(z.string(), z.string()).optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  owner: z.string().optional(),
});

/** A karpenter.k8s.aws/v1beta1 EC2NodeClass manifest. */
export const v1beta1EC2NodeClassSchema = z.strictObject({
  apiVersion: z.literal('karpenter.k8s.aws/v1beta1'),
  kind: z.literal('EC2NodeClass'),
  metadata: objectMetaSchema,
  spec: withRules(
    z.strictObject({
      subnetSelectorTerms: z.array(subnetSelectorTermSchema).max(30),
      securityGroupSelectorTerms: z.array(securityGroupSelectorTermSchema).max(30),
      associatePublicIPAddress: z.boolean().optional(),
      amiSelectorTerms: z.array(v1beta1AmiSelectorTermSchema).max(30).optional(),
      amiFamily: z.enum(V1ALPHA1_AMI_FAMILIES),
      userData: z.string().optional(),
      role: z.string().min(1).optional(),
      instanceProfile: z.string().min(1).optional(),
      tags: z.record(z.string(), z.string()).optional(),
      blockDeviceMappings: z.array(blockDeviceMappingSchema).max(50).optional(),
      instanceStorePolicy: z.enum(['RAID0']).optional(),
      detailedMonitoring: z.boolean().optional(),
      metadataOptions: metadataOptionsSchema.optional(),
      context: z.string().optional(),
    }),
    [
      {
        code: 'custom-ami-terms-required',
        cel: "self.amiFamily == 'Custom' ? self.amiSelectorTerms.size() != 0 : true",
        message: "amiSelectorTerms is required when amiFamily == 'Custom': select the AMIs by id, name or tags",
        check: (s: { amiFamily?: string | undefined; amiSelectorTerms?: unknown[] | undefined }) => (s.amiFamily === 'Custom' && !(s.amiSelectorTerms ?? []).length ? [['amiFamily']] : []),
      },
      {
        code: 'role-or-instance-profile',
        cel: '(has(self.role) && !has(self.instanceProfile)) || (!has(self.role) && has(self.instanceProfile))',
        message: "must specify exactly one of ['role', 'instanceProfile']: set the IAM role for the nodes, or an existing instance profile",
        check: (s: { role?: string | undefined; instanceProfile?: string | undefined }) => ((s.role !== undefined) === (s.instanceProfile !== undefined) ? HERE : []),
      },
    ],
  ),
  status: z.looseObject({}).optional(),
});

/**
 * v1beta1 EC2NodeClass defaults of the fields of a given `metadataOptions` (hop limit 2). An absent `metadataOptions`
 * defaulted to hop limit 1, as v1's does; v1's field default is 1 too, so only a given `metadataOptions` without a
 * hop limit changes meaning.
 */
export const V1BETA1_METADATA_OPTION_FIELD_DEFAULTS = { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 2, httpTokens: 'required' } as const;

export type V1beta1NodePool = z.output<typeof v1beta1NodePoolSchema>;
export type V1beta1NodeClaim = z.output<typeof v1beta1NodeClaimSchema>;
export type V1beta1EC2NodeClass = z.output<typeof v1beta1EC2NodeClassSchema>;
export type V1beta1NodeClaimSpec = z.output<typeof v1beta1NodeClaimSpecSchema>;
