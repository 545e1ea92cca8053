import { describeIssue, formatPath, nodePoolSchema, provisionerSchema, type NodePool, type Provisioner } from '@karpenter-ts/provisioner-domain';
import type { ConditionUpdate } from '../../../state/conditions.js';

/** Condition type: the NodePool passes the API's validation (Karpenter's `ValidationSucceeded`). */
export const CONDITION_VALIDATION_SUCCEEDED = 'ValidationSucceeded';

/**
 * `ValidationSucceeded` for a NodePool or a v1alpha5 Provisioner as read from the API server (Karpenter's
 * `nodepool.validation`, which runs `RuntimeValidate`): the object's apiVersion, kind, metadata and spec are
 * checked with the domain's own zod schema (`nodePoolSchema` / `provisionerSchema`), the single source the CRDs,
 * `karpenter-ts validate` and the VS Code extension use, so a rule the API server could not enforce (an older
 * CRD, CEL unavailable) still keeps the pool from provisioning. Status is not validated. True with reason
 * `ValidationSucceeded`; False with reason `NodePoolValidationFailed` and every problem as
 * `field.path: message` (the same words as `validate`), joined by `; `.
 */
export function validationCondition(source: 'NodePool' | 'Provisioner', object: NodePool | Provisioner): ConditionUpdate {
  const isNodePool = source === 'NodePool';
  const schema = isNodePool ? nodePoolSchema : provisionerSchema;
  const value = {
    apiVersion: isNodePool ? 'karpenter.sh/v1' : 'karpenter.sh/v1alpha5',
    kind: isNodePool ? 'NodePool' : 'Provisioner',
    metadata: object.metadata,
    spec: object.spec,
  };
  const result = schema.safeParse(value);
  if (result.success) return { type: CONDITION_VALIDATION_SUCCEEDED, status: 'True', reason: CONDITION_VALIDATION_SUCCEEDED };
  const problems = result.error.issues.map((issue) => {
    const described = describeIssue(issue, schema, value);
    const path = formatPath(described.path);
    return path ? `${path}: ${described.message}` : described.message;
  });
  return { type: CONDITION_VALIDATION_SUCCEEDED, status: 'False', reason: 'NodePoolValidationFailed', message: [...new Set(problems)].join('; ') };
}
