/**
 * Test support for `@karpenter-ts/provisioner-domain`: an independent validator of scheduling plans (and, as
 * they arrive, builders and fakes).
 */
export { validatePlan, type PlanViolation, type PlanViolationCode } from './plan-validator.js';
export * from './builders/index.js';
