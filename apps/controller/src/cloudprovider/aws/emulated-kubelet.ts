import {
  LABEL_CAPACITY_TYPE,
  LABEL_HOSTNAME,
  LABEL_INSTANCE_TYPE,
  LABEL_TOPOLOGY_ZONE,
  Requirements,
  TAINT_UNREGISTERED,
  allocatable,
  formatResourceList,
  type InstanceType,
  type Node,
  type NodeClaim,
} from '@karpenter-ts/provisioner-domain';
import type { KubeClient } from '../../kube/client.js';
import { isAlreadyExists } from '../../kube/errors.js';
import { resources } from '../../kube/resources.js';
import { KWOK_NODE_ANNOTATION } from '../simulated/simulated.js';

/** One instance the AWS provider launched, as the emulated kubelet needs it. */
export interface LaunchedInstance {
  nodeName: string;
  providerID: string;
  instanceType: InstanceType;
  zone: string;
  capacityType: string;
}

/**
 * For tests and local runs against an EC2 emulator (setting AWS_EMULATED_KUBELET): stands in for the kubelet
 * of each launched instance by creating its Node — named after the instance's private DNS name, with the
 * instance's `aws:///zone/i-...` providerID, the KWOK annotation and label so that KWOK runs it (as the
 * simulated provider's nodes), the instance type's labels, capacity and allocatable, and the
 * `karpenter.sh/unregistered:NoExecute` taint that registration removes. Idempotent per node name.
 */
export class EmulatedKubelet {
  constructor(private readonly client: KubeClient) {}

  async register(nodeClaim: NodeClaim, instance: LaunchedInstance): Promise<void> {
    const reqs = Requirements.fromNodeSelectorRequirements(nodeClaim.spec.requirements);
    const labels: Record<string, string> = {
      ...reqs.singleValueLabels(),
      ...instance.instanceType.labels,
      ...(nodeClaim.metadata.labels ?? {}),
      [LABEL_INSTANCE_TYPE]: instance.instanceType.name,
      [LABEL_TOPOLOGY_ZONE]: instance.zone,
      [LABEL_CAPACITY_TYPE]: instance.capacityType,
      [LABEL_HOSTNAME]: instance.nodeName,
      [KWOK_NODE_ANNOTATION]: 'fake',
    };
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: instance.nodeName, labels, annotations: { [KWOK_NODE_ANNOTATION]: 'fake' } },
      spec: { providerID: instance.providerID, taints: [{ key: TAINT_UNREGISTERED.key, effect: TAINT_UNREGISTERED.effect }] },
      status: {
        capacity: formatResourceList(instance.instanceType.capacity),
        allocatable: formatResourceList(allocatable(instance.instanceType)),
        phase: 'Pending',
      },
    };
    try {
      await this.client.create<Node>(resources.nodes, node);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }
}
