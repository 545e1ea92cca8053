export { useCapacity, type CapacityState } from './useCapacity';
