/**
 * Checks shared by the e2e tests of a scale-up under failure (leader failover, API server restart): what one
 * controller plans for a Deployment's pods, and what the cluster holds afterwards.
 */
import {
  defaultCatalog,
  schedule,
  shapeInstanceTypesByNodeClass,
  type EC2NodeClass,
  type Node,
  type NodeClaim,
  type NodePool,
  type Pod,
} from '@karpenter-ts/provisioner-domain';
import { PROVIDER_ID_PREFIX } from '../cloudprovider/simulated/simulated.js';
import type { KubeClient } from '../kube/client.js';
import { resources } from '../kube/resources.js';

/**
 * How many NodeClaims one controller creates for `replicas` pending pods requesting `cpu` each, on an empty
 * cluster: the domain scheduler on the NodePool `nodePoolName` as the API server stored it (defaults applied),
 * its EC2NodeClass and the simulated provider's catalog. Throws when a pod would stay unschedulable.
 */
export async function plannedNodeClaimCount(client: KubeClient, options: { app: string; replicas: number; cpu: string; nodePoolName?: string }): Promise<number> {
  const nodePool = await client.get<NodePool>(resources.nodePools, options.nodePoolName ?? 'default');
  const ref = nodePool.spec.template.spec.nodeClassRef;
  const nodeClass = await client.get<EC2NodeClass>(resources.ec2NodeClasses, ref.name);
  const pods: Pod[] = Array.from({ length: options.replicas }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${options.app}-${i}`, namespace: 'default', uid: `uid-${i}`, labels: { app: options.app } },
    spec: { containers: [{ name: options.app, image: 'pause', resources: { requests: { cpu: options.cpu } } }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  }));
  const name = nodePool.metadata.name ?? '';
  const plan = schedule({ pods, existingNodes: [], nodePools: [nodePool], instanceTypes: { [name]: shapeInstanceTypesByNodeClass(defaultCatalog(), nodeClass) } });
  if (plan.unschedulable.length > 0) throw new Error(`the plan leaves ${plan.unschedulable.length} pod(s) unschedulable: ${plan.unschedulable[0]?.reason ?? ''}`);
  return plan.nodeClaims.length;
}

/** What the cluster holds after a scale-up: NodeClaims, simulated instances (Nodes) and where the pods run. */
export interface LaunchAudit {
  nodeClaims: NodeClaim[];
  /** Nodes with a `kwok://` providerID (the simulated provider's instances). */
  instances: Node[];
  /** Instances whose providerID no NodeClaim has. */
  orphanInstances: string[];
  /** Instances hosting none of the app's pods (bought for pods another NodeClaim already covered). */
  emptyInstances: string[];
  runningPods: number;
}

/** Lists NodeClaims, simulated instances and the `app=<app>` pods of `default` and relates them. */
export async function auditLaunches(client: KubeClient, app: string): Promise<LaunchAudit> {
  const nodeClaims = (await client.list<NodeClaim>(resources.nodeClaims)).items;
  const instances = (await client.list<Node>(resources.nodes)).items.filter((n) => n.spec?.providerID?.startsWith(PROVIDER_ID_PREFIX));
  const pods = (await client.list<Pod>(resources.pods, { namespace: 'default', labelSelector: `app=${app}` })).items;
  const claimed = new Set(nodeClaims.map((c) => c.status?.providerID));
  const hosts = new Set(pods.map((p) => p.spec.nodeName));
  return {
    nodeClaims,
    instances,
    orphanInstances: instances.filter((n) => !claimed.has(n.spec?.providerID)).map((n) => n.metadata.name ?? ''),
    emptyInstances: instances.filter((n) => !hosts.has(n.metadata.name)).map((n) => n.metadata.name ?? ''),
    runningPods: pods.filter((p) => p.status?.phase === 'Running').length,
  };
}
