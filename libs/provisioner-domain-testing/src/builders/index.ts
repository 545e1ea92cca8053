export { pod, pods, type PodOptions } from './pod.js';
export { nodePool, type NodePoolOptions } from './nodepool.js';
export { instanceType, type InstanceTypeOptions } from './instance-type.js';
export { existingNode, type ExistingNodeOptions } from './existing-node.js';
