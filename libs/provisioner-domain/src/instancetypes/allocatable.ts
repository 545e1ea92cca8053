import { addResources, subtractResourcesClamped, type ResourceList } from '../quantity/resourcelist.js';
import type { InstanceType, InstanceTypeOverhead } from './types.js';

/** kubeReserved + systemReserved + evictionThreshold, canonical units. */
export function totalOverhead(overhead: InstanceTypeOverhead): ResourceList {
  return addResources(overhead.kubeReserved, overhead.systemReserved, overhead.evictionThreshold);
}

/**
 * What pods can use on a node of this type: capacity − kubeReserved − systemReserved − evictionThreshold per
 * resource, never below zero (the kubelet's node allocatable). Canonical units; keys are the capacity's.
 */
export function allocatable(instanceType: Pick<InstanceType, 'capacity' | 'overhead'>): ResourceList {
  return subtractResourcesClamped(instanceType.capacity, totalOverhead(instanceType.overhead));
}

/** No reservations. */
export const NO_OVERHEAD: InstanceTypeOverhead = Object.freeze({ kubeReserved: {}, systemReserved: {}, evictionThreshold: {} });
