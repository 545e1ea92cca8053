/**
 * A failed Kubernetes API call. `statusCode` is the HTTP status (0 when no response arrived), `reason` the
 * `Status.reason` the API server returned (`NotFound`, `Conflict`, `AlreadyExists`, `Expired`,
 * `TooManyRequests`, ...). Mirrors apimachinery's `errors.IsNotFound`-style predicates below.
 */
export class KubeApiError extends Error {
  readonly code = 'KubeApi' as const;
  constructor(
    message: string,
    readonly statusCode: number,
    readonly reason: string = '',
    /** The decoded `Status` body, when there was one. */
    readonly status?: unknown,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.name = 'KubeApiError';
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** The server's `Retry-After` (a 429 or 5xx asking the client to come back later), ms; undefined without one. */
  readonly retryAfterMs: number | undefined;
}

/** The `Retry-After` a failed call carried, ms, or undefined. */
export const retryAfterMsOf = (error: unknown): number | undefined => (error instanceof KubeApiError ? error.retryAfterMs : undefined);

function statusOf(error: unknown): number | undefined {
  return error instanceof KubeApiError ? error.statusCode : undefined;
}

/** 404: the object (or the resource) does not exist. */
export const isNotFound = (error: unknown): boolean => statusOf(error) === 404;
/** 409 with reason AlreadyExists. */
export const isAlreadyExists = (error: unknown): boolean =>
  error instanceof KubeApiError && error.statusCode === 409 && error.reason === 'AlreadyExists';
/** 409 Conflict (stale resourceVersion or failed precondition). */
export const isConflict = (error: unknown): boolean =>
  error instanceof KubeApiError && error.statusCode === 409 && error.reason !== 'AlreadyExists';
/** 410 Gone: the watch's resourceVersion is too old; relist. */
export const isGone = (error: unknown): boolean => statusOf(error) === 410;
/** 429 Too Many Requests: for an eviction, a PodDisruptionBudget refused it; retry later. */
export const isTooManyRequests = (error: unknown): boolean => statusOf(error) === 429;
/** 422 Invalid. */
export const isInvalid = (error: unknown): boolean => statusOf(error) === 422;
