/**
 * The Karpenter API, from one source: zod schemas and types for karpenter.sh/v1 NodePool and NodeClaim,
 * karpenter.k8s.aws/v1 EC2NodeClass, karpenter.sh/v1alpha5 Provisioner and karpenter.k8s.aws/v1alpha1
 * AWSNodeTemplate; Karpenter's defaults; v1alpha5 → v1 conversion; well-known labels; durations.
 */
export * from './labels.js';
export * from './duration.js';
export * from './rules.js';
export * from './common.js';
export * from './nodepool.js';
export * from './nodepool.defaults.js';
export * from './nodeclaim.js';
export * from './ec2nodeclass.js';
export * from './awsnodetemplate.js';
export * from './provisioner.js';
export * from './conversion.js';
export * from './validate/index.js';
export * from './convert.js';
export * from './field-docs.js';
