/**
 * Karpenter's NodePool defaults (the CRD's `default:` values), in one place: `applyNodePoolDefaults` applies
 * them in code and `tools/crd-gen` writes them into the CRD, so objects read from the API server and objects
 * decoded from a file look the same after defaulting.
 */
import type { NodePool } from './nodepool.js';

/** `spec.disruption` when absent. */
export const DEFAULT_DISRUPTION = { consolidateAfter: '0s' } as const;
/** `spec.disruption.consolidationPolicy` when absent. */
export const DEFAULT_CONSOLIDATION_POLICY = 'WhenEmptyOrUnderutilized' as const;
/** `spec.disruption.budgets` when absent: at most 10% of the pool's nodes disrupted at once. */
export const DEFAULT_BUDGETS = [{ nodes: '10%' }] as const;
/** `spec.disruption.budgets[].nodes` when absent. */
export const DEFAULT_BUDGET_NODES = '10%';
/** `spec.template.spec.expireAfter` when absent: 30 days. */
export const DEFAULT_EXPIRE_AFTER = '720h';

/**
 * Returns a copy of `np` with Karpenter's CRD defaults applied, as the API server would store it:
 * `disruption` defaults to `{consolidateAfter: "0s"}`, `consolidationPolicy` to `WhenEmptyOrUnderutilized`,
 * `budgets` to `[{nodes: "10%"}]` (and each budget's `nodes` to `"10%"`), `template.spec.expireAfter` to `720h`.
 * `weight` stays unset (treated as 0 when ordering pools). Does not validate; the input is not modified.
 */
export function applyNodePoolDefaults(np: NodePool): NodePool {
  const spec = np.spec;
  const disruption = spec.disruption ?? { ...DEFAULT_DISRUPTION };
  return {
    ...np,
    spec: {
      ...spec,
      template: {
        ...spec.template,
        spec: { ...spec.template.spec, expireAfter: spec.template.spec.expireAfter ?? DEFAULT_EXPIRE_AFTER },
      },
      disruption: {
        ...disruption,
        consolidationPolicy: disruption.consolidationPolicy ?? DEFAULT_CONSOLIDATION_POLICY,
        budgets: (disruption.budgets ?? DEFAULT_BUDGETS.map((b) => ({ ...b }))).map((b) => ({ ...b, nodes: b.nodes ?? DEFAULT_BUDGET_NODES })),
      },
    },
  };
}
