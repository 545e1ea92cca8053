import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import type { PricingClient } from '@aws-sdk/client-pricing';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { createPricingClient } from './on-demand-prices.js';

/**
 * The seam between the AWS provider and the AWS SDK: the `send` of each client. Production passes real SDK v3
 * clients ({@link createAwsClients}); unit tests pass objects whose `send` answers by command class.
 */
export interface AwsClients {
  ec2: Pick<EC2Client, 'send'>;
  iam: Pick<IAMClient, 'send'>;
  ssm: Pick<SSMClient, 'send'>;
  sqs: Pick<SQSClient, 'send'>;
  /** On-demand prices; absent = the shipped static table only (unit tests, ISOLATED_VPC). */
  pricing?: Pick<PricingClient, 'send'>;
}

export interface AwsClientOptions {
  /** AWS region, e.g. `us-west-2`. Unset = the SDK's own resolution (AWS_REGION, profile, instance metadata). */
  region?: string | undefined;
  /** Endpoint of every service (an emulator such as moto); for tests and local runs only. */
  endpoint?: string | undefined;
  /** Attempts per call including the first, with the SDK's adaptive retry mode (client-side rate limiting on throttling). Default 5. */
  maxAttempts?: number;
}

/**
 * Real SDK clients. Credentials come from the SDK's default chain (IRSA web identity, EKS pod identity,
 * environment, profile, instance metadata). Retries use `retryMode: 'adaptive'`: throttling answers
 * (RequestLimitExceeded, Throttling) slow the client's own token bucket down and are retried with backoff, as
 * Karpenter's AWS provider configures its clients.
 */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const config = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 5,
  };
  return {
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
    ssm: new SSMClient(config),
    sqs: new SQSClient(config),
    // The Pricing API answers from a few regions only: us-east-1 unless the region is in Europe or Asia.
    pricing: createPricingClient(options.region ?? '', options.endpoint),
  };
}
