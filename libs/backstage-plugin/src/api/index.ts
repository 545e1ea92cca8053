export { karpenterCapacityApiRef, type KarpenterCapacityApi, type GetCapacityOptions } from './KarpenterCapacityApi';
export { KarpenterCapacityClient, DEFAULT_PROXY_PATH, type KarpenterCapacityClientOptions } from './KarpenterCapacityClient';
export { CapacityApiError, capacityRbacRule, errorForStatus, type CapacityApiErrorCode, type CapacityApiErrorDetails } from './errors';
