/**
 * The API resources the controller reads and writes, with their REST coordinates. Every request path is
 * derived from one of these, so RBAC in config/rbac.yaml can be checked against this list.
 */
export interface ResourceType {
  /** API group; `''` for the core group. */
  group: string;
  version: string;
  /** Lower-case plural used in URLs and RBAC rules. */
  plural: string;
  kind: string;
  namespaced: boolean;
}

const r = (group: string, version: string, plural: string, kind: string, namespaced: boolean): ResourceType => ({
  group,
  version,
  plural,
  kind,
  namespaced,
});

export const resources = {
  pods: r('', 'v1', 'pods', 'Pod', true),
  nodes: r('', 'v1', 'nodes', 'Node', false),
  events: r('', 'v1', 'events', 'Event', true),
  namespaces: r('', 'v1', 'namespaces', 'Namespace', false),
  daemonSets: r('apps', 'v1', 'daemonsets', 'DaemonSet', true),
  limitRanges: r('', 'v1', 'limitranges', 'LimitRange', true),
  leases: r('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  podDisruptionBudgets: r('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true),
  nodePools: r('karpenter.sh', 'v1', 'nodepools', 'NodePool', false),
  nodeClaims: r('karpenter.sh', 'v1', 'nodeclaims', 'NodeClaim', false),
  provisioners: r('karpenter.sh', 'v1alpha5', 'provisioners', 'Provisioner', false),
  ec2NodeClasses: r('karpenter.k8s.aws', 'v1', 'ec2nodeclasses', 'EC2NodeClass', false),
  // issue 12 (helper dnode): termination waits for the node's VolumeAttachments.
  volumeAttachments: r('storage.k8s.io', 'v1', 'volumeattachments', 'VolumeAttachment', false),
} as const satisfies Record<string, ResourceType>;

/** `apiVersion` text of a resource type: `v1`, `apps/v1`, `karpenter.sh/v1`. */
export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** URL path of a collection or of one object (`name`), optionally of a subresource. */
export function resourcePath(type: ResourceType, options: { namespace?: string; name?: string; subresource?: string } = {}): string {
  const prefix = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const ns = type.namespaced && options.namespace !== undefined ? `/namespaces/${encodeURIComponent(options.namespace)}` : '';
  const name = options.name === undefined ? '' : `/${encodeURIComponent(options.name)}`;
  const sub = options.subresource === undefined ? '' : `/${options.subresource}`;
  return `${prefix}${ns}/${type.plural}${name}${sub}`;
}
