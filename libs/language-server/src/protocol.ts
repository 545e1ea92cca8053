/**
 * The server's own notifications beyond LSP, for clients that know more than the files (the VS Code extension's
 * cluster connection). Types and names only, so a client can import them without the server's code.
 */

/**
 * `karpenterTs/clusterNodeClasses` (client → server): the EC2NodeClass names (karpenter.k8s.aws/v1) of the cluster the
 * client is connected to, sent on connect and whenever they change. A NodePool's `nodeClassRef` is then checked against
 * the workspace and these names together. `names: null` means no cluster is connected (or it has no EC2NodeClass
 * API): only the workspace counts again.
 */
export const CLUSTER_NODE_CLASSES_NOTIFICATION = 'karpenterTs/clusterNodeClasses';

/** Parameters of `karpenterTs/clusterNodeClasses`. */
export type ClusterNodeClassesParams = { context: string; names: string[] } | { names: null };

/** Parses the notification's parameters; undefined for anything malformed (ignored by the server). */
export function parseClusterNodeClassesParams(raw: unknown): ClusterNodeClassesParams | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { context, names } = raw as { context?: unknown; names?: unknown };
  if (names === null) return { names: null };
  if (typeof context !== 'string' || !Array.isArray(names) || !names.every((n) => typeof n === 'string')) return undefined;
  return { context, names: names as string[] };
}
