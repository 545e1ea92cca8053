/**
 * An AWS account as the AWS provider expects to find it, created in an EC2 emulator (moto) for e2e tests and
 * `npm start -- --cloud aws-emulator`: a VPC with one subnet per zone and a security group tagged
 * `karpenter.sh/discovery: <discovery>`, an Amazon Linux x86_64 AMI tagged the same (moto serves no EKS SSM
 * parameters, so the emulator's node class selects the AMI by tag instead of `al2023@latest`), the node role,
 * and the interruption queue. Returns the controller environment that points CLOUD_PROVIDER=aws at it.
 */
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateTagsCommand, CreateVpcCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';

export { startMoto } from './moto.js';

export interface AwsEmulatorEnvironment {
  region: string;
  zones: string[];
  subnetIds: string[];
  securityGroupId: string;
  amiId: string;
  queueUrl: string;
  /** Environment of a controller using this account (CLOUD_PROVIDER=aws, emulated kubelet). */
  controllerEnv: Record<string, string>;
}

/** Fake credentials the emulator accepts. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export async function seedAwsEmulator(endpoint: string, options: { clusterName?: string; discovery?: string; region?: string; role?: string } = {}): Promise<AwsEmulatorEnvironment> {
  const region = options.region ?? 'us-west-2';
  const discovery = options.discovery ?? 'local';
  const clusterName = options.clusterName ?? 'local';
  const config = { region, endpoint, credentials: EMULATOR_CREDENTIALS };
  const ec2 = new EC2Client(config);
  const iam = new IAMClient(config);
  const sqs = new SQSClient(config);
  try {
    const zones = [`${region}a`, `${region}b`];
    const tags = [{ Key: 'karpenter.sh/discovery', Value: discovery }];
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
    const subnetIds: string[] = [];
    for (const [i, zone] of zones.entries()) {
      const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: `10.0.${i * 16}.0/20`, AvailabilityZone: zone, TagSpecifications: [{ ResourceType: 'subnet', Tags: tags }] }));
      subnetIds.push(subnet.Subnet?.SubnetId ?? '');
    }
    const group = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${clusterName}-nodes`, Description: 'nodes', VpcId: vpc.Vpc?.VpcId, TagSpecifications: [{ ResourceType: 'security-group', Tags: tags }] }));
    const images = await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'architecture', Values: ['x86_64'] }, { Name: 'name', Values: ['amzn*'] }] }));
    const amiId = images.Images?.[0]?.ImageId ?? (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'architecture', Values: ['x86_64'] }] }))).Images?.[0]?.ImageId ?? '';
    if (!amiId) throw new Error(`the emulator at ${endpoint} has no x86_64 image`);
    await ec2.send(new CreateTagsCommand({ Resources: [amiId], Tags: tags }));
    await iam.send(new CreateRoleCommand({ RoleName: options.role ?? `KarpenterNodeRole-${clusterName}`, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
    const queueName = `${clusterName}-interruption`;
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: queueName }))).QueueUrl ?? '';
    return {
      region,
      zones,
      subnetIds,
      securityGroupId: group.GroupId ?? '',
      amiId,
      queueUrl,
      controllerEnv: {
        CLOUD_PROVIDER: 'aws',
        AWS_REGION: region,
        AWS_ENDPOINT_OVERRIDE: endpoint,
        AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
        CLUSTER_NAME: clusterName,
        CLUSTER_ENDPOINT: 'https://127.0.0.1:6443',
        INTERRUPTION_QUEUE: queueName,
        AWS_EMULATED_KUBELET: 'true',
      },
    };
  } finally {
    ec2.destroy();
    iam.destroy();
    sqs.destroy();
  }
}

/** The sample EC2NodeClass (config/samples) with its AMI selected by the discovery tag, as the emulator needs. */
export function emulatorNodeClass(sample: Record<string, unknown>, discovery = 'local'): Record<string, unknown> {
  const spec = (sample['spec'] ?? {}) as Record<string, unknown>;
  return { ...sample, spec: { ...spec, amiFamily: 'AL2023', amiSelectorTerms: [{ tags: { 'karpenter.sh/discovery': discovery } }] } };
}
