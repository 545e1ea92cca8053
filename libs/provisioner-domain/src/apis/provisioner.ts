/**
 * karpenter.sh/v1alpha5 Provisioner, as the seed article and pre-v1 clusters use it: requirements, labels,
 * taints, startupTaints, limits, ttlSecondsAfterEmpty, ttlSecondsUntilExpired, consolidation, weight,
 * kubeletConfiguration, and either an inline `provider` or a `providerRef` to an AWSNodeTemplate. The v1alpha5
 * webhook's cross-field rules are CEL rules here (`provisioner.validation.ts`). `conversion.ts` turns a
 * Provisioner into a v1 NodePool.
 */
import { z } from 'zod';
import {
  conditionSchema,
  nodeSelectorRequirementSchema,
  requirementKeySchema,
  objectMetaSchema,
  resourceListSchema,
  taintSchema,
  templateLabelsSchema,
} from './common.js';
import { provisionerSpecRules, provisionerRequirementRules } from './provisioner.validation.js';
import { withRules } from './rules.js';

/** v1alpha5 kubeletConfiguration. */
export const v1alpha5KubeletSchema = z.strictObject({
  clusterDNS: z.array(z.string()).optional(),
  containerRuntime: z.enum(['containerd', 'dockerd']).optional(),
  maxPods: z.int().min(0).optional(),
  podsPerCore: z.int().min(0).optional(),
  systemReserved: resourceListSchema.optional(),
  kubeReserved: resourceListSchema.optional(),
  evictionHard: z.record(z.string(), z.string()).optional(),
  evictionSoft: z.record(z.string(), z.string()).optional(),
  evictionSoftGracePeriod: z.record(z.string(), z.string()).optional(),
  evictionMaxPodGracePeriod: z.int().optional(),
  imageGCHighThresholdPercent: z.int().min(0).max(100).optional(),
  imageGCLowThresholdPercent: z.int().min(0).max(100).optional(),
  cpuCFSQuota: z.boolean().optional(),
});

/** v1alpha5 providerRef (to an AWSNodeTemplate). */
export const providerRefSchema = z.strictObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().min(1, { message: 'name may not be empty: name the AWSNodeTemplate' }),
});

/** Provisioner spec. */
export const provisionerSpecSchema = withRules(
  z.strictObject({
    annotations: z.record(z.string(), z.string()).optional(),
    labels: templateLabelsSchema.optional(),
    taints: z.array(taintSchema).optional(),
    startupTaints: z.array(taintSchema).optional(),
    requirements: withRules(z.array(nodeSelectorRequirementSchema.extend({ key: requirementKeySchema })).max(100), provisionerRequirementRules).optional(),
    kubeletConfiguration: v1alpha5KubeletSchema.optional(),
    /** Inline AWS provider settings; the API server keeps unknown fields, `validate` checks them as warnings. */
    provider: z.record(z.string(), z.unknown()).optional(),
    providerRef: providerRefSchema.optional(),
    ttlSecondsAfterEmpty: z.int().min(0).optional(),
    ttlSecondsUntilExpired: z.int().min(0).optional(),
    limits: z.strictObject({ resources: resourceListSchema.optional() }).optional(),
    weight: z.int().min(1).max(100).optional(),
    consolidation: z.strictObject({ enabled: z.boolean().optional() }).optional(),
  }),
  provisionerSpecRules,
);

/** Provisioner status. */
export const provisionerStatusSchema = z.looseObject({
  lastScaleTime: z.string().optional(),
  conditions: z.array(conditionSchema).optional(),
  resources: resourceListSchema.optional(),
});

/** A karpenter.sh/v1alpha5 Provisioner manifest. */
export const provisionerSchema = z.strictObject({
  apiVersion: z.literal('karpenter.sh/v1alpha5'),
  kind: z.literal('Provisioner'),
  metadata: objectMetaSchema,
  spec: provisionerSpecSchema,
  status: provisionerStatusSchema.optional(),
});

/** A karpenter.sh/v1alpha5 Provisioner as its JSON. */
export type Provisioner = z.output<typeof provisionerSchema>;
export type ProvisionerSpec = z.output<typeof provisionerSpecSchema>;
