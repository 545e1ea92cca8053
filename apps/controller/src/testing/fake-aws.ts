import type { AwsClients } from '../cloudprovider/aws/clients.js';

/** One SDK call a {@link fakeAwsClients} answered: the operation (`CreateFleet`) and its input. */
export interface FakeAwsCall {
  operation: string;
  input: Record<string, unknown>;
}

/** Answers one operation from its input; throw to fail it (see {@link awsError}). */
export type FakeAwsHandler = (input: Record<string, unknown>) => unknown;

/**
 * SDK clients for fast unit tests of the AWS provider: every `send` is recorded in `calls` and answered by the
 * handler of its operation (the command's class name without `Command`); an operation without a handler
 * fails the test with a clear error.
 */
export function fakeAwsClients(handlers: Record<string, FakeAwsHandler>): { clients: AwsClients; calls: FakeAwsCall[]; count: (operation: string) => number } {
  const calls: FakeAwsCall[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const operation = command.constructor.name.replace(/Command$/, '');
      calls.push({ operation, input: command.input });
      const handler = handlers[operation];
      if (!handler) throw new Error(`fake AWS: no handler for ${operation}`);
      return { $metadata: { requestId: `req-${calls.length}` }, ...((await handler(command.input)) as object) };
    },
  };
  return {
    clients: { ec2: client, iam: client, ssm: client, sqs: client } as unknown as AwsClients,
    calls,
    count: (operation) => calls.filter((c) => c.operation === operation).length,
  };
}

/** An error as the SDK throws it: `name` is the AWS error code, `$metadata.requestId` set. */
export function awsError(code: string, message = code): Error {
  return Object.assign(new Error(message), { name: code, $metadata: { requestId: 'req-error' } });
}
