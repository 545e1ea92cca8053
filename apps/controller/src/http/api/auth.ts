/**
 * Authentication and authorization of API requests the way aggregated API servers and kube-rbac-proxy do it:
 * the bearer token is checked with a TokenReview (authentication.k8s.io/v1), and the user it names is
 * checked with a SubjectAccessReview (authorization.k8s.io/v1) for a verb on a virtual resource of API group
 * `karpenter-ts.io` (no CRD backs it; a ClusterRole grants it like any resource). TokenReview answers,
 * authenticated or not, are cached for `ttlMs` in an LRU map of at most `maxEntries` tokens, keyed by the
 * SHA-256 of the token (the token itself is never kept).
 */
import { createHash } from 'node:crypto';
import { API_GROUP } from '@karpenter-ts/capacity-api';
import type { KubeClient } from '../../kube/client.js';
import type { Clock } from '../../kube/clock.js';
import type { ResourceType } from '../../kube/resources.js';
import { ApiError } from './errors.js';

export const tokenReviews: ResourceType = { group: 'authentication.k8s.io', version: 'v1', plural: 'tokenreviews', kind: 'TokenReview', namespaced: false };
export const subjectAccessReviews: ResourceType = { group: 'authorization.k8s.io', version: 'v1', plural: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false };

/** Who a token belongs to (TokenReview status.user). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

interface TokenReview {
  apiVersion: string;
  kind: string;
  metadata: Record<string, never>;
  spec: { token: string };
  status?: { authenticated?: boolean; user?: UserInfo; error?: string };
}

interface SubjectAccessReview {
  apiVersion: string;
  kind: string;
  metadata: Record<string, never>;
  spec: { user: string; uid?: string; groups?: string[]; extra?: Record<string, string[]>; resourceAttributes: { group: string; resource: string; verb: string } };
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

export interface AuthOptions {
  client: KubeClient;
  clock: Clock;
  /** How long a TokenReview answer is reused, ms. */
  ttlMs: number;
  /** Most cached tokens; the least recently used is evicted first. */
  maxEntries: number;
}

/** The virtual resource and verb an endpoint needs. */
export interface Permission {
  resource: string;
  verb: string;
}

/** Checks bearer tokens and permissions; see the module comment. */
export class ApiAuthenticator {
  private readonly cache = new Map<string, { untilMs: number; user: UserInfo | undefined; error: string | undefined }>();

  constructor(private readonly options: AuthOptions) {}

  /** Tokens currently cached (for tests and metrics). */
  get cachedTokens(): number {
    return this.cache.size;
  }

  /**
   * The user of the request's `Authorization: Bearer` header, allowed `permission`.
   * @throws ApiError 401 without a bearer token or when the TokenReview does not authenticate it; 403 when the
   *   SubjectAccessReview does not allow it (the message names verb, resource and group to grant); 503 when
   *   the API server cannot be asked.
   */
  async authorize(authorization: string | undefined, permission: Permission): Promise<UserInfo> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) {
      throw new ApiError(401, 'Unauthorized', 'no bearer token: send "Authorization: Bearer <token>" with a Kubernetes ServiceAccount token', undefined, {
        'WWW-Authenticate': 'Bearer',
      });
    }
    const user = await this.authenticate(match[1]);
    await this.checkAccess(user, permission);
    return user;
  }

  private async authenticate(token: string): Promise<UserInfo> {
    const key = createHash('sha256').update(token).digest('hex');
    const now = this.options.clock.now();
    let entry = this.cache.get(key);
    if (entry && entry.untilMs <= now) {
      this.cache.delete(key);
      entry = undefined;
    }
    if (entry) {
      // LRU: re-insert as the most recent.
      this.cache.delete(key);
      this.cache.set(key, entry);
    } else {
      let review: TokenReview;
      try {
        review = await this.options.client.create<TokenReview & { metadata: object }>(tokenReviews, {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenReview',
          metadata: {},
          spec: { token },
        });
      } catch (error) {
        throw new ApiError(503, 'NotReady', `could not review the token with the Kubernetes API: ${(error as Error).message}`);
      }
      const authenticated = review.status?.authenticated === true && review.status.user?.username !== undefined;
      entry = { untilMs: now + this.options.ttlMs, user: authenticated ? review.status?.user : undefined, error: review.status?.error };
      this.cache.set(key, entry);
      while (this.cache.size > this.options.maxEntries) {
        const oldest = this.cache.keys().next().value;
        if (oldest === undefined) break;
        this.cache.delete(oldest);
      }
    }
    if (!entry.user) {
      throw new ApiError(401, 'Unauthorized', `the bearer token is not valid${entry.error ? `: ${entry.error}` : ''} (TokenReview did not authenticate it)`, undefined, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    return entry.user;
  }

  private async checkAccess(user: UserInfo, permission: Permission): Promise<void> {
    let review: SubjectAccessReview;
    try {
      review = await this.options.client.create<SubjectAccessReview & { metadata: object }>(subjectAccessReviews, {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        metadata: {},
        spec: {
          user: user.username,
          ...(user.uid ? { uid: user.uid } : {}),
          ...(user.groups ? { groups: user.groups } : {}),
          ...(user.extra ? { extra: user.extra } : {}),
          resourceAttributes: { group: API_GROUP, resource: permission.resource, verb: permission.verb },
        },
      });
    } catch (error) {
      throw new ApiError(503, 'NotReady', `could not review access with the Kubernetes API: ${(error as Error).message}`);
    }
    if (review.status?.allowed === true) return;
    const why = review.status?.reason || review.status?.evaluationError;
    throw new ApiError(
      403,
      'Forbidden',
      `user "${user.username}" may not ${permission.verb} ${permission.resource}.${API_GROUP}${why ? ` (${why})` : ''}: ` +
        `grant it with a ClusterRole rule {apiGroups: ["${API_GROUP}"], resources: ["${permission.resource}"], verbs: ["${permission.verb}"]} ` +
        `(the chart's ClusterRole karpenter-ts-capacity-reader has it) bound to this user`,
    );
  }
}
