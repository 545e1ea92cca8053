/**
 * The walking-skeleton story with the AWS cloud provider (CLOUD_PROVIDER=aws) pointed at the EC2 emulator
 * (moto): a real local control plane, the controller as its own process and identity, EC2/IAM/SQS calls
 * against moto, and the nodes of launched instances created by the kubelet simulator (KWOK) with the
 * instance's `aws:///zone/i-...` providerID (AWS_EMULATED_KUBELET). One control plane and one emulator for
 * the file. Every wait polls a condition.
 */
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import type { Condition, EC2NodeClass, NodeClaim, NodePool, Pod } from '@karpenter-ts/provisioner-domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKubeClient } from './kube/http-client.js';
import { loadKubeConfig } from './kube/config.js';
import { resources } from './kube/resources.js';
import { EMULATOR_CREDENTIALS, emulatorNodeClass, seedAwsEmulator, type AwsEmulatorEnvironment } from './testing/aws-environment.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type RunningController } from './testing/harness.js';
import { startMoto } from './testing/moto.js';

let cluster: LocalCluster;
let controller: RunningController;
let admin: HttpKubeClient;
let moto: { endpoint: string; stop: () => Promise<void> };
let aws: AwsEmulatorEnvironment;
let ec2: EC2Client;
const timings: Record<string, number> = {};

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
const nodeClaims = async (): Promise<NodeClaim[]> => (await admin.list<NodeClaim>(resources.nodeClaims)).items;
const runningPods = async (app: string): Promise<Pod[]> =>
  (await admin.list<Pod>(resources.pods, { namespace: 'default', labelSelector: `app=${app}` })).items.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
/** Instances of the cluster that are not terminated, by id. */
async function liveInstances(): Promise<string[]> {
  const out = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:kubernetes.io/cluster/local', Values: ['owned'] }, { Name: 'instance-state-name', Values: ['pending', 'running'] }] }));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? '');
}
const conditions = (object: { status?: { conditions?: Condition[] } }): Record<string, Condition> => Object.fromEntries((object.status?.conditions ?? []).map((c) => [c.type, c]));

beforeAll(async () => {
  const t0 = Date.now();
  [moto, cluster] = await Promise.all([startMoto(), startCluster()]);
  aws = await seedAwsEmulator(moto.endpoint);
  ec2 = new EC2Client({ region: aws.region, endpoint: moto.endpoint, credentials: EMULATOR_CREDENTIALS });
  await installControllerPrereqs(cluster.kubectl, cluster.adminKubeconfig);
  admin = new HttpKubeClient(loadKubeConfig(cluster.adminKubeconfig));
  controller = await startController({
    kubeconfig: cluster.controllerKubeconfig,
    env: { LOG_LEVEL: 'debug', ...aws.controllerEnv },
    onLog: (line) => {
      if (line.level !== 'DEBUG' && line.level !== 'INFO') process.stderr.write(`[controller] ${JSON.stringify(line)}\n`);
    },
    onOutput: (line) => process.stderr.write(`[controller] ${line}\n`),
  });
  timings['setup ms'] = Date.now() - t0;
});

afterAll(async () => {
  await controller?.stop();
  await cluster?.stop();
  ec2?.destroy();
  await moto?.stop();
  process.stderr.write(`aws seed e2e timings: ${JSON.stringify(timings)}\n`);
});

describe('seed story with the AWS provider on the EC2 emulator', () => {
  it('a node class whose AMI selector matches nothing: Ready=False AMINotFound, its NodePool not Ready with that reason, no instance launched', async () => {
    const broken = emulatorNodeClass(defaultEC2NodeClass(), 'nobody');
    const pool = defaultNodePool('5s') as { spec: { template: { spec: object } } };
    await apply(
      { ...broken, metadata: { name: 'broken' } },
      { ...pool, metadata: { name: 'broken' }, spec: { ...pool.spec, template: { ...pool.spec.template, spec: { ...pool.spec.template.spec, nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'broken' } } } } },
      { ...pauseDeployment('needs-broken', 1), spec: { ...(pauseDeployment('needs-broken', 1)['spec'] as object), template: { metadata: { labels: { app: 'needs-broken' } }, spec: { nodeSelector: { 'karpenter.sh/nodepool': 'broken' }, containers: [{ name: 'p', image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.2', resources: { requests: { cpu: '1' } } }] } } } },
    );
    await waitFor(async () => conditions(await admin.get<EC2NodeClass>(resources.ec2NodeClasses, 'broken'))['Ready']?.reason === 'AMINotFound', { description: 'EC2NodeClass broken Ready=False AMINotFound', timeoutMs: 60_000, intervalMs: 250 });
    await waitFor(async () => conditions(await admin.get<NodePool>(resources.nodePools, 'broken'))['NodeClassReady']?.reason === 'AMINotFound', { description: 'NodePool broken NodeClassReady=False AMINotFound', timeoutMs: 60_000, intervalMs: 250 });
    // The pending pod that only this pool could serve gets no NodeClaim and no instance.
    await waitFor(async () => controller.logs.some((l) => l.message === 'found provisionable pod(s)'), { description: 'the provisioner saw the pending pod', timeoutMs: 60_000, intervalMs: 250 });
    expect((await nodeClaims()).filter((c) => c.metadata.labels?.['karpenter.sh/nodepool'] === 'broken')).toEqual([]);
    expect(await liveInstances()).toEqual([]);
    await kubectl(['delete', 'deployment', 'needs-broken']);
    await kubectl(['delete', 'nodepool', 'broken']);
  });

  it('inflate: pods run on nodes of EC2 instances launched in the emulator; a spot interruption message replaces one; deleting the deployment terminates them', async () => {
    await apply(emulatorNodeClass(defaultEC2NodeClass()), defaultNodePool('5s'));
    await waitFor(async () => conditions(await admin.get<NodePool>(resources.nodePools, 'default'))['Ready']?.status === 'True', { description: 'NodePool default Ready', timeoutMs: 60_000, intervalMs: 250 });
    const nodeClass = await admin.get<EC2NodeClass>(resources.ec2NodeClasses, 'default');
    expect(nodeClass.status?.subnets?.map((s) => s.id).sort()).toEqual([...aws.subnetIds].sort());
    expect(nodeClass.status?.amis?.map((a) => a.id)).toEqual([aws.amiId]);
    expect(nodeClass.status?.securityGroups?.map((g) => g.id)).toEqual([aws.securityGroupId]);

    const created = Date.now();
    await apply(pauseDeployment('inflate', 4));
    await waitFor(async () => (await runningPods('inflate')).length === 4, { description: '4 inflate pods Running', timeoutMs: 180_000, intervalMs: 250 });
    timings['inflate created→Running ms'] = Date.now() - created;
    const claims = await nodeClaims();
    expect(claims.length).toBeGreaterThan(0);
    for (const claim of claims) {
      expect(claim.status?.providerID).toMatch(/^aws:\/\/\/us-west-2[ab]\/i-[0-9a-f]+$/);
      expect(conditions(claim)['Initialized']?.status).toBe('True');
    }
    expect((await liveInstances()).sort()).toEqual(claims.map((c) => c.status?.providerID?.split('/').at(-1) ?? '').sort());
    for (const message of ['launched nodeclaim', 'registered nodeclaim', 'initialized nodeclaim']) expect(controller.logs.some((l) => l.message === message), message).toBe(true);

    // A spot interruption warning for one instance: its NodeClaim is deleted and the pods land elsewhere.
    const victim = claims[0];
    const instanceId = victim?.status?.providerID?.split('/').at(-1) ?? '';
    const sqs = new SQSClient({ region: aws.region, endpoint: moto.endpoint, credentials: EMULATOR_CREDENTIALS });
    await sqs.send(new SendMessageCommand({ QueueUrl: aws.queueUrl, MessageBody: JSON.stringify({ version: '0', id: 'e2e-1', 'detail-type': 'EC2 Spot Instance Interruption Warning', source: 'aws.ec2', detail: { 'instance-id': instanceId, 'instance-action': 'terminate' } }) }));
    sqs.destroy();
    await waitFor(async () => !(await nodeClaims()).some((c) => c.metadata.name === victim?.metadata.name), { description: `NodeClaim ${victim?.metadata.name ?? ''} deleted after the interruption`, timeoutMs: 120_000, intervalMs: 250 });
    expect(controller.logs.some((l) => l.message === 'initiating delete from interruption message')).toBe(true);
    expect(await liveInstances()).not.toContain(instanceId);
    await waitFor(async () => (await runningPods('inflate')).length === 4, { description: '4 inflate pods Running again', timeoutMs: 180_000, intervalMs: 250 });

    const deleted = Date.now();
    await kubectl(['delete', 'deployment', 'inflate', '--wait=false']);
    await waitFor(async () => (await nodeClaims()).length === 0 && (await liveInstances()).length === 0, { description: 'every NodeClaim gone and every instance terminated', timeoutMs: 180_000, intervalMs: 500 });
    timings['deleted→instances terminated ms'] = Date.now() - deleted;
  });
});
