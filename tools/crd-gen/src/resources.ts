/**
 * The CRDs karpenter-ts installs: for each, its group, names, version, printer columns (as Karpenter's) and the
 * zod schema it is generated from, and the file it is written to under apps/controller/chart/crds/.
 */
import type { z } from 'zod';
import {
  awsNodeTemplateSchema,
  ec2NodeClassSchema,
  nodeClaimSchema,
  nodePoolSchema,
  provisionerSchema,
} from '@karpenter-ts/provisioner-domain/apis';

/** An `additionalPrinterColumns` entry. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'date' | 'number' | 'boolean';
  jsonPath: string;
  priority?: number;
  description?: string;
}

/** What one generated CRD is made of. */
export interface CrdSource {
  file: string;
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories: string[];
  description: string;
  schema: z.ZodType;
  columns: PrinterColumn[];
  /** `subresources.scale` for static NodePools. */
  scale?: { specReplicasPath: string; statusReplicasPath: string };
}

const ready: PrinterColumn = { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' };
const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/** Every CRD, in the order they are written. */
export const CRD_SOURCES: readonly CrdSource[] = [
  {
    file: 'karpenter.sh_nodepools.yaml',
    group: 'karpenter.sh',
    version: 'v1',
    kind: 'NodePool',
    plural: 'nodepools',
    singular: 'nodepool',
    categories: ['karpenter'],
    description: 'NodePool is the Schema for the NodePools API: a template for the nodes Karpenter launches for pending pods, with disruption settings and limits.',
    schema: nodePoolSchema,
    columns: [
      { name: 'NodeClass', type: 'string', jsonPath: '.spec.template.spec.nodeClassRef.name' },
      { name: 'Nodes', type: 'string', jsonPath: '.status.nodes' },
      ready,
      age,
      { name: 'Weight', type: 'integer', jsonPath: '.spec.weight', priority: 1 },
      { name: 'CPU', type: 'string', jsonPath: '.status.resources.cpu', priority: 1 },
      { name: 'Memory', type: 'string', jsonPath: '.status.resources.memory', priority: 1 },
    ],
    scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.nodes' },
  },
  {
    file: 'karpenter.sh_nodeclaims.yaml',
    group: 'karpenter.sh',
    version: 'v1',
    kind: 'NodeClaim',
    plural: 'nodeclaims',
    singular: 'nodeclaim',
    categories: ['karpenter'],
    description: 'NodeClaim is the Schema for the NodeClaims API: one node Karpenter launched or is launching.',
    schema: nodeClaimSchema,
    columns: [
      { name: 'Type', type: 'string', jsonPath: '.metadata.labels.node\\.kubernetes\\.io/instance-type' },
      { name: 'Capacity', type: 'string', jsonPath: '.metadata.labels.karpenter\\.sh/capacity-type' },
      { name: 'Zone', type: 'string', jsonPath: '.metadata.labels.topology\\.kubernetes\\.io/zone' },
      { name: 'Node', type: 'string', jsonPath: '.status.nodeName' },
      ready,
      age,
      { name: 'ImageID', type: 'string', jsonPath: '.status.imageID', priority: 1 },
      { name: 'ID', type: 'string', jsonPath: '.status.providerID', priority: 1 },
      { name: 'NodePool', type: 'string', jsonPath: '.metadata.labels.karpenter\\.sh/nodepool', priority: 1 },
      { name: 'NodeClass', type: 'string', jsonPath: '.spec.nodeClassRef.name', priority: 1 },
      { name: 'Drifted', type: 'string', jsonPath: '.status.conditions[?(@.type=="Drifted")].status', priority: 1 },
    ],
  },
  {
    file: 'karpenter.k8s.aws_ec2nodeclasses.yaml',
    group: 'karpenter.k8s.aws',
    version: 'v1',
    kind: 'EC2NodeClass',
    plural: 'ec2nodeclasses',
    singular: 'ec2nodeclass',
    shortNames: ['ec2nc', 'ec2ncs'],
    categories: ['karpenter'],
    description: 'EC2NodeClass is the Schema for the EC2NodeClass API: how the AWS provider launches instances.',
    schema: ec2NodeClassSchema,
    columns: [ready, age, { name: 'Role', type: 'string', jsonPath: '.spec.role', priority: 1 }],
  },
  {
    file: 'karpenter.sh_provisioners.yaml',
    group: 'karpenter.sh',
    version: 'v1alpha5',
    kind: 'Provisioner',
    plural: 'provisioners',
    singular: 'provisioner',
    categories: ['karpenter'],
    description: 'Provisioner is the Schema for the Provisioners API (v1alpha5, superseded by NodePool).',
    schema: provisionerSchema,
    columns: [
      { name: 'Template', type: 'string', jsonPath: '.spec.providerRef.name' },
      { name: 'Weight', type: 'string', jsonPath: '.spec.weight', priority: 1 },
    ],
  },
  {
    file: 'karpenter.k8s.aws_awsnodetemplates.yaml',
    group: 'karpenter.k8s.aws',
    version: 'v1alpha1',
    kind: 'AWSNodeTemplate',
    plural: 'awsnodetemplates',
    singular: 'awsnodetemplate',
    categories: ['karpenter'],
    description: 'AWSNodeTemplate is the Schema for the AWSNodeTemplate API (v1alpha1, superseded by EC2NodeClass).',
    schema: awsNodeTemplateSchema,
    columns: [],
  },
];
