import type { Logger } from 'pino';
import { KubeApiError } from './errors.js';

/** Why an API server answers this while it (or our access to it) is still coming up. */
const WARMUP_CAUSES: Record<number, string> = {
  403: 'RBAC for the controller may still be propagating',
  429: 'the API server is starting or throttling new clients',
  503: 'the API server is not ready yet',
};

/**
 * The expected cause of `error` while the API server warms up (403 while RBAC propagates, 429 while it starts,
 * 503 before it is ready), or undefined for any other error.
 */
export function warmupCause(error: unknown): string | undefined {
  return error instanceof KubeApiError ? WARMUP_CAUSES[error.statusCode] : undefined;
}

/**
 * Keeps startup quiet: warm-up answers from the API server (see {@link warmupCause}) that a caller gets while it
 * is still starting (an informer before its first list, leader election before its first answer) are reported
 * with ONE info line per status code for the whole process ("waiting for the API server: 403 on list pods (RBAC
 * ... propagating); retrying"), later ones at debug, never as WARN/ERROR or with a stack trace. Callers past
 * their start do not ask: for them these answers are failures.
 */
export class WarmupReporter {
  private readonly reported = new Set<number>();

  constructor(private readonly log: Logger) {}

  /** True when `error` was an expected warm-up answer to `what` (e.g. `list pods`) and has been reported; the caller then retries without logging. */
  report(what: string, error: unknown): boolean {
    const cause = warmupCause(error);
    if (cause === undefined || !(error instanceof KubeApiError)) return false;
    if (this.reported.has(error.statusCode)) {
      this.log.debug({ call: what, statusCode: error.statusCode }, 'API server still warming up, retrying');
      return true;
    }
    this.reported.add(error.statusCode);
    this.log.info({ call: what, statusCode: error.statusCode }, `waiting for the API server: ${error.statusCode} on ${what} (${cause}); retrying`);
    return true;
  }
}

/** Log fields for an API failure: its message and status, without a stack trace (KubeApiErrors are expected). */
export function apiErrorFields(error: unknown): Record<string, unknown> {
  if (error instanceof KubeApiError) return { error: error.message, statusCode: error.statusCode };
  return { err: error };
}
