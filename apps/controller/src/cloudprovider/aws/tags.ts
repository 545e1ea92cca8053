/** Tag keys the AWS provider writes on what it creates and reads back to find it (Karpenter AWS's tag keys). */
export const TAG_NODEPOOL = 'karpenter.sh/nodepool';
export const TAG_NODECLAIM = 'karpenter.sh/nodeclaim';
export const TAG_EC2NODECLASS = 'karpenter.k8s.aws/ec2nodeclass';
/** On launch templates and instance profiles: the cluster that owns them. */
export const TAG_CLUSTER = 'karpenter.k8s.aws/cluster';
export const TAG_EKS_CLUSTER_NAME = 'eks:eks-cluster-name';
/** `kubernetes.io/cluster/<name>` = `owned`: the cluster that owns an instance (read by cloud controllers). */
export const clusterTag = (clusterName: string): string => `kubernetes.io/cluster/${clusterName}`;

/** `{ Key, Value }[]` of a record, sorted by key (stable request bodies). */
export function toAwsTags(tags: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] ?? '' }));
}

/** A record of `{ Key, Value }[]` as AWS returns it. */
export function fromAwsTags(tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key) out[t.Key] = t.Value ?? '';
  return out;
}
