import { API_GROUP, API_RESOURCES } from '@karpenter-ts/capacity-api';

/**
 * Why a call to the controller's API failed:
 * - `Unauthorized` (401): no token reached the controller, or TokenReview rejected it (or Backstage's own
 *   backend refused an unauthenticated proxy call);
 * - `Forbidden` (403): the token's identity lacks the RBAC rule for the virtual resource;
 * - `NotFound` (404): no proxy entry at the plugin's proxy path, or an old controller without the API;
 * - `Unavailable` (502/503/504): the proxy cannot reach the controller, or the controller is not ready yet;
 * - `Unreachable`: the request did not complete (network error, Backstage backend down);
 * - `InvalidResponse`: the body is not JSON or not the shape of `@karpenter-ts/capacity-api`;
 * - `HttpError`: any other non-2xx status.
 */
export type CapacityApiErrorCode =
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Unavailable'
  | 'Unreachable'
  | 'InvalidResponse'
  | 'HttpError';

/** Details of a {@link CapacityApiError}. */
export interface CapacityApiErrorDetails {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The controller's own `error.message`, when its JSON error body arrived. */
  serverMessage?: string;
  /** What a person changes to fix it (proxy entry, RBAC rule...). */
  hint: string;
  cause?: unknown;
}

/** A failed call to the karpenter-ts controller API, with a `code` and a `hint` for a person. */
export class CapacityApiError extends Error {
  override readonly name = 'CapacityApiError';
  readonly code: CapacityApiErrorCode;
  readonly status: number | undefined;
  readonly serverMessage: string | undefined;
  readonly hint: string;

  constructor(code: CapacityApiErrorCode, message: string, details: CapacityApiErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.serverMessage = details.serverMessage;
    this.hint = details.hint;
  }
}

/** The ClusterRole rule a portal's identity needs to read capacity (what the 403 hint names). */
export const capacityRbacRule = `apiGroups: ["${API_GROUP}"], resources: ["${API_RESOURCES.capacity.resource}"], verbs: ["${API_RESOURCES.capacity.verb}"]`;

/**
 * The error for a non-2xx status, with a hint naming the Backstage proxy setting (`proxy.endpoints`
 * entry at `proxyPath`, its `Authorization` header) or the RBAC rule needed.
 */
export function errorForStatus(status: number, proxyPath: string, serverMessage: string | undefined): CapacityApiError {
  const entry = `proxy.endpoints['${proxyPath}']`;
  const said = serverMessage ? `: ${serverMessage}` : '';
  if (status === 401) {
    return new CapacityApiError('Unauthorized', `The karpenter-ts controller did not accept the request's credentials (401)${said}`, {
      status,
      serverMessage,
      hint:
        `Set the controller's bearer token in app-config.yaml under ${entry}.headers.Authorization ` +
        `("Bearer \${KARPENTER_TS_TOKEN}", a ServiceAccount token the controller can check with TokenReview), ` +
        `and make sure you are signed in to Backstage.`,
    });
  }
  if (status === 403) {
    return new CapacityApiError('Forbidden', `The token's identity may not read capacity (403)${said}`, {
      status,
      serverMessage,
      hint:
        `Bind a ClusterRole with the rule { ${capacityRbacRule} } to the ServiceAccount whose token ` +
        `${entry} sends (the controller checks it with a SubjectAccessReview).`,
    });
  }
  if (status === 404) {
    return new CapacityApiError('NotFound', `No karpenter-ts API behind the Backstage proxy path ${proxyPath} (404)${said}`, {
      status,
      serverMessage,
      hint: `Add ${entry} to app-config.yaml with "target" set to the controller's API address (the chart's api.port, 8090 by default), then restart the Backstage backend.`,
    });
  }
  if (status === 502 || status === 503 || status === 504) {
    return new CapacityApiError('Unavailable', `The karpenter-ts controller is not available (${status})${said}`, {
      status,
      serverMessage,
      hint: `Check that the controller runs and is ready, and that ${entry}.target points at its API port (the chart's api.port, 8090 by default).`,
    });
  }
  return new CapacityApiError('HttpError', `The karpenter-ts API answered ${status}${said}`, {
    status,
    serverMessage,
    hint: 'See the controller log for this request.',
  });
}
