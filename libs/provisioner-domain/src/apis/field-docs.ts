/**
 * What each field of the Karpenter API means, with its unit and default, for editors (hover, completion details).
 * Facts follow Karpenter's API reference; the prose is ours. Defaults come from the zod schemas' `meta({ default })`
 * where the schema carries one (`fieldDoc` adds it), so a default is written once.
 */
import { z } from 'zod';
import { findKind } from './validate/kinds.js';
import { schemaAt } from './validate/messages.js';

/** The documentation of one field. */
export interface FieldDoc {
  /** What the field does, in a sentence or two. */
  doc: string;
  /** Unit or format of the value, e.g. "duration (s, m, h; or Never)". */
  unit?: string;
  /** The default Karpenter applies when the field is omitted, as YAML text. */
  default?: string;
}

const DURATION = 'duration such as 30s, 10m, 720h or 1h30m';
const REQ = {
  '': { doc: 'A node requirement: a well-known or custom label key, an operator and values. Karpenter launches only instance types and offerings that satisfy every requirement; keys instance types do not define only label the node.' },
  key: { doc: 'Label key: a well-known label (node.kubernetes.io/instance-type, topology.kubernetes.io/zone, karpenter.sh/capacity-type, kubernetes.io/arch, kubernetes.io/os, karpenter.k8s.aws/instance-family, ...) or a custom one.' },
  operator: { doc: 'How values are matched: In, NotIn, Exists, DoesNotExist, Gt, Lt (and Gte, Lte in karpenter.sh/v1). Gt/Lt compare one integer.' },
  values: { doc: 'The values for In/NotIn (at least one for In), or one non-negative integer for Gt/Lt/Gte/Lte.' },
  minValues: { doc: 'The least number of distinct values of this key the launched instance types must span (flexibility for spot), up to 50.', unit: 'count' },
} as const;

const TAINT = {
  '': { doc: 'A taint put on every node: pods must tolerate it to schedule there.' },
  key: { doc: 'Taint key.' },
  value: { doc: 'Taint value (optional).' },
  effect: { doc: 'NoSchedule (new pods need a toleration), PreferNoSchedule (avoided when possible) or NoExecute (running pods without a toleration are evicted).' },
} as const;

function prefixed(prefix: string, entries: Record<string, FieldDoc>): Record<string, FieldDoc> {
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k ? `${prefix}.${k}` : prefix, v]));
}

const NODEPOOL: Record<string, FieldDoc> = {
  spec: { doc: 'The NodePool: a template for the NodeClaims Karpenter launches for pending pods, how they are disrupted, and limits.' },
  'spec.template': { doc: 'What every NodeClaim (node) of this pool starts from: labels, annotations, taints, requirements and the node class.' },
  'spec.template.metadata.labels': { doc: 'Labels put on every node; pods can select them. Keys under karpenter.sh and kubernetes.io are restricted.' },
  'spec.template.metadata.annotations': { doc: 'Annotations put on every node.' },
  'spec.template.spec.requirements': { doc: 'Constraints on instance type, zone, capacity type, architecture, OS and any other label: the pool only launches what satisfies all of them, intersected with each pod\'s own requirements.' },
  ...prefixed('spec.template.spec.requirements[]', REQ),
  'spec.template.spec.taints': { doc: 'Taints of every node of the pool: only pods that tolerate them schedule there.' },
  ...prefixed('spec.template.spec.taints[]', TAINT),
  'spec.template.spec.startupTaints': { doc: 'Taints put on new nodes that something else (e.g. a CNI or a DaemonSet) removes once the node is ready; Karpenter assumes pods will schedule after they are gone.' },
  ...prefixed('spec.template.spec.startupTaints[]', TAINT),
  'spec.template.spec.nodeClassRef': { doc: 'The node class holding the cloud-specific settings (AMI, subnets, security groups, role): group karpenter.k8s.aws, kind EC2NodeClass and its name.' },
  'spec.template.spec.nodeClassRef.group': { doc: 'API group of the node class: karpenter.k8s.aws for an EC2NodeClass.' },
  'spec.template.spec.nodeClassRef.kind': { doc: 'Kind of the node class: EC2NodeClass.' },
  'spec.template.spec.nodeClassRef.name': { doc: 'Name of the EC2NodeClass; the NodePool stays not ready until it exists.' },
  'spec.template.spec.expireAfter': { doc: 'How long a node lives before Karpenter replaces it (forceful: not blocked by budgets). Never keeps nodes forever.', unit: `${DURATION}, or Never` },
  'spec.template.spec.terminationGracePeriod': { doc: 'The longest a node may take to drain once deletion started; after it, remaining pods are deleted even if PDBs or do-not-disrupt block them. Unset: wait forever.', unit: DURATION },
  'spec.disruption': { doc: 'When and how fast Karpenter removes or replaces the pool\'s nodes (consolidation, drift, emptiness).' },
  'spec.disruption.consolidationPolicy': { doc: 'WhenEmptyOrUnderutilized: remove or replace nodes whose pods fit elsewhere more cheaply; WhenEmpty: only remove nodes without workload pods.' },
  'spec.disruption.consolidateAfter': { doc: 'How long a node must have seen no pod scheduled or removed before it may be consolidated. Never disables consolidation.', unit: `${DURATION}, or Never` },
  'spec.disruption.budgets': { doc: 'Caps on how many nodes voluntary disruption may take down at once, optionally only for some reasons or during a cron window; the most restrictive active budget wins.' },
  'spec.disruption.budgets[]': { doc: 'One disruption budget.' },
  'spec.disruption.budgets[].nodes': { doc: 'How many nodes may be disrupting at once: a count ("5") or a percentage of the pool\'s nodes ("10%", rounded down). "0" blocks disruption.', unit: 'count or percentage' },
  'spec.disruption.budgets[].reasons': { doc: 'The disruption reasons this budget applies to (Underutilized, Empty, Drifted); all when omitted.' },
  'spec.disruption.budgets[].schedule': { doc: 'Cron schedule (UTC) of when the budget becomes active, with duration; always active when omitted.', unit: 'cron, 5 fields or @daily-style macro' },
  'spec.disruption.budgets[].duration': { doc: 'How long the budget stays active after each scheduled start.', unit: 'hours and minutes such as 8h or 1h30m' },
  'spec.limits': { doc: 'Caps on the total resources of the pool\'s nodes (cpu, memory, nodes, any extended resource): Karpenter launches no node that would exceed them.', unit: 'quantities such as cpu: "1000", memory: 1000Gi' },
  'spec.weight': { doc: 'Priority among NodePools that can serve a pod: the highest weight is tried first (1-100).', unit: 'integer 1-100' },
  'spec.replicas': { doc: 'A static NodePool: keep exactly this many nodes regardless of pending pods.', unit: 'count' },
};

const EC2NODECLASS: Record<string, FieldDoc> = {
  spec: { doc: 'AWS settings of the nodes: AMIs, subnets, security groups, IAM role or instance profile, block devices, user data.' },
  'spec.amiFamily': { doc: 'The AMI family, which decides the bootstrap format of user data (AL2, AL2023, Bottlerocket, Windows2019/2022, Custom).' },
  'spec.amiSelectorTerms': { doc: 'Which AMIs to use, by alias (e.g. al2023@latest), id, name/owner, tags or SSM parameter; terms are ORed.' },
  'spec.subnetSelectorTerms': { doc: 'Which subnets to launch into, by id or tags; terms are ORed, fields of a term ANDed.' },
  'spec.securityGroupSelectorTerms': { doc: 'Which security groups the nodes get, by id, name or tags.' },
  'spec.role': { doc: 'IAM role for the nodes: Karpenter creates an instance profile for it. Set role or instanceProfile, not both.' },
  'spec.instanceProfile': { doc: 'An existing instance profile for the nodes, instead of role.' },
  'spec.userData': { doc: 'User data merged with the bootstrap Karpenter generates for the AMI family.' },
  'spec.tags': { doc: 'Tags for the instances, volumes and launch templates Karpenter creates.' },
  'spec.blockDeviceMappings': { doc: 'EBS volumes of the nodes (root volume size, type, IOPS, encryption).' },
  'spec.metadataOptions': { doc: 'Instance metadata service options (IMDSv2 required by default, hop limit 1).' },
  'spec.kubelet': { doc: 'Kubelet settings of the nodes (maxPods, reserved resources, eviction thresholds); Karpenter accounts for them when sizing nodes.' },
};

const PROVISIONER: Record<string, FieldDoc> = {
  spec: { doc: 'A v1alpha5 Provisioner (deprecated): use a karpenter.sh/v1 NodePool with an EC2NodeClass; the convert quick fix rewrites it.' },
  'spec.requirements': { doc: 'Constraints on the instance types, zones, capacity types and labels of the nodes (v1 NodePool: spec.template.spec.requirements).' },
  ...prefixed('spec.requirements[]', REQ),
  'spec.ttlSecondsAfterEmpty': { doc: 'Seconds after a node became empty before it is removed (v1: consolidationPolicy WhenEmpty with consolidateAfter).', unit: 'seconds' },
  'spec.ttlSecondsUntilExpired': { doc: 'Seconds a node lives before it is replaced (v1: spec.template.spec.expireAfter).', unit: 'seconds' },
  'spec.consolidation.enabled': { doc: 'Consolidate underutilized nodes (v1: consolidationPolicy WhenEmptyOrUnderutilized).' },
  'spec.limits.resources': { doc: 'Caps on the total resources of the provisioner\'s nodes (v1: spec.limits).' },
  'spec.providerRef': { doc: 'The AWSNodeTemplate holding AWS settings (v1: spec.template.spec.nodeClassRef to an EC2NodeClass).' },
  'spec.weight': { doc: 'Priority among provisioners that can serve a pod: the highest weight is tried first (1-100).', unit: 'integer 1-100' },
  ...prefixed('spec.taints[]', TAINT),
};

const COMMON: Record<string, FieldDoc> = {
  apiVersion: { doc: 'karpenter.sh/v1 (NodePool, NodeClaim), karpenter.k8s.aws/v1 (EC2NodeClass); karpenter.sh/v1alpha5 and karpenter.k8s.aws/v1alpha1 are deprecated.' },
  kind: { doc: 'NodePool, NodeClaim, EC2NodeClass (or the deprecated Provisioner, AWSNodeTemplate).' },
  metadata: { doc: 'Object metadata: name (required), labels, annotations.' },
  'metadata.name': { doc: 'The object\'s name (cluster-scoped: unique per kind in the cluster).' },
};

const BY_KIND: Record<string, Record<string, FieldDoc>> = { NodePool: NODEPOOL, EC2NodeClass: EC2NODECLASS, Provisioner: PROVISIONER };

/** `spec.template.spec.requirements[2].key` → `spec.template.spec.requirements[].key`. */
function pattern(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? '[]' : out ? `.${seg}` : seg;
  return out;
}

type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema default of the field (through optional wrappers), as YAML text. */
function schemaDefault(apiVersion: string, kind: string, path: readonly (string | number)[]): string | undefined {
  const known = findKind(apiVersion, kind);
  if (!known || !path.length) return undefined;
  const parentSchema = schemaAt(known.schema, path.slice(0, -1));
  if (!parentSchema || defOf(parentSchema).type !== 'object') return undefined;
  let field = (defOf(parentSchema)['shape'] as Record<string, z.ZodType>)[String(path[path.length - 1])];
  for (let i = 0; field && i < 5; i++) {
    const meta = z.globalRegistry.get(field) as { default?: unknown } | undefined;
    if (meta && meta.default !== undefined) return typeof meta.default === 'string' ? meta.default : JSON.stringify(meta.default);
    const def = defOf(field);
    field = def.type === 'optional' || def.type === 'nullable' ? (def['innerType'] as z.ZodType) : undefined;
  }
  return undefined;
}

/**
 * The documentation of the field at `path` of a `kind` object (`apiVersion` selects the schema for defaults), or
 * undefined for an undocumented field. Array indexes in `path` may be any number.
 */
export function fieldDoc(apiVersion: string, kind: string, path: readonly (string | number)[]): FieldDoc | undefined {
  const key = pattern(path);
  const doc = BY_KIND[kind]?.[key] ?? COMMON[key];
  if (!doc) return undefined;
  const dflt = doc.default ?? schemaDefault(apiVersion, kind, path);
  return dflt !== undefined ? { ...doc, default: dflt } : { ...doc };
}
