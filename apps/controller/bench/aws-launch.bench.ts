/**
 * Launch figures of the AWS provider against the EC2 emulator (moto), printed, never asserted:
 * SDK calls per launch (first and later), the median time of `create()` and of its CreateFleet call, and
 * the controller's added latency (create − CreateFleet: resolution of offerings, overrides, user data,
 * launch template lookup, response mapping). `tsx bench/aws-launch.bench.ts [launches]` (default 40).
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { EC2NodeClass, NodeClaim } from '@karpenter-ts/provisioner-domain';
import { AwsCloudProvider } from '../src/cloudprovider/aws/aws.js';
import type { AwsClients } from '../src/cloudprovider/aws/clients.js';
import { AwsInstanceTypeProvider } from '../src/cloudprovider/aws/instancetype-provider.js';
import { NodeClassResolver } from '../src/cloudprovider/aws/nodeclass-resolver.js';
import { nodeClassStatus } from '../src/cloudprovider/aws/nodeclass-status.js';
import { EMULATOR_CREDENTIALS, seedAwsEmulator, startMoto } from '../src/testing/aws-environment.js';

const launches = Number(process.argv[2] ?? 40);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

const moto = await startMoto();
try {
  const env = await seedAwsEmulator(moto.endpoint, { clusterName: 'bench', discovery: 'bench' });
  const config = { region: env.region, endpoint: moto.endpoint, credentials: EMULATOR_CREDENTIALS };
  const calls: { operation: string; ms: number }[] = [];
  type Next = (args: unknown) => Promise<unknown>;
  type Stack = { add(mw: (next: Next, context: { commandName?: string }) => Next, options: { step: 'initialize'; name: string }): void };
  const clients = { ec2: new EC2Client(config), iam: new IAMClient(config), ssm: new SSMClient(config), sqs: new SQSClient(config) };
  for (const c of Object.values(clients)) {
    (c.middlewareStack as unknown as Stack).add(
      (next, context) => async (args) => {
        const t = performance.now();
        try {
          return await next(args);
        } finally {
          calls.push({ operation: String(context.commandName).replace(/Command$/, ''), ms: performance.now() - t });
        }
      },
      { step: 'initialize', name: 'benchCalls' },
    );
  }
  const aws = clients as unknown as AwsClients;
  const spec: EC2NodeClass = {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default', generation: 1 },
    spec: {
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'bench' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'bench' } }],
      amiSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'bench' } }],
      amiFamily: 'AL2023',
      role: 'KarpenterNodeRole-bench',
    },
  };
  const resolver = new NodeClassResolver({ clients: aws, clusterName: 'bench', region: env.region, kubernetesVersion: async () => '1.35' });
  const nodeClass = { ...spec, status: nodeClassStatus(spec, await resolver.resolve(spec), new Date().toISOString()) };
  // No Pricing API in moto: on-demand prices from the shipped table (its fallback), spot from moto's history.
  const instanceTypes = new AwsInstanceTypeProvider({ clients: aws, region: env.region });
  const refresh = await instanceTypes.refresh();
  console.log(`  discovery + pricing: ${refresh.durationMs} ms (${refresh.describedCount} described, ${refresh.offeredCount} priced, ${refresh.offeringCount} offerings, on-demand from ${refresh.onDemandSource})`);
  const provider = new AwsCloudProvider({ clients: aws, clusterName: 'bench', clusterEndpoint: 'https://127.0.0.1:6443', instanceTypes, nodeClass: () => nodeClass });
  const claim = (i: number): NodeClaim => ({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: { name: `bench-${i}`, labels: { 'karpenter.sh/nodepool': 'default' } },
    spec: { requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }], nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
  });
  const createMs: number[] = [];
  const fleetMs: number[] = [];
  let firstCalls: string[] = [];
  let laterCalls: string[] = [];
  for (let i = 0; i < launches; i++) {
    calls.length = 0;
    const t = performance.now();
    await provider.create(claim(i));
    createMs.push(performance.now() - t);
    fleetMs.push(calls.filter((c) => c.operation === 'CreateFleet').reduce((a, c) => a + c.ms, 0));
    if (i === 0) firstCalls = calls.map((c) => c.operation);
    else laterCalls = calls.map((c) => c.operation);
  }
  const warm = createMs.slice(1);
  const warmFleet = fleetMs.slice(1);
  console.log(`aws launch bench (moto ${moto.endpoint}, ${launches} launches)`);
  console.log(`  SDK calls, first launch: ${firstCalls.length} (${firstCalls.join(', ')})`);
  console.log(`  SDK calls, later launches: ${laterCalls.length} (${laterCalls.join(', ')})`);
  console.log(`  create() median: ${median(warm).toFixed(1)} ms; CreateFleet median: ${median(warmFleet).toFixed(1)} ms; controller's added latency median: ${median(warm.map((m, i) => m - (warmFleet[i] ?? 0))).toFixed(1)} ms`);
  for (const c of Object.values(clients)) c.destroy();
} finally {
  await moto.stop();
}
