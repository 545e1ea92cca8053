import type { Instance } from '@aws-sdk/client-ec2';

/** `aws:///<zone>/<instance id>`: the providerID of an EC2 instance, as the AWS cloud controller writes it on Nodes. */
export const providerIdOf = (zone: string, instanceId: string): string => `aws:///${zone}/${instanceId}`;

/** The instance id of an `aws:///zone/i-...` providerID (also `aws:///i-...`), else undefined. */
export function instanceIdOf(providerID: string | undefined): string | undefined {
  const match = /^aws:\/\/\/(?:[^/]+\/)?(i-[0-9a-zA-Z]+)$/.exec(providerID ?? '');
  return match?.[1];
}

/** Instance states in which an instance is gone or going (a NodeClaim behind it is not found). */
export const GONE_STATES: ReadonlySet<string> = new Set(['shutting-down', 'terminated']);

/** True when the instance exists and is not shutting down or terminated. */
export const isLive = (instance: Instance): boolean => !GONE_STATES.has(instance.State?.Name ?? '');
