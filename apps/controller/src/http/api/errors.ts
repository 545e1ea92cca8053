import type { ErrorReason, ErrorResponse } from '@karpenter-ts/capacity-api';

/** An error the API answers with a status and a JSON body ({@link ErrorResponse}); never a stack trace. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: ErrorReason,
    message: string,
    readonly issues?: NonNullable<ErrorResponse['error']['issues']>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The response body. */
  body(): ErrorResponse {
    return { error: { status: this.status, reason: this.reason, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}
