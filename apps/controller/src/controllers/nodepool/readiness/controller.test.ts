import { ec2NodeClassSchema, nodePoolSchema, type Condition, type NodePool, type Provisioner } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { resources } from '../../../kube/resources.js';
import { ec2NodeClass, nodePool } from '../../../testing/builders.js';
import { newTestContext, type TestContext } from '../../../testing/context.js';
import { defaultEC2NodeClass, defaultNodePool } from '../../../testing/fixtures.js';
import { newControllers } from '../../controllers.js';
import { nodePoolReadiness, readinessKey } from './controller.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

/** A NodePool as `kubectl apply` leaves it: no status yet, generation 1. */
const applied = (name = 'default', mutate: (np: NodePool) => void = () => undefined): NodePool => {
  const np = nodePool(name, undefined, { ready: false });
  np.metadata.generation = 1;
  mutate(np);
  return np;
};

const conditionsOf = (name = 'default', type = resources.nodePools): Record<string, Condition> =>
  Object.fromEntries((t?.client.peek<NodePool>(type, name)?.status?.conditions ?? []).map((c) => [c.type, c]));

const statusWrites = () => t?.client.writes.filter((w) => w.subresource === 'status' && w.resource === 'nodepools') ?? [];

describe('nodepool.readiness', () => {
  it('the seed fixtures the e2e applies (NodePool "default" + EC2NodeClass "default") are valid manifests', () => {
    expect(nodePoolSchema.safeParse(defaultNodePool()).success).toBe(true);
    expect(ec2NodeClassSchema.safeParse(defaultEC2NodeClass()).error?.issues).toBeUndefined();
  });

  it('a NodePool whose EC2NodeClass does not exist is not Ready (NodeClassNotFound), and becomes Ready when it is created', async () => {
    t = await newTestContext({ nodePools: [applied()] });
    const controller = nodePoolReadiness(t.ctx);
    await controller.reconcile(readinessKey('NodePool', 'default'));
    const first = conditionsOf();
    expect(first['ValidationSucceeded']).toMatchObject({ status: 'True', reason: 'ValidationSucceeded', observedGeneration: 1 });
    expect(first['NodeClassReady']).toMatchObject({ status: 'False', reason: 'NodeClassNotFound', observedGeneration: 1 });
    expect(first['NodeClassReady']?.message).toContain('EC2NodeClass "default" not found on cluster');
    expect(first['Ready']).toMatchObject({ status: 'False', reason: 'UnhealthyDependents', message: 'NodeClassReady=False', observedGeneration: 1 });
    expect(t.client.peek<NodePool>(resources.nodePools, 'default')?.status?.conditions?.map((c) => c.type)).toEqual(['ValidationSucceeded', 'NodeClassReady', 'Ready']);
    expect(t.events.map((e) => e.message)).toContain(
      `Status condition transitioned, Type: NodeClassReady, Status: Unknown -> False, Reason: NodeClassNotFound, Message: ${first['NodeClassReady']?.message ?? ''}`,
    );

    // Nothing changed: no write, no event.
    const events = t.events.length;
    await controller.reconcile(readinessKey('NodePool', 'default'));
    expect(statusWrites()).toHaveLength(1);
    expect(t.events).toHaveLength(events);

    await t.clock.advance(60_000);
    await t.client.create(resources.ec2NodeClasses, ec2NodeClass());
    await t.settle();
    await controller.reconcile(readinessKey('NodePool', 'default'));
    const second = conditionsOf();
    expect(second['NodeClassReady']).toMatchObject({ status: 'True', reason: 'NodeClassReady' });
    expect(second['Ready']).toMatchObject({ status: 'True', reason: 'Ready', message: '' });
    // lastTransitionTime moves only for the conditions whose status changed.
    expect(second['ValidationSucceeded']?.lastTransitionTime).toBe(first['ValidationSucceeded']?.lastTransitionTime);
    expect(second['Ready']?.lastTransitionTime).toBe('2026-01-01T00:01:00.000Z');
    expect(t.events.map((e) => `${e.reason}: ${e.message}`)).toContain('Ready: Status condition transitioned, Type: Ready, Status: False -> True, Reason: Ready');
  });

  it('follows a spec change: observedGeneration moves, lastTransitionTime stays while the status does', async () => {
    t = await newTestContext({ nodePools: [applied()], ec2NodeClasses: [ec2NodeClass()] });
    const controller = nodePoolReadiness(t.ctx);
    await controller.reconcile(readinessKey('NodePool', 'default'));
    const before = conditionsOf();
    await t.clock.advance(5_000);
    await t.client.patch(resources.nodePools, 'default', 'merge', { metadata: { generation: 2 }, spec: { weight: 10 } });
    await t.settle();
    await controller.reconcile(readinessKey('NodePool', 'default'));
    const after = conditionsOf();
    for (const type of ['ValidationSucceeded', 'NodeClassReady', 'Ready']) {
      expect(after[type]).toMatchObject({ status: 'True', observedGeneration: 2, lastTransitionTime: before[type]?.lastTransitionTime });
    }
  });

  it.each([
    ['terminating', { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['karpenter.k8s.aws/termination'] } }, 'NodeClassTerminating', 'EC2NodeClass "default" is terminating'],
    [
      'reporting Ready=False',
      { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'SubnetsNotFound', message: 'no subnets matched', lastTransitionTime: '2026-01-01T00:00:00Z' }] } },
      'SubnetsNotFound',
      'EC2NodeClass "default": no subnets matched',
    ],
  ])('an EC2NodeClass %s keeps the pool not Ready', async (_what, patch, reason, message) => {
    const nodeClass = ec2NodeClass();
    const merged = { ...nodeClass, ...patch, metadata: { ...nodeClass.metadata, ...('metadata' in patch ? patch.metadata : {}) } };
    t = await newTestContext({ nodePools: [applied()], ec2NodeClasses: [merged] });
    await nodePoolReadiness(t.ctx).reconcile(readinessKey('NodePool', 'default'));
    expect(conditionsOf()['NodeClassReady']).toMatchObject({ status: 'False', reason, message });
    expect(conditionsOf()['Ready']).toMatchObject({ status: 'False', reason: 'UnhealthyDependents' });
  });

  it('a node class kind the simulated provider does not manage is ready without an object', async () => {
    t = await newTestContext({
      nodePools: [applied('kwok', (np) => (np.spec.template.spec.nodeClassRef = { group: 'karpenter.kwok.sh', kind: 'KWOKNodeClass', name: 'default' }))],
    });
    await nodePoolReadiness(t.ctx).reconcile(readinessKey('NodePool', 'kwok'));
    expect(conditionsOf('kwok')['NodeClassReady']).toMatchObject({ status: 'True', reason: 'NodeClassReady', message: expect.stringContaining('karpenter.kwok.sh/KWOKNodeClass is not a node class kind') });
    expect(conditionsOf('kwok')['Ready']).toMatchObject({ status: 'True' });
  });

  it('validates with the domain schema: a rule the API server did not enforce makes ValidationSucceeded False, with validate\'s words', async () => {
    t = await newTestContext({
      ec2NodeClasses: [ec2NodeClass()],
      nodePools: [
        applied('broken', (np) => {
          np.spec.template.spec.requirements = [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: [] }];
          np.spec.weight = 500;
        }),
      ],
    });
    await nodePoolReadiness(t.ctx).reconcile(readinessKey('NodePool', 'broken'));
    const validation = conditionsOf('broken')['ValidationSucceeded'];
    expect(validation).toMatchObject({ status: 'False', reason: 'NodePoolValidationFailed' });
    expect(validation?.message).toContain('spec.template.spec.requirements[0]');
    expect(validation?.message).toContain('spec.weight');
    expect(conditionsOf('broken')['NodeClassReady']).toMatchObject({ status: 'True' });
    expect(conditionsOf('broken')['Ready']).toMatchObject({ status: 'False', reason: 'UnhealthyDependents', message: 'ValidationSucceeded=False' });
  });

  it('writes the same conditions on v1alpha5 Provisioners: an inline provider needs no node class object', async () => {
    const provisioner = (name: string, spec: Record<string, unknown>): Provisioner =>
      ({ apiVersion: 'karpenter.sh/v1alpha5', kind: 'Provisioner', metadata: { name, generation: 1 }, spec: { ttlSecondsAfterEmpty: 30, ...spec } }) as Provisioner;
    t = await newTestContext({ provisioners: [provisioner('inline', { provider: { instanceProfile: 'x' } }), provisioner('bare', {}), provisioner('ref', { providerRef: { name: 'tmpl' } })] });
    const controller = nodePoolReadiness(t.ctx);
    for (const name of ['inline', 'bare', 'ref']) await controller.reconcile(readinessKey('Provisioner', name));
    expect(conditionsOf('inline', resources.provisioners)['Ready']).toMatchObject({ status: 'True' });
    // Neither provider nor providerRef: it converts to EC2NodeClass "bare", which must exist.
    expect(conditionsOf('bare', resources.provisioners)['NodeClassReady']).toMatchObject({ status: 'False', reason: 'NodeClassNotFound', message: expect.stringContaining('EC2NodeClass "bare"') });
    // An AWSNodeTemplate is not a kind the simulated provider manages.
    expect(conditionsOf('ref', resources.provisioners)['NodeClassReady']).toMatchObject({ status: 'True', message: expect.stringContaining('AWSNodeTemplate') });
  });

  it('is woken by NodePools, Provisioners and the node classes they reference', async () => {
    t = await newTestContext({ nodePools: [applied('a'), applied('b', (np) => (np.spec.template.spec.nodeClassRef.name = 'other'))] });
    const registration = newControllers(t.ctx).registrations.find((r) => r.controller.name === 'nodepool.readiness');
    const keys: string[] = [];
    const stop = registration?.watch((key) => keys.push(key));
    try {
      // Subscribing replays what the caches hold (as client-go's AddEventHandler does).
      expect(keys.sort()).toEqual(['NodePool/a', 'NodePool/b']);
      keys.length = 0;
      await t.client.create(resources.ec2NodeClasses, ec2NodeClass('default'));
      await t.settle();
      expect(keys).toEqual(['NodePool/a']);
      await t.client.create(resources.provisioners, { apiVersion: 'karpenter.sh/v1alpha5', kind: 'Provisioner', metadata: { name: 'a' }, spec: {} });
      await t.settle();
      expect(keys).toEqual(['NodePool/a', 'Provisioner/a']);
    } finally {
      stop?.();
    }
  });
});
