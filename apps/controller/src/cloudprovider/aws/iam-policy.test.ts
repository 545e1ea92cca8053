import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const docPath = join(here, '../../../../../docs/aws.md');

/** Actions AWS authorizes on behalf of the calls we send (CreateFleet launches and tags; profiles are tagged on create). */
const IMPLIED_ACTIONS = ['ec2:RunInstances', 'ec2:CreateTags', 'iam:PassRole', 'iam:TagInstanceProfile'];

const SERVICE_OF_PACKAGE: Record<string, string> = { 'client-ec2': 'ec2', 'client-iam': 'iam', 'client-ssm': 'ssm', 'client-sqs': 'sqs', 'client-pricing': 'pricing' };

/** `service:Operation` for every `new XCommand(` in the provider's sources, the service from the file's imports. */
function sentActions(): Set<string> {
  const actions = new Set<string>();
  for (const file of readdirSync(here)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const source = readFileSync(join(here, file), 'utf8');
    const serviceOf = new Map<string, string>();
    for (const m of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
      for (const name of (m[1] ?? '').split(',').map((n) => n.trim().replace(/^type\s+/, ''))) if (name) serviceOf.set(name, SERVICE_OF_PACKAGE[m[2] ?? ''] ?? m[2] ?? '');
    }
    for (const m of source.matchAll(/new\s+([A-Z][A-Za-z0-9]*)Command\(/g)) {
      const service = serviceOf.get(`${m[1]}Command`);
      if (!service) throw new Error(`${file}: ${m[1]}Command is not imported from an @aws-sdk client`);
      actions.add(`${service}:${m[1]}`);
    }
    // Paginators send their command on every page: paginateDescribeInstanceTypes( → DescribeInstanceTypes.
    for (const m of source.matchAll(/\bpaginate([A-Z][A-Za-z0-9]*)\(/g)) {
      const service = serviceOf.get(`paginate${m[1]}`);
      if (!service) throw new Error(`${file}: paginate${m[1]} is not imported from an @aws-sdk client`);
      actions.add(`${service}:${m[1]}`);
    }
  }
  return actions;
}

function policyActions(): string[] {
  const block = /```json\n([\s\S]*?)```/.exec(readFileSync(docPath, 'utf8'))?.[1];
  if (!block) throw new Error('docs/aws.md has no json block');
  const policy = JSON.parse(block) as { Statement: { Action: string[] }[] };
  return policy.Statement.flatMap((s) => s.Action);
}

describe('docs/aws.md IAM policy', () => {
  it('lists exactly the actions the provider sends, plus those AWS checks on their behalf', () => {
    const sent = sentActions();
    expect(sent.has('ec2:CreateFleet')).toBe(true);
    const expected = [...new Set([...sent, ...IMPLIED_ACTIONS])].sort();
    const listed = policyActions();
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(expected);
  });
});
