export { CapacityError, type CapacityErrorProps } from './CapacityError';
