/**
 * karpenter.k8s.aws/v1alpha1 AWSNodeTemplate: the pre-v1 node class a v1alpha5 Provisioner referenced with
 * `providerRef`. Selectors are tag maps (`{"karpenter.sh/discovery": "my-cluster"}`; `aws-ids` for ids).
 * The same fields, minus `launchTemplate` naming rules, are what a Provisioner's inline `provider` held.
 */
import { z } from 'zod';
import { objectMetaSchema } from './common.js';
import { blockDeviceMappingSchema } from './ec2nodeclass.js';
import { withRules } from './rules.js';

/** AMI families of v1alpha1 (no Windows2025, and Ubuntu still present). */
export const V1ALPHA1_AMI_FAMILIES = ['AL2', 'AL2023', 'Bottlerocket', 'Ubuntu', 'Custom', 'Windows2019', 'Windows2022'] as const;

const selector = z.record(z.string(), z.string());

/** v1alpha1 metadata options (no CRD defaults; the v1alpha5 controller defaulted the hop limit to 2). */
export const v1alpha1MetadataOptionsSchema = z.strictObject({
  httpEndpoint: z.enum(['enabled', 'disabled']).optional(),
  httpProtocolIPv6: z.enum(['enabled', 'disabled']).optional(),
  httpPutResponseHopLimit: z.int().min(1).max(64).optional(),
  httpTokens: z.enum(['required', 'optional']).optional(),
});

/** The fields common to AWSNodeTemplate.spec and a Provisioner's inline `provider`. */
export const awsProviderFields = {
  subnetSelector: selector.optional(),
  securityGroupSelector: selector.optional(),
  amiSelector: selector.optional(),
  amiFamily: z.enum(V1ALPHA1_AMI_FAMILIES).optional(),
  instanceProfile: z.string().optional(),
  launchTemplate: z.string().optional(),
  userData: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  context: z.string().optional(),
  blockDeviceMappings: z.array(blockDeviceMappingSchema).optional(),
  detailedMonitoring: z.boolean().optional(),
  metadataOptions: v1alpha1MetadataOptionsSchema.optional(),
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
};

/** A v1alpha5 inline `provider` block, checked as the AWS provider read it. */
export const awsProviderSchema = z.strictObject(awsProviderFields);

/** AWSNodeTemplate spec. */
export const awsNodeTemplateSpecSchema = withRules(
  z.strictObject({
    subnetSelector: awsProviderFields.subnetSelector,
    securityGroupSelector: awsProviderFields.securityGroupSelector,
    amiSelector: awsProviderFields.amiSelector,
    amiFamily: awsProviderFields.amiFamily,
    instanceProfile: awsProviderFields.instanceProfile,
    launchTemplate: awsProviderFields.launchTemplate,
    userData: awsProviderFields.userData,
    tags: awsProviderFields.tags,
    context: awsProviderFields.context,
    blockDeviceMappings: awsProviderFields.blockDeviceMappings,
    detailedMonitoring: awsProviderFields.detailedMonitoring,
    metadataOptions: awsProviderFields.metadataOptions,
  }),
  [
    {
      code: 'launch-template-exclusive',
      cel: '!has(self.launchTemplate) || !(has(self.securityGroupSelector) || has(self.userData) || has(self.blockDeviceMappings) || has(self.metadataOptions))',
      message: 'launchTemplate cannot be combined with securityGroupSelector, userData, blockDeviceMappings or metadataOptions: put those in the launch template, or drop launchTemplate',
      check: (s) =>
        s.launchTemplate !== undefined &&
        (s.securityGroupSelector !== undefined || s.userData !== undefined || s.blockDeviceMappings !== undefined || s.metadataOptions !== undefined)
          ? [['launchTemplate']]
          : [],
    },
  ],
);

/** AWSNodeTemplate status. */
export const awsNodeTemplateStatusSchema = z.looseObject({
  subnets: z.array(z.looseObject({ id: z.string(), zone: z.string() })).optional(),
  securityGroups: z.array(z.looseObject({ id: z.string(), name: z.string().optional() })).optional(),
  amis: z.array(z.looseObject({ id: z.string(), name: z.string().optional() })).optional(),
});

/** A karpenter.k8s.aws/v1alpha1 AWSNodeTemplate manifest. */
export const awsNodeTemplateSchema = z.strictObject({
  apiVersion: z.literal('karpenter.k8s.aws/v1alpha1'),
  kind: z.literal('AWSNodeTemplate'),
  metadata: objectMetaSchema,
  spec: awsNodeTemplateSpecSchema,
  status: awsNodeTemplateStatusSchema.optional(),
});

/** A karpenter.k8s.aws/v1alpha1 AWSNodeTemplate as its JSON. */
export type AWSNodeTemplate = z.output<typeof awsNodeTemplateSchema>;
export type AWSNodeTemplateSpec = z.output<typeof awsNodeTemplateSpecSchema>;
/** A Provisioner's inline `provider` block. */
export type AWSProvider = z.output<typeof awsProviderSchema>;
