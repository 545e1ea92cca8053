/**
 * The server's own notifications beyond LSP, for clients that know more than the files (the VS Code extension's
 * cluster connection). Types and names only, so a client can import them without the server's code.
 */

import { z } from 'zod';
import { InstanceTypesResponseSchema, type InstanceTypesResponse } from '@karpenter-ts/capacity-api';

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

/**
 * `karpenterTs/controllerCatalog` (client → server): the instance types of the karpenter-ts controller the client
 * reached (its `GET /api/v1/instancetypes` answer, `@karpenter-ts/capacity-api`'s `InstanceTypesResponse`), sent when
 * the client connects to a cluster whose controller answers, and `{ response: null }` when that catalog no longer
 * holds (disconnected, switched context, the controller stopped answering). `source` names the catalog in messages
 * and hovers, e.g. `the controller of context "kind-local"`.
 *
 * Precedence on the server: a catalog file (`karpenterTs.catalogFile`) > this catalog > the simulated default.
 */
export const CONTROLLER_CATALOG_NOTIFICATION = 'karpenterTs/controllerCatalog';

/** Parameters of `karpenterTs/controllerCatalog`. */
export type ControllerCatalogParams = { source: string; response: InstanceTypesResponse } | { response: null };

const ControllerCatalogParamsSchema = z.union([z.object({ source: z.string().min(1), response: InstanceTypesResponseSchema }), z.object({ response: z.null() })]);

/**
 * Parses the notification's parameters with the API's zod schema: `{ ok: true, params }`, or `{ ok: false, message }`
 * naming the first offending field (the server logs it and keeps its catalog).
 */
export function safeParseControllerCatalogParams(raw: unknown): { ok: true; params: ControllerCatalogParams } | { ok: false; message: string } {
  const parsed = ControllerCatalogParamsSchema.safeParse(raw);
  if (parsed.success) return { ok: true, params: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: issue ? `${issue.path.join('.') || 'params'}: ${issue.message}` : 'invalid parameters' };
}
