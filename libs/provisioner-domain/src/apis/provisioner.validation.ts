/**
 * The v1alpha5 Provisioner's rules. Upstream enforced them in a validating webhook; here they are CEL rules in
 * the CRD and zod checks, with the webhook's meaning.
 */
import { isCelNonNegativeInt } from './common.js';
import { eachItem, type Rule } from './rules.js';

interface ReqLike {
  key: string;
  operator: string;
  values?: string[] | undefined;
}

/** Requirement rules: In needs values, Gt/Lt one integer, Exists/DoesNotExist no values. */
export const provisionerRequirementRules: Rule<ReqLike[]>[] = [
  {
    code: 'requirement-in-without-values',
    cel: "self.all(x, x.operator == 'In' ? has(x.values) && x.values.size() != 0 : true)",
    message: "requirements with operator 'In' must have a value defined: add at least one entry to 'values', or use operator 'Exists'",
    check: (reqs) => eachItem(reqs, (r) => r.operator === 'In' && (r.values ?? []).length === 0, ['values']),
  },
  {
    code: 'requirement-comparison-value',
    cel: "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt') ? (has(x.values) && x.values.size() == 1 && int(x.values[0]) >= 0) : true)",
    message: "requirements operator 'Gt' or 'Lt' must have a single non-negative integer value: set 'values' to one integer of 0 or more, such as [\"4\"]",
    check: (reqs) => eachItem(reqs, (r) => (r.operator === 'Gt' || r.operator === 'Lt') && !((r.values ?? []).length === 1 && isCelNonNegativeInt(r.values?.[0] ?? '')), ['values']),
  },
  {
    code: 'requirement-exists-with-values',
    cel: "self.all(x, (x.operator == 'Exists' || x.operator == 'DoesNotExist') ? (!has(x.values) || x.values.size() == 0) : true)",
    message: "requirements with operator 'Exists' or 'DoesNotExist' must not have values: remove 'values'",
    check: (reqs) => eachItem(reqs, (r) => (r.operator === 'Exists' || r.operator === 'DoesNotExist') && (r.values ?? []).length > 0, ['values']),
  },
];

interface SpecLike {
  provider?: Record<string, unknown> | undefined;
  providerRef?: unknown;
  ttlSecondsAfterEmpty?: number | undefined;
  consolidation?: { enabled?: boolean | undefined } | undefined;
}

/** Spec rules of the v1alpha5 webhook. */
export const provisionerSpecRules: Rule<SpecLike>[] = [
  {
    code: 'provider-and-provider-ref',
    cel: '!(has(self.provider) && has(self.providerRef))',
    message: "'provider' and 'providerRef' are mutually exclusive: keep providerRef and move the provider settings into the AWSNodeTemplate",
    check: (s) => (s.provider !== undefined && s.providerRef !== undefined ? [['providerRef']] : []),
  },
  {
    code: 'ttl-after-empty-with-consolidation',
    cel: "!(has(self.ttlSecondsAfterEmpty) && has(self.consolidation) && has(self.consolidation.enabled) && self.consolidation.enabled)",
    message: "'ttlSecondsAfterEmpty' cannot be combined with 'consolidation.enabled': consolidation removes empty nodes too; remove one of them",
    check: (s) => (s.ttlSecondsAfterEmpty !== undefined && s.consolidation?.enabled === true ? [['ttlSecondsAfterEmpty']] : []),
  },
];
