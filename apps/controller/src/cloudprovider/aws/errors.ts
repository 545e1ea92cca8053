/**
 * AWS error classification for the provider: capacity errors (Karpenter AWS's `IsUnfulfillableCapacity`),
 * not-found answers, and a typed error carrying the AWS error code and request id.
 */

/** CreateFleet error codes that mean "this offering has no capacity now" (marked unavailable for 3 minutes). */
export const CAPACITY_ERROR_CODES: ReadonlySet<string> = new Set([
  'InsufficientInstanceCapacity',
  'MaxSpotInstanceCountExceeded',
  'VcpuLimitExceeded',
  'UnfulfillableCapacity',
  'Unsupported',
  'InsufficientFreeAddressesInSubnet',
]);

/** Error codes of an instance or launch template that does not exist. */
const NOT_FOUND_CODES = new Set([
  'InvalidInstanceID.NotFound',
  'InvalidInstanceID.Malformed',
  'InvalidLaunchTemplateName.NotFoundException',
  'InvalidLaunchTemplateId.NotFound',
  'NoSuchEntity',
  'NoSuchEntityException',
  'ParameterNotFound',
  'AWS.SimpleQueueService.NonExistentQueue',
  'QueueDoesNotExist',
]);

/** The error code of an SDK error (`name`, or `Code` of a parsed body), else undefined. */
export function awsErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & { Code?: string; code?: string };
  return e.Code ?? (e.name && e.name !== 'Error' ? e.name : e.code);
}

/** The AWS request id of an SDK error (`$metadata.requestId`), else undefined. */
export function awsRequestId(error: unknown): string | undefined {
  const meta = (error as { $metadata?: { requestId?: string } } | undefined)?.$metadata;
  return meta?.requestId;
}

export const isCapacityErrorCode = (code: string | undefined): boolean => code !== undefined && CAPACITY_ERROR_CODES.has(code);
export const isNotFoundError = (error: unknown): boolean => NOT_FOUND_CODES.has(awsErrorCode(error) ?? '');

/**
 * A failed AWS call: `operation` (e.g. `CreateFleet`), the AWS `awsCode` (e.g. `UnauthorizedOperation`) and
 * `requestId` for a support case; the SDK error is the `cause`.
 */
export class AwsApiError extends Error {
  readonly code = 'AwsApiError' as const;
  constructor(
    readonly operation: string,
    readonly awsCode: string,
    readonly requestId: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} failed: ${awsCode}: ${message}${requestId ? ` (request id ${requestId})` : ''}`, options);
    this.name = 'AwsApiError';
  }

  /** Wraps an SDK error thrown by `operation`. */
  static from(operation: string, error: unknown): AwsApiError {
    if (error instanceof AwsApiError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new AwsApiError(operation, awsErrorCode(error) ?? 'Unknown', awsRequestId(error), message, { cause: error });
  }
}

/** Runs one SDK call; rethrows its failure as {@link AwsApiError}. */
export async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw AwsApiError.from(operation, error);
  }
}
