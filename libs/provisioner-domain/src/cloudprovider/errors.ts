/** Base of the cloud provider's typed errors; `code` is a stable literal for logs and metrics. */
export abstract class CloudProviderError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The instance (or NodeClaim) does not exist at the provider; deletion treats this as done. */
export class NodeClaimNotFoundError extends CloudProviderError {
  readonly code = 'NodeClaimNotFound' as const;
}

/** No offering allowed by the NodeClaim had capacity. `offerings` lists what was tried. */
export class InsufficientCapacityError extends CloudProviderError {
  readonly code = 'InsufficientCapacity' as const;
  constructor(
    message: string,
    readonly offerings: readonly { instanceType: string; zone: string; capacityType: string }[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The node class referenced by the NodePool is not ready (e.g. its subnets or AMIs are not resolved yet). */
export class NodeClassNotReadyError extends CloudProviderError {
  readonly code = 'NodeClassNotReady' as const;
}

/** Launch failed for another reason; `reason` is a short machine-readable word for the NodeClaim condition. */
export class CreateError extends CloudProviderError {
  readonly code = 'CreateError' as const;
  constructor(
    message: string,
    readonly reason: string = 'LaunchFailed',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
