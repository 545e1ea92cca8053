/**
 * karpenter.sh/v1 NodeClaim: one node Karpenter launched or is launching. The spec is immutable once created
 * (a CEL transition rule in the CRD); the status is written by the controller as the claim goes through
 * Launched, Registered and Initialized.
 */
import { z } from 'zod';
import {
  conditionSchema,
  dateTimeSchema,
  nodeClassRefSchema,
  objectMetaSchema,
  nodeClaimRequirementListSchema,
  resourceListSchema,
  taintSchema,
} from './common.js';
import { DURATION_PATTERN, NILLABLE_DURATION_PATTERN } from './duration.js';
import { DEFAULT_EXPIRE_AFTER } from './nodepool.defaults.js';
import { withRules } from './rules.js';

/** Status condition types of a NodeClaim. */
export const NODECLAIM_CONDITIONS = [
  'Launched',
  'Registered',
  'Initialized',
  'Ready',
  'Consolidatable',
  'Drifted',
  'Drained',
  'VolumesDetached',
  'InstanceTerminating',
  'ConsistentStateFound',
  'DisruptionReason',
  'Empty',
  'Expired',
] as const;
export type NodeClaimConditionType = (typeof NODECLAIM_CONDITIONS)[number];

/** NodeClaim spec. */
export const nodeClaimSpecSchema = z.strictObject({
  taints: z.array(taintSchema).optional(),
  startupTaints: z.array(taintSchema).optional(),
  requirements: nodeClaimRequirementListSchema,
  resources: z.strictObject({ requests: resourceListSchema.optional() }).optional(),
  nodeClassRef: nodeClassRefSchema,
  terminationGracePeriod: z
    .string()
    .regex(new RegExp(DURATION_PATTERN), { message: 'must be a duration such as "30s", "10m" or "48h"' })
    .optional(),
  expireAfter: z
    .string()
    .regex(new RegExp(NILLABLE_DURATION_PATTERN), { message: 'must be a duration such as "30s", "720h", or "Never"' })
    .meta({ default: DEFAULT_EXPIRE_AFTER })
    .optional(),
});

/** NodeClaim status. */
export const nodeClaimStatusSchema = z.looseObject({
  nodeName: z.string().optional(),
  providerID: z.string().optional(),
  imageID: z.string().optional(),
  capacity: resourceListSchema.optional(),
  allocatable: resourceListSchema.optional(),
  conditions: z.array(conditionSchema).optional(),
  /** When a pod was last bound to or removed from the node (RFC 3339); emptiness counts consolidateAfter from it. */
  lastPodEventTime: dateTimeSchema.optional(),
});

/** A karpenter.sh/v1 NodeClaim manifest. */
export const nodeClaimSchema = z.strictObject({
  apiVersion: z.literal('karpenter.sh/v1'),
  kind: z.literal('NodeClaim'),
  metadata: objectMetaSchema,
  spec: withRules(nodeClaimSpecSchema, [
    { code: 'nodeclaim-spec-immutable', cel: 'self == oldSelf', message: 'spec is immutable: delete the NodeClaim and let its NodePool create a new one', transition: true },
  ]),
  status: nodeClaimStatusSchema.optional(),
});

/** A karpenter.sh/v1 NodeClaim as its JSON. */
export type NodeClaim = z.output<typeof nodeClaimSchema>;
export type NodeClaimSpec = z.output<typeof nodeClaimSpecSchema>;
export type NodeClaimStatus = z.output<typeof nodeClaimStatusSchema>;
