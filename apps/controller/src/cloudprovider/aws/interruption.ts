import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { LABEL_INSTANCE_TYPE, LABEL_TOPOLOGY_ZONE, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { z } from 'zod';
import type { Registration } from '../../controllers/manager.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../controllers/types.js';
import { isNotFound } from '../../kube/errors.js';
import { resources } from '../../kube/resources.js';
import type { UnavailableOfferings } from '../unavailable-offerings.js';
import type { AwsClients } from './clients.js';
import { call } from './errors.js';
import { instanceIdOf } from './instances.js';

/** What an interruption message asks for. */
export type InterruptionKind = 'SpotInterruption' | 'RebalanceRecommendation' | 'ScheduledChange' | 'StateChange' | 'Noop';

export interface InterruptionMessage {
  kind: InterruptionKind;
  instanceIds: string[];
  /** StateChange: the new instance state (`stopping`, `terminated`, ...). */
  state?: string;
  /** EventBridge event id, for logs. */
  id: string;
}

const envelope = z.looseObject({ id: z.string().default(''), 'detail-type': z.string(), source: z.string(), detail: z.unknown() });
const instanceDetail = z.looseObject({ 'instance-id': z.string() });
const stateDetail = z.looseObject({ 'instance-id': z.string(), state: z.string() });
const healthDetail = z.looseObject({ service: z.string(), eventTypeCategory: z.string(), affectedEntities: z.array(z.looseObject({ entityValue: z.string() })).default([]) });

/** Instance states that end a node (Karpenter AWS acts on these state-change notifications). */
export const TERMINAL_STATES: ReadonlySet<string> = new Set(['stopping', 'stopped', 'shutting-down', 'terminated']);

/**
 * Parses one SQS message body, an EventBridge event (Karpenter AWS's interruption message parsers):
 * `EC2 Spot Instance Interruption Warning`, `EC2 Instance Rebalance Recommendation`,
 * `EC2 Instance State-change Notification` (stopping / stopped / shutting-down / terminated; other states are
 * Noop), and `AWS Health Event` of service EC2 and category `scheduledChange`. Anything else, or a body that is
 * not such JSON, is `Noop` (the message is deleted, never retried forever).
 */
export function parseInterruptionMessage(body: string): InterruptionMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'Noop', instanceIds: [], id: '' };
  }
  const e = envelope.safeParse(json);
  if (!e.success) return { kind: 'Noop', instanceIds: [], id: '' };
  const { id, source } = e.data;
  const type = e.data['detail-type'];
  if (source === 'aws.ec2' && type === 'EC2 Spot Instance Interruption Warning') {
    const d = instanceDetail.safeParse(e.data.detail);
    return d.success ? { kind: 'SpotInterruption', instanceIds: [d.data['instance-id']], id } : { kind: 'Noop', instanceIds: [], id };
  }
  if (source === 'aws.ec2' && type === 'EC2 Instance Rebalance Recommendation') {
    const d = instanceDetail.safeParse(e.data.detail);
    return d.success ? { kind: 'RebalanceRecommendation', instanceIds: [d.data['instance-id']], id } : { kind: 'Noop', instanceIds: [], id };
  }
  if (source === 'aws.ec2' && type === 'EC2 Instance State-change Notification') {
    const d = stateDetail.safeParse(e.data.detail);
    if (!d.success || !TERMINAL_STATES.has(d.data.state)) return { kind: 'Noop', instanceIds: [], id };
    return { kind: 'StateChange', instanceIds: [d.data['instance-id']], state: d.data.state, id };
  }
  if (source === 'aws.health' && type === 'AWS Health Event') {
    const d = healthDetail.safeParse(e.data.detail);
    if (!d.success || d.data.service !== 'EC2' || d.data.eventTypeCategory !== 'scheduledChange') return { kind: 'Noop', instanceIds: [], id };
    return { kind: 'ScheduledChange', instanceIds: d.data.affectedEntities.map((a) => a.entityValue).filter((v) => v.startsWith('i-')), id };
  }
  return { kind: 'Noop', instanceIds: [], id };
}

/** Seconds one ReceiveMessage waits for messages (SQS long polling, at most 20). */
export const INTERRUPTION_WAIT_SECONDS = 20;

export interface InterruptionOptions {
  clients: AwsClients;
  /** Queue name or URL (setting INTERRUPTION_QUEUE). */
  queue: string;
  unavailableOfferings: UnavailableOfferings;
}

/**
 * `interruption` (Karpenter AWS's interruption controller): long-polls the interruption queue (ReceiveMessage,
 * up to 10 messages, 20 s wait) and for each message finds the NodeClaims of its instances (by providerID):
 * spot interruption warnings, scheduled changes and stopping/terminating state changes delete the NodeClaim
 * (its finalizer cordons and drains the node, and the provisioner replaces the capacity); a spot interruption
 * also marks the instance's offering unavailable for 3 minutes; a rebalance recommendation only records an
 * Event. Every message is deleted after handling (DeleteMessage), including those it does not understand.
 */
export function interruption(ctx: ControllerContext, options: InterruptionOptions): Controller {
  const log = ctx.log.child({ controller: 'interruption' });
  let queueUrl: string | undefined;
  return {
    name: 'interruption',
    async reconcile(): Promise<ReconcileResult | void> {
      if (!ctx.state.synced) return { requeueAfterMs: 1_000 };
      queueUrl ??= options.queue.startsWith('https://') || options.queue.startsWith('http://')
        ? options.queue
        : (await call('GetQueueUrl', () => options.clients.sqs.send(new GetQueueUrlCommand({ QueueName: options.queue })))).QueueUrl;
      if (!queueUrl) throw new Error(`interruption queue ${options.queue} has no URL`);
      const url = queueUrl;
      const out = await call('ReceiveMessage', () =>
        options.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: INTERRUPTION_WAIT_SECONDS }), ctx.signal ? { abortSignal: ctx.signal } : {}),
      );
      for (const m of out.Messages ?? []) {
        const message = parseInterruptionMessage(m.Body ?? '');
        ctx.metrics.interruptionReceivedMessages.inc({ message_type: message.kind });
        await handle(ctx, options, message, log);
        if (m.ReceiptHandle) {
          const handle = m.ReceiptHandle;
          await call('DeleteMessage', () => options.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle })));
          ctx.metrics.interruptionDeletedMessages.inc();
        }
      }
      return { requeueAfterMs: 0 };
    },
  };
}

async function handle(ctx: ControllerContext, options: InterruptionOptions, message: InterruptionMessage, log: ControllerContext['log']): Promise<void> {
  if (message.kind === 'Noop') return;
  const ids = new Set(message.instanceIds);
  const claims = ctx.state.nodeClaims().filter((c) => ids.has(instanceIdOf(c.status?.providerID) ?? ''));
  for (const claim of claims) {
    const name = claim.metadata.name ?? '';
    const fields = { NodeClaim: { name }, 'provider-id': claim.status?.providerID, messageKind: message.kind, ...(message.state ? { state: message.state } : {}) };
    if (message.kind === 'RebalanceRecommendation') {
      log.info(fields, 'received rebalance recommendation');
      ctx.events.publish({ regarding: claim, type: 'Normal', reason: 'RebalanceRecommendation', message: `NodeClaim ${name}: EC2 recommends rebalancing its spot instance (no action taken)` });
      continue;
    }
    if (message.kind === 'SpotInterruption') {
      const labels = claim.metadata.labels ?? {};
      const instanceType = labels[LABEL_INSTANCE_TYPE];
      const zone = labels[LABEL_TOPOLOGY_ZONE];
      if (instanceType && zone) options.unavailableOfferings.markUnavailable({ instanceType, zone, capacityType: 'spot' });
    }
    if (claim.metadata.deletionTimestamp) continue;
    log.info(fields, 'initiating delete from interruption message');
    ctx.events.publish({ regarding: claim, type: 'Warning', reason: message.kind, message: `NodeClaim ${name}: ${describe(message)}; deleting it (its node is drained and replaced)` });
    await deleteClaim(ctx, claim);
  }
}

const describe = (m: InterruptionMessage): string =>
  m.kind === 'SpotInterruption' ? 'spot interruption warning' : m.kind === 'ScheduledChange' ? 'scheduled maintenance event' : `instance is ${m.state ?? 'stopping'}`;

async function deleteClaim(ctx: ControllerContext, claim: NodeClaim): Promise<void> {
  try {
    await ctx.client.delete(resources.nodeClaims, claim.metadata.name ?? '');
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** The registration of {@link interruption}: one worker polling in a loop from the start. */
export function interruptionRegistration(ctx: ControllerContext, options: InterruptionOptions): Registration {
  return {
    controller: interruption(ctx, options),
    concurrency: 1,
    watch: (enqueue) => {
      enqueue('interruption');
      return () => undefined;
    },
  };
}
