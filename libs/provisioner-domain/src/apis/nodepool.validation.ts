/**
 * The NodePool's cross-field rules, each as CEL (for the CRD) and as a TypeScript check (for zod), with the
 * same message. Transition rules (immutability) are CEL only: they need the old object.
 */
import { eachItem, type Rule } from './rules.js';

interface BudgetLike {
  schedule?: string | undefined;
  duration?: string | undefined;
}

/** Rules over `spec.disruption.budgets`. */
export const budgetListRules: Rule<BudgetLike[]>[] = [
  {
    code: 'budget-schedule-without-duration',
    cel: 'self.all(x, has(x.schedule) == has(x.duration))',
    message: "'schedule' must be set with 'duration': give both (e.g. schedule \"0 9 * * *\" and duration \"8h\") or neither",
    check: (budgets) => eachItem(budgets, (b) => (b.schedule === undefined) !== (b.duration === undefined)),
  },
];

/** Rules over `spec.template.spec.nodeClassRef` (transition rules: only checked by the API server on update). */
export const nodeClassRefRules: Rule<{ group: string; kind: string }>[] = [
  { code: 'nodeclassref-group-immutable', cel: 'self.group == oldSelf.group', message: 'nodeClassRef.group is immutable: create a new NodePool to change it', transition: true },
  { code: 'nodeclassref-kind-immutable', cel: 'self.kind == oldSelf.kind', message: 'nodeClassRef.kind is immutable: create a new NodePool to change it', transition: true },
];

interface SpecLike {
  replicas?: number | undefined;
  weight?: number | undefined;
  limits?: Record<string, unknown> | undefined;
}

/** Rules over the NodePool spec: static pools (`replicas` set). */
export const nodePoolSpecRules: Rule<SpecLike>[] = [
  {
    code: 'static-pool-mode-immutable',
    cel: 'has(self.replicas) == has(oldSelf.replicas)',
    message: 'Cannot transition NodePool between static (replicas set) and dynamic (replicas unset) provisioning modes: create a new NodePool instead',
    transition: true,
  },
  {
    code: 'static-pool-limits',
    cel: "!has(self.replicas) || (!has(self.limits) || size(self.limits) == 0 || (size(self.limits) == 1 && 'nodes' in self.limits))",
    message: "only 'limits.nodes' is supported on static NodePools: remove the other limits or unset 'replicas'",
    check: (s) =>
      s.replicas !== undefined && Object.keys(s.limits ?? {}).some((k) => k !== 'nodes') ? [['limits']] : [],
  },
  {
    code: 'static-pool-weight',
    cel: '!has(self.replicas) || !has(self.weight)',
    message: "'weight' is not supported on static NodePools: remove 'weight' or unset 'replicas'",
    check: (s) => (s.replicas !== undefined && s.weight !== undefined ? [['weight']] : []),
  },
];

