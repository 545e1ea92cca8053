import { describe, expect, it } from 'vitest';
import { parseInterruptionMessage } from './interruption.js';

const event = (source: string, detailType: string, detail: unknown): string => JSON.stringify({ version: '0', id: 'e-1', 'detail-type': detailType, source, account: '1', time: '2026-12-06T00:00:00Z', region: 'us-west-2', resources: [], detail });

describe('parseInterruptionMessage', () => {
  it.each([
    ['spot interruption warning', event('aws.ec2', 'EC2 Spot Instance Interruption Warning', { 'instance-id': 'i-1', 'instance-action': 'terminate' }), { kind: 'SpotInterruption', instanceIds: ['i-1'] }],
    ['rebalance recommendation', event('aws.ec2', 'EC2 Instance Rebalance Recommendation', { 'instance-id': 'i-1' }), { kind: 'RebalanceRecommendation', instanceIds: ['i-1'] }],
    ['stopping state change', event('aws.ec2', 'EC2 Instance State-change Notification', { 'instance-id': 'i-1', state: 'stopping' }), { kind: 'StateChange', instanceIds: ['i-1'], state: 'stopping' }],
    ['running state change', event('aws.ec2', 'EC2 Instance State-change Notification', { 'instance-id': 'i-1', state: 'running' }), { kind: 'Noop', instanceIds: [] }],
    [
      'scheduled change',
      event('aws.health', 'AWS Health Event', { service: 'EC2', eventTypeCategory: 'scheduledChange', affectedEntities: [{ entityValue: 'i-1' }, { entityValue: 'vol-1' }] }),
      { kind: 'ScheduledChange', instanceIds: ['i-1'] },
    ],
    ['health event of another service', event('aws.health', 'AWS Health Event', { service: 'RDS', eventTypeCategory: 'scheduledChange', affectedEntities: [] }), { kind: 'Noop', instanceIds: [] }],
    ['malformed detail', event('aws.ec2', 'EC2 Spot Instance Interruption Warning', { nope: 1 }), { kind: 'Noop', instanceIds: [] }],
    ['not JSON', 'hello', { kind: 'Noop', instanceIds: [] }],
  ])('%s', (_name, body, expected) => {
    expect(parseInterruptionMessage(body)).toMatchObject(expected);
  });
});
