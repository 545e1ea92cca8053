/**
 * Every Kubernetes API permission the controller needs, one row per (API group, resource, scope), with the
 * verbs its code calls. The rules of `config/rbac.yaml` and of the Helm chart's `templates/rbac.yaml` are
 * exactly these rows (least privilege, as Karpenter's chart grants what its controllers call and no more):
 * `permissions.test.ts` checks the code's call sites against this table and the table against
 * `config/rbac.yaml` both ways, and `chart.e2e.test.ts` checks the rendered chart against it both ways.
 *
 * - `scope: 'cluster'` rows go into the ClusterRole (cluster-scoped kinds, or namespaced kinds the controller
 *   reads or writes in every namespace, such as pods and events).
 * - `scope: 'namespace'` rows go into a Role in the controller's own namespace (the leader-election Lease,
 *   as Karpenter's chart does), so the controller cannot touch Leases elsewhere.
 *
 * Verbs follow the client methods: list → list, watch → watch, get → get, create → create, replace (PUT) →
 * update, patch → patch, delete → delete. A subresource is written `resource/subresource` (e.g. `pods/eviction`).
 */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

export interface Permission {
  /** API group; `''` for the core group. */
  apiGroup: string;
  /** Plural resource, or `resource/subresource`. */
  resource: string;
  verbs: readonly Verb[];
  scope: 'cluster' | 'namespace';
  /** Which code needs it, for a reviewer. */
  usedBy: string;
}

/** The controller's permissions (see the module comment). Keep rows sorted by group, then resource. */
export const controllerPermissions: readonly Permission[] = [
  { apiGroup: '', resource: 'events', verbs: ['create'], scope: 'cluster', usedBy: 'kube/events.ts: Events on pods, nodes, NodeClaims, NodePools' },
  { apiGroup: '', resource: 'namespaces', verbs: ['list', 'watch'], scope: 'cluster', usedBy: 'operator.ts informer: team labels of the read-only API' },
  { apiGroup: '', resource: 'limitranges', verbs: ['list', 'watch'], scope: 'cluster', usedBy: 'operator.ts informer: LimitRange defaults of pods' },
  {
    apiGroup: '',
    resource: 'nodes',
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
    scope: 'cluster',
    usedBy: 'operator.ts informer; simulated cloud provider creates, gets, lists and deletes nodes; lifecycle and termination patch them',
  },
  { apiGroup: '', resource: 'pods', verbs: ['list', 'watch', 'delete'], scope: 'cluster', usedBy: 'operator.ts informer; node termination deletes pods past their grace period' },
  { apiGroup: '', resource: 'pods/eviction', verbs: ['create'], scope: 'cluster', usedBy: 'node termination drains through the Eviction API' },
  { apiGroup: 'apps', resource: 'daemonsets', verbs: ['list', 'watch'], scope: 'cluster', usedBy: 'operator.ts informer: DaemonSet overhead of new nodes' },
  { apiGroup: 'authentication.k8s.io', resource: 'tokenreviews', verbs: ['create'], scope: 'cluster', usedBy: 'http/api/auth.ts: callers of the read-only API' },
  { apiGroup: 'authorization.k8s.io', resource: 'subjectaccessreviews', verbs: ['create'], scope: 'cluster', usedBy: 'http/api/auth.ts: callers of the read-only API' },
  { apiGroup: 'coordination.k8s.io', resource: 'leases', verbs: ['get', 'create', 'update'], scope: 'namespace', usedBy: 'kube/leaderelection.ts: the leader Lease' },
  { apiGroup: 'karpenter.k8s.aws', resource: 'ec2nodeclasses', verbs: ['list', 'watch'], scope: 'cluster', usedBy: 'operator.ts informer' },
  { apiGroup: 'karpenter.k8s.aws', resource: 'ec2nodeclasses/status', verbs: ['patch'], scope: 'cluster', usedBy: 'cloudprovider/aws/nodeclass-status.ts: resolved subnets, security groups, AMIs, conditions' },
  { apiGroup: 'karpenter.sh', resource: 'nodeclaims', verbs: ['list', 'watch', 'create', 'patch', 'delete'], scope: 'cluster', usedBy: 'operator.ts informer; provisioning creates, lifecycle patches, disruption and GC delete' },
  { apiGroup: 'karpenter.sh', resource: 'nodeclaims/status', verbs: ['patch'], scope: 'cluster', usedBy: 'nodeclaim/status.ts and podevents: conditions' },
  { apiGroup: 'karpenter.sh', resource: 'nodepools', verbs: ['list', 'watch', 'patch'], scope: 'cluster', usedBy: 'operator.ts informer; nodepool.hash stamps karpenter.sh/nodepool-hash' },
  { apiGroup: 'karpenter.sh', resource: 'nodepools/status', verbs: ['patch'], scope: 'cluster', usedBy: 'nodepool readiness and counter: conditions and resources' },
  { apiGroup: 'karpenter.sh', resource: 'provisioners', verbs: ['list', 'watch'], scope: 'cluster', usedBy: 'operator.ts informer (v1alpha5)' },
  { apiGroup: 'policy', resource: 'poddisruptionbudgets', verbs: ['list', 'watch'], scope: 'cluster', usedBy: 'operator.ts informer: the disruption loop plans within PodDisruptionBudgets' },
  { apiGroup: 'storage.k8s.io', resource: 'volumeattachments', verbs: ['list'], scope: 'cluster', usedBy: 'node/termination: waits for the node\'s VolumeAttachments to go' },
  { apiGroup: 'karpenter.sh', resource: 'provisioners/status', verbs: ['patch'], scope: 'cluster', usedBy: 'nodepool readiness and counter (v1alpha5)' },
];

/** One RBAC PolicyRule as it appears in a Role or ClusterRole. */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** `group/resource verb` keys, e.g. `karpenter.sh/nodeclaims/status patch`, `/pods list` (core group). */
export function permissionKeys(rows: readonly Pick<Permission, 'apiGroup' | 'resource' | 'verbs'>[]): string[] {
  return [...new Set(rows.flatMap((row) => row.verbs.map((verb) => `${row.apiGroup}/${row.resource} ${verb}`)))].sort();
}

/** The same keys for the rules of a Role or ClusterRole (every group × resource × verb combination). */
export function ruleKeys(rules: readonly PolicyRule[]): string[] {
  const keys = new Set<string>();
  for (const rule of rules) {
    for (const group of rule.apiGroups ?? []) for (const resource of rule.resources ?? []) for (const verb of rule.verbs ?? []) keys.add(`${group}/${resource} ${verb}`);
  }
  return [...keys].sort();
}

/** The rows of one scope, as keys. */
export function scopeKeys(scope: Permission['scope'], rows: readonly Permission[] = controllerPermissions): string[] {
  return permissionKeys(rows.filter((row) => row.scope === scope));
}
