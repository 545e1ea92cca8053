/**
 * karpenter.k8s.aws/v1 EC2NodeClass: how the AWS provider launches instances for the NodePools that reference
 * it (subnets, security groups, AMIs, IAM role or instance profile, user data, kubelet, disks, metadata
 * options). Schema and type; cross-field rules in `ec2nodeclass.validation.ts`.
 */
import { z } from 'zod';
import { conditionSchema, objectMetaSchema } from './common.js';
import {
  amiSelectorTermListRules,
  aliasRules,
  blockDeviceMappingListRules,
  capacityReservationTermListRules,
  ebsRules,
  ec2NodeClassSpecRules,
  kubeletRules,
  reservedMapRules,
  evictionMapRules,
  securityGroupTermListRules,
  selectorTagRules,
  subnetTermListRules,
  tagRules,
} from './ec2nodeclass.validation.js';
import { withMaxProperties, withRules } from './rules.js';

/** AMI families of the AWS provider. */
export const AMI_FAMILIES = ['AL2', 'AL2023', 'Bottlerocket', 'Custom', 'Windows2019', 'Windows2022', 'Windows2025'] as const;

/** EBS volume size: Gi, G, Ti or T within EBS' bounds. */
export const VOLUME_SIZE_PATTERN =
  '^((?:[1-9][0-9]{0,3}|[1-4][0-9]{4}|[5][0-8][0-9]{3}|59000)Gi|(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|[6][0-3][0-9]{3}|64000)G|([1-9]||[1-5][0-7]|58)Ti|([1-9]||[1-5][0-9]|6[0-3]|64)T)$';

const selectorTags = withRules(withMaxProperties(z.record(z.string(), z.string()), 20), selectorTagRules);

/** A subnet selector term: tags, or an id. */
export const subnetSelectorTermSchema = z.strictObject({
  tags: selectorTags.optional(),
  id: z.string().regex(/subnet-[0-9a-z]+/, { message: 'must be a subnet ID such as "subnet-0a1b2c3d"' }).optional(),
});

/** A security group selector term: tags, an id, or a name. */
export const securityGroupSelectorTermSchema = z.strictObject({
  tags: selectorTags.optional(),
  id: z.string().regex(/sg-[0-9a-z]+/, { message: 'must be a security group ID such as "sg-0a1b2c3d"' }).optional(),
  name: z.string().optional(),
});

/** A capacity reservation selector term. */
export const capacityReservationSelectorTermSchema = z.strictObject({
  tags: selectorTags.optional(),
  id: z.string().regex(/^cr-[0-9a-z]+$/, { message: 'must be a capacity reservation ID such as "cr-0a1b2c3d"' }).optional(),
  ownerID: z.string().regex(/^[0-9]{12}$/, { message: 'must be a 12-digit AWS account ID' }).optional(),
  instanceMatchCriteria: z.enum(['open', 'targeted']).optional(),
});

/** An AMI selector term: an alias (`al2023@latest`), or tags/id/name/owner, or an SSM parameter. */
export const amiSelectorTermSchema = z.strictObject({
  alias: withRules(z.string().max(30), aliasRules).optional(),
  tags: selectorTags.optional(),
  id: z.string().regex(/ami-[0-9a-z]+/, { message: 'must be an AMI ID such as "ami-0a1b2c3d"' }).optional(),
  name: z.string().optional(),
  owner: z.string().optional(),
  ssmParameter: z.string().optional(),
});

const reserved = withRules(z.record(z.string(), z.string()), reservedMapRules);
const evictionMap = (field: string) => withRules(z.record(z.string(), z.string()), evictionMapRules(field));

/** Kubelet settings for the nodes. */
export const kubeletConfigurationSchema = withRules(
  z.strictObject({
    clusterDNS: z.array(z.string()).optional(),
    maxPods: z.int().min(0).max(2147483647).optional(),
    podsPerCore: z.int().min(0).max(2147483647).optional(),
    systemReserved: reserved.optional(),
    kubeReserved: reserved.optional(),
    evictionHard: evictionMap('evictionHard').optional(),
    evictionSoft: evictionMap('evictionSoft').optional(),
    evictionSoftGracePeriod: evictionMap('evictionSoftGracePeriod').optional(),
    evictionMaxPodGracePeriod: z.int().min(-2147483648).max(2147483647).optional(),
    imageGCHighThresholdPercent: z.int().min(0).max(100).optional(),
    imageGCLowThresholdPercent: z.int().min(0).max(100).optional(),
    cpuCFSQuota: z.boolean().optional(),
  }),
  kubeletRules,
);

/** An EBS volume. */
export const blockDeviceSchema = withRules(
  z.strictObject({
    deleteOnTermination: z.boolean().optional(),
    encrypted: z.boolean().optional(),
    iops: z.int().optional(),
    kmsKeyID: z.string().optional(),
    snapshotID: z.string().optional(),
    throughput: z.int().optional(),
    volumeInitializationRate: z.int().min(100).max(300).optional(),
    volumeSize: z
      .string()
      .regex(new RegExp(VOLUME_SIZE_PATTERN), { message: 'must be a size in Gi, G, Ti or T within EBS limits, such as "20Gi" or "1Ti"' })
      .optional(),
    volumeType: z.enum(['standard', 'io1', 'io2', 'gp2', 'sc1', 'st1', 'gp3']).optional(),
  }),
  ebsRules,
);

/** A block device mapping. */
export const blockDeviceMappingSchema = z.strictObject({
  deviceName: z.string().optional(),
  ebs: blockDeviceSchema.optional(),
  rootVolume: z.boolean().optional(),
});

/** Instance metadata service options. */
export const metadataOptionsSchema = z.strictObject({
  httpEndpoint: z.enum(['enabled', 'disabled']).meta({ default: 'enabled' }).optional(),
  httpProtocolIPv6: z.enum(['enabled', 'disabled']).meta({ default: 'disabled' }).optional(),
  httpPutResponseHopLimit: z.int().min(1).max(64).meta({ default: 1 }).optional(),
  httpTokens: z.enum(['required', 'optional']).meta({ default: 'required' }).optional(),
});

/** `spec.metadataOptions` when absent: IMDSv2 required, hop limit 1, IPv6 endpoint off. */
export const DEFAULT_METADATA_OPTIONS = { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' } as const;

/** EC2NodeClass spec. */
export const ec2NodeClassSpecSchema = withRules(
  z.strictObject({
    subnetSelectorTerms: withRules(z.array(subnetSelectorTermSchema).max(30), subnetTermListRules),
    securityGroupSelectorTerms: withRules(z.array(securityGroupSelectorTermSchema).max(30), securityGroupTermListRules),
    capacityReservationSelectorTerms: withRules(z.array(capacityReservationSelectorTermSchema).max(30), capacityReservationTermListRules).optional(),
    associatePublicIPAddress: z.boolean().optional(),
    ipPrefixCount: z.int().min(0).optional(),
    amiSelectorTerms: withRules(z.array(amiSelectorTermSchema).min(1).max(30), amiSelectorTermListRules),
    amiFamily: z.enum(AMI_FAMILIES).optional(),
    userData: z.string().optional(),
    role: z.string().min(1, { message: 'role cannot be empty: name the IAM role for the nodes, or use instanceProfile instead' }).optional(),
    instanceProfile: z.string().min(1, { message: 'instanceProfile cannot be empty: name an instance profile, or use role instead' }).optional(),
    tags: withRules(z.record(z.string(), z.string()), tagRules).optional(),
    kubelet: kubeletConfigurationSchema.optional(),
    blockDeviceMappings: withRules(z.array(blockDeviceMappingSchema).max(50), blockDeviceMappingListRules).optional(),
    instanceStorePolicy: z.enum(['RAID0']).optional(),
    detailedMonitoring: z.boolean().optional(),
    metadataOptions: metadataOptionsSchema.meta({ default: DEFAULT_METADATA_OPTIONS }).optional(),
    enclaveOptions: z.strictObject({ enabled: z.boolean().optional() }).optional(),
    context: z.string().optional(),
  }),
  ec2NodeClassSpecRules,
);

/** EC2NodeClass status, written by the controller. */
export const ec2NodeClassStatusSchema = z.looseObject({
  subnets: z.array(z.looseObject({ id: z.string(), zone: z.string(), zoneID: z.string().optional() })).optional(),
  securityGroups: z.array(z.looseObject({ id: z.string(), name: z.string().optional() })).optional(),
  capacityReservations: z.array(z.looseObject({ id: z.string() })).optional(),
  amis: z
    .array(
      z.looseObject({
        id: z.string(),
        name: z.string().optional(),
        deprecated: z.boolean().optional(),
        requirements: z.array(z.looseObject({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() })),
      }),
    )
    .optional(),
  instanceProfile: z.string().optional(),
  conditions: z.array(conditionSchema).optional(),
});

/** A karpenter.k8s.aws/v1 EC2NodeClass manifest. */
export const ec2NodeClassSchema = z.strictObject({
  apiVersion: z.literal('karpenter.k8s.aws/v1'),
  kind: z.literal('EC2NodeClass'),
  metadata: objectMetaSchema,
  spec: ec2NodeClassSpecSchema,
  status: ec2NodeClassStatusSchema.optional(),
});

/** A karpenter.k8s.aws/v1 EC2NodeClass as its JSON. */
export type EC2NodeClass = z.output<typeof ec2NodeClassSchema>;
export type EC2NodeClassSpec = z.output<typeof ec2NodeClassSpecSchema>;
export type KubeletConfiguration = z.output<typeof kubeletConfigurationSchema>;
export type BlockDeviceMapping = z.output<typeof blockDeviceMappingSchema>;
export type MetadataOptions = z.output<typeof metadataOptionsSchema>;
export type AMIFamily = (typeof AMI_FAMILIES)[number];
