/**
 * The AWS provider against a real EC2/IAM/SSM/SQS API: moto's server (the pinned emulator), with a
 * fault-injecting HTTP proxy in front of it for capacity errors. One emulator and one proxy for the file.
 * Every SDK call is counted by operation with an SDK middleware.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CreateError, InsufficientCapacityError, NodeClaimNotFoundError, toResourceList, type EC2NodeClass, type InstanceType, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeClaimLifecycle } from '../../controllers/nodeclaim/lifecycle/controller.js';
import { resources } from '../../kube/resources.js';
import { newTestContext } from '../../testing/context.js';
import { startMoto } from '../../testing/moto.js';
import { FakeClock } from '../../testing/fake-clock.js';
import { UnavailableOfferings } from '../unavailable-offerings.js';
import { AwsCloudProvider } from './aws.js';
import { createAwsClients, type AwsClients } from './clients.js';
import { interruption } from './interruption.js';
import { NodeClassResolver } from './nodeclass-resolver.js';
import { nodeClassStatus } from './nodeclass-status.js';

const REGION = 'us-west-2';
const ZONES = ['us-west-2a', 'us-west-2b'];

let moto: { endpoint: string; stop: () => Promise<void> };
let proxy: Server;
let proxyEndpoint = '';
/** When set, CreateFleet overrides of this instance type fail with InsufficientInstanceCapacity. */
let iceType: string | undefined;
/** The next this-many CreateFleet requests are answered with RequestLimitExceeded (throttling). */
let throttleNext = 0;
/** CreateFleet requests that reached the proxy (retries included). */
let fleetRequests = 0;
const calls: string[] = [];
let clients: AwsClients;
let subnetIds: string[] = [];
let amiId = '';
let queueUrl = '';

/** A proxy that answers CreateFleet with capacity errors for `iceType`'s overrides, and forwards everything else. */
function startProxy(target: string): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const params = new URLSearchParams(body.toString('utf8'));
      if (params.get('Action') === 'CreateFleet') fleetRequests++;
      if (params.get('Action') === 'CreateFleet' && throttleNext > 0) {
        throttleNext--;
        res.writeHead(503, { 'Content-Type': 'text/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>throttled</RequestID></Response>');
        return;
      }
      if (params.get('Action') === 'CreateFleet' && iceType) {
        const items: string[] = [];
        for (const [key, value] of params) {
          const m = /^(LaunchTemplateConfigs\.\d+\.Overrides\.\d+)\.InstanceType$/.exec(key);
          if (!m || value !== iceType) continue;
          items.push(
            `<item><errorCode>InsufficientInstanceCapacity</errorCode><errorMessage>We currently do not have sufficient ${value} capacity.</errorMessage><lifecycle>on-demand</lifecycle>` +
              `<launchTemplateAndOverrides><overrides><instanceType>${value}</instanceType><subnetId>${params.get(`${m[1]}.SubnetId`) ?? ''}</subnetId><availabilityZone>${params.get(`${m[1]}.AvailabilityZone`) ?? ''}</availabilityZone></overrides></launchTemplateAndOverrides></item>`,
          );
        }
        if (items.length > 0) {
          res.writeHead(200, { 'Content-Type': 'text/xml' });
          res.end(`<?xml version="1.0" encoding="UTF-8"?><CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>ice-request</requestId><fleetId>fleet-ice</fleetId><errorSet>${items.join('')}</errorSet><fleetInstanceSet/></CreateFleetResponse>`);
          return;
        }
      }
      const url = new URL(req.url ?? '/', target);
      const upstream = request(url, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', (e) => res.destroy(e));
      upstream.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The provider's own clients (createAwsClients: adaptive retries), on `endpoint`, each call counted. */
function sdkClients(endpoint: string): AwsClients & { ec2: EC2Client } {
  process.env['AWS_ACCESS_KEY_ID'] = 'testing';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'testing';
  const all = createAwsClients({ region: REGION, endpoint }) as unknown as { ec2: EC2Client; iam: IAMClient; ssm: SSMClient; sqs: SQSClient };
  type Next = (args: unknown) => Promise<unknown>;
  type Stack = { add(mw: (next: Next, context: { commandName?: string }) => Next, options: { step: 'initialize'; name: string }): void };
  for (const client of Object.values(all)) {
    (client.middlewareStack as unknown as Stack).add(
      (next, context) => async (args) => {
        calls.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'initialize', name: 'countCalls' },
    );
  }
  return all;
}

const instanceType = (name: string, cpu: string, memory: string, pricePerHour: number): InstanceType => ({
  name,
  labels: { 'node.kubernetes.io/instance-type': name, 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
  capacity: toResourceList({ cpu, memory, pods: '29' }),
  overhead: { kubeReserved: toResourceList({ cpu: '70m', memory: '442Mi' }), systemReserved: {}, evictionThreshold: toResourceList({ memory: '100Mi' }) },
  offerings: ZONES.map((zone) => ({ zone, capacityType: 'on-demand' as const, pricePerHour, available: true })),
});
/** The region's types for these tests (discovery has its own tests): m5.large is the cheapest. */
const TYPES = [instanceType('m5.large', '2', '8Gi', 0.096), instanceType('m5.xlarge', '4', '16Gi', 0.192), instanceType('c5.large', '2', '4Gi', 0.085 * 2)];

const nodeClassSpec = (discovery: string): EC2NodeClass => ({
  apiVersion: 'karpenter.k8s.aws/v1',
  kind: 'EC2NodeClass',
  metadata: { name: 'default', generation: 1 },
  spec: {
    subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': discovery } }],
    securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': discovery } }],
    amiSelectorTerms: [{ tags: { 'karpenter.sh/discovery': discovery } }],
    amiFamily: 'AL2023',
    role: 'KarpenterNodeRole-demo',
    tags: { team: 'payments' },
  },
});

const claim = (name: string): NodeClaim => ({
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodeClaim',
  metadata: { name, labels: { 'karpenter.sh/nodepool': 'default' } },
  spec: { requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: TYPES.map((t) => t.name) }], nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
});

let resolved: EC2NodeClass;
const clock = new FakeClock(Date.now());
let provider: AwsCloudProvider;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy(moto.endpoint);
  proxyEndpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const setup = sdkClients(moto.endpoint);
  const vpc = await setup.ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const tag = [{ Key: 'karpenter.sh/discovery', Value: 'demo' }];
  subnetIds = [];
  for (const [i, zone] of ZONES.entries()) {
    const s = await setup.ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: `10.0.${i + 1}.0/24`, AvailabilityZone: zone, TagSpecifications: [{ ResourceType: 'subnet', Tags: tag }] }));
    subnetIds.push(s.Subnet?.SubnetId ?? '');
  }
  await setup.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'nodes', Description: 'nodes', VpcId: vpc.Vpc?.VpcId, TagSpecifications: [{ ResourceType: 'security-group', Tags: tag }] }));
  const images = await setup.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }));
  amiId = images.Images?.[0]?.ImageId ?? '';
  await setup.ec2.send(new CreateTagsCommand({ Resources: [amiId], Tags: tag }));
  await setup.iam.send(new CreateRoleCommand({ RoleName: 'KarpenterNodeRole-demo', AssumeRolePolicyDocument: '{}' }));
  queueUrl = (await setup.sqs.send(new CreateQueueCommand({ QueueName: 'demo-interruption' }))).QueueUrl ?? '';
  clients = sdkClients(proxyEndpoint);
  const resolver = new NodeClassResolver({ clients, clusterName: 'demo', region: REGION, kubernetesVersion: async () => '1.35' });
  const spec = nodeClassSpec('demo');
  resolved = { ...spec, status: nodeClassStatus(spec, await resolver.resolve(spec), new Date().toISOString()) };
  provider = new AwsCloudProvider({
    clients,
    clusterName: 'demo',
    clusterEndpoint: 'https://api.demo.example',
    instanceTypes: { instanceTypes: async () => TYPES },
    nodeClass: () => resolved,
    clock,
    unavailableOfferings: new UnavailableOfferings({ clock }),
  });
}, 180_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await moto?.stop();
});

const describeInstance = async (providerID: string) => {
  const id = providerID.split('/').at(-1) ?? '';
  return (await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0];
};

describe('AWS provider against the EC2 emulator', () => {
  it('resolves the EC2NodeClass: subnets, security group, AMI, instance profile created for the role; Ready', () => {
    expect(resolved.status?.subnets?.map((s) => s.zone).sort()).toEqual(ZONES);
    expect(resolved.status?.securityGroups?.length).toBe(1);
    expect(resolved.status?.amis?.map((a) => a.id)).toEqual([amiId]);
    expect(resolved.status?.instanceProfile).toMatch(/^demo_[0-9a-f]{16}$/);
    expect(resolved.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
  });

  it('selectors matching nothing: Ready=False SubnetsNotFound, and a launch is refused without any EC2 call', async () => {
    const resolver = new NodeClassResolver({ clients, clusterName: 'demo', region: REGION, kubernetesVersion: async () => '1.35' });
    const spec = nodeClassSpec('nobody');
    const broken = { ...spec, status: nodeClassStatus(spec, await resolver.resolve(spec), new Date().toISOString()) };
    expect(broken.status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'SubnetsNotFound' });
    const p = new AwsCloudProvider({ clients, clusterName: 'demo', clusterEndpoint: 'https://x', instanceTypes: { instanceTypes: async () => TYPES }, nodeClass: () => broken });
    const before = calls.length;
    await expect(p.create(claim('refused'))).rejects.toThrow(/not ready: SubnetsNotFound/);
    expect(calls.length).toBe(before);
  });

  it('a launch is ONE CreateFleet (plus the launch template the first time) with the expected overrides and tags, and yields the NodeClaim status', async () => {
    calls.length = 0;
    const launched = await provider.create(claim('default-first'));
    expect(calls).toEqual(['DescribeLaunchTemplates', 'CreateLaunchTemplate', 'CreateFleet']);
    expect(launched.status?.providerID).toMatch(/^aws:\/\/\/us-west-2[ab]\/i-[0-9a-f]+$/);
    expect(launched.metadata.labels).toMatchObject({ 'node.kubernetes.io/instance-type': 'm5.large', 'karpenter.sh/capacity-type': 'on-demand' });
    expect(ZONES).toContain(launched.metadata.labels?.['topology.kubernetes.io/zone']);
    expect(launched.status?.imageID).toBe(amiId);
    const instance = await describeInstance(launched.status?.providerID ?? '');
    expect(instance?.InstanceType).toBe('m5.large');
    expect(instance?.ImageId).toBe(amiId);
    expect(subnetIds).toContain(instance?.SubnetId);
    const tags = Object.fromEntries((instance?.Tags ?? []).map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({
      'karpenter.sh/nodepool': 'default',
      'karpenter.sh/nodeclaim': 'default-first',
      'kubernetes.io/cluster/demo': 'owned',
      'karpenter.k8s.aws/ec2nodeclass': 'default',
      'eks:eks-cluster-name': 'demo',
      team: 'payments',
    });
    calls.length = 0;
    await provider.create(claim('default-second'));
    expect(calls).toEqual(['CreateFleet']);
  });

  it('an injected capacity error falls back to another offering and is cached for 3 minutes', async () => {
    iceType = 'm5.large';
    calls.length = 0;
    const error = await provider.create(claim('default-ice')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientCapacityError);
    expect((error as InsufficientCapacityError).offerings.map((o) => o.instanceType)).toEqual(['m5.large', 'm5.large']);
    // The scheduler's retry: the next cheapest offering, m5.large is not even asked for.
    const retried = await provider.create(claim('default-ice'));
    expect(retried.metadata.labels?.['node.kubernetes.io/instance-type']).toBe('c5.large');
    expect(calls.filter((c) => c === 'CreateFleet').length).toBe(2);
    iceType = undefined;
    await clock.advance(179_000);
    expect((await provider.create(claim('default-ice-2'))).metadata.labels?.['node.kubernetes.io/instance-type']).toBe('c5.large');
    await clock.advance(1_000);
    expect((await provider.create(claim('default-ice-3'))).metadata.labels?.['node.kubernetes.io/instance-type']).toBe('m5.large');
  });

  it('throttling (RequestLimitExceeded) is retried with backoff by the SDK: the launch succeeds', async () => {
    throttleNext = 2;
    fleetRequests = 0;
    const launched = await provider.create(claim('default-throttled'));
    expect(launched.status?.providerID).toMatch(/^aws:\/\/\//);
    expect(fleetRequests).toBe(3);
  });

  it('throttling that outlasts the SDK retries: a CreateError naming RequestLimitExceeded, no offering marked unavailable', async () => {
    const offerings = TYPES.flatMap((t) => t.offerings.map((o) => ({ instanceType: t.name, zone: o.zone, capacityType: o.capacityType })));
    const unavailableBefore = offerings.filter((o) => provider.unavailableOfferings.isUnavailable(o));
    throttleNext = 100;
    fleetRequests = 0;
    try {
      const error = await provider.create(claim('default-throttled-long')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CreateError);
      expect(error).not.toBeInstanceOf(InsufficientCapacityError);
      expect((error as Error).message).toMatch(/CreateFleet failed: RequestLimitExceeded: Request limit exceeded/);
      // The client's 5 attempts (adaptive retry mode: backoff and its own rate limit between them), then the error.
      expect(fleetRequests).toBe(5);
      expect(offerings.filter((o) => provider.unavailableOfferings.isUnavailable(o))).toEqual(unavailableBefore);
    } finally {
      throttleNext = 0;
    }
  });

  it('an instance that never becomes a Node is terminated in the emulator once its NodeClaim passes the registration TTL', async () => {
    const t = await newTestContext(
      {},
      {
        cloudProvider: (_client, testClock) =>
          new AwsCloudProvider({ clients, clusterName: 'demo', clusterEndpoint: 'https://api.demo.example', instanceTypes: { instanceTypes: async () => TYPES }, nodeClass: () => resolved, clock: testClock }),
      },
    );
    try {
      await t.client.create(resources.nodeClaims, { ...claim('never-registers'), metadata: { ...claim('never-registers').metadata, finalizers: ['karpenter.sh/termination'] } });
      await t.settle();
      const lifecycle = nodeClaimLifecycle(t.ctx);
      await lifecycle.reconcile('never-registers');
      await t.settle();
      const providerID = t.client.peek<NodeClaim>(resources.nodeClaims, 'never-registers')?.status?.providerID ?? '';
      expect(providerID).toMatch(/^aws:\/\/\/us-west-2[ab]\/i-/);
      expect((await describeInstance(providerID))?.State?.Name).toBe('running');
      // No Node ever registers: after REGISTRATION_TTL the NodeClaim is deleted, its finalizer terminates the instance.
      await t.clock.advance(t.ctx.options.registrationTtlMs);
      for (let i = 0; i < 3 && t.client.peek<NodeClaim>(resources.nodeClaims, 'never-registers'); i++) {
        await lifecycle.reconcile('never-registers');
        await t.settle();
      }
      expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'never-registers')).toBeUndefined();
      expect(['shutting-down', 'terminated']).toContain((await describeInstance(providerID))?.State?.Name);
    } finally {
      await t.stop();
    }
  });

  it('lists the cluster instances by tag (leaked ones included), and delete terminates: get and delete then report NodeClaimNotFound', async () => {
    const leaked = await provider.create(claim('leaked'));
    const listed = await provider.list();
    expect(listed.find((c) => c.status?.providerID === leaked.status?.providerID)?.metadata.name).toBe('leaked');
    await provider.delete(leaked);
    expect(['shutting-down', 'terminated']).toContain((await describeInstance(leaked.status?.providerID ?? ''))?.State?.Name);
    await expect(provider.get(leaked.status?.providerID ?? '')).rejects.toBeInstanceOf(NodeClaimNotFoundError);
    await expect(provider.delete(leaked)).rejects.toBeInstanceOf(NodeClaimNotFoundError);
    expect((await provider.list()).some((c) => c.status?.providerID === leaked.status?.providerID)).toBe(false);
  });

  it('an SQS spot interruption message deletes the NodeClaim and marks its offering unavailable', async () => {
    const launched = await provider.create(claim('spot-victim'));
    const instanceId = launched.status?.providerID?.split('/').at(-1) ?? '';
    const t = await newTestContext({ nodeClaims: [launched] }, { cloudProvider: provider });
    try {
      await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify({ version: '0', id: 'e-1', 'detail-type': 'EC2 Spot Instance Interruption Warning', source: 'aws.ec2', detail: { 'instance-id': instanceId, 'instance-action': 'terminate' } }),
        }),
      );
      const controller = interruption(t.ctx, { clients, queue: 'demo-interruption', unavailableOfferings: provider.unavailableOfferings });
      await controller.reconcile('interruption');
      await t.settle();
      await expect(t.client.get(resources.nodeClaims, 'spot-victim')).rejects.toThrow();
      const zone = launched.metadata.labels?.['topology.kubernetes.io/zone'] ?? '';
      expect(provider.unavailableOfferings.isUnavailable({ instanceType: launched.metadata.labels?.['node.kubernetes.io/instance-type'] ?? '', zone, capacityType: 'spot' })).toBe(true);
      // The message was handled, then deleted from the queue.
      expect(calls).toContain('DeleteMessage');
      expect((await t.ctx.metrics.interruptionReceivedMessages.get()).values).toContainEqual(expect.objectContaining({ labels: { message_type: 'SpotInterruption' }, value: 1 }));
      expect((await t.ctx.metrics.interruptionDeletedMessages.get()).values[0]?.value).toBe(1);
    } finally {
      await t.stop();
    }
  });
});
