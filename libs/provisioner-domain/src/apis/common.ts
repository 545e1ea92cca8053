/**
 * Schemas shared by the Karpenter resources: object metadata, quantities, taints, requirements, node class
 * references and status conditions, with Kubernetes' and Karpenter's CRD patterns.
 */
import { z } from 'zod';
import { eachItem, eachKey, HERE, withMaxProperties, withRules, type Rule } from './rules.js';
import { LABEL_RESTRICTIONS, NODECLAIM_REQUIREMENT_RESTRICTIONS, type LabelRestriction } from './labels.js';

/** Kubernetes quantity text (`resource.Quantity`): `100m`, `1.5Gi`, `1e3`. */
export const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
/** A qualified label key: optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export const LABEL_KEY_PATTERN =
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(\\/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$';
/** A label value: empty, or alphanumerics with `-`, `_`, `.` inside. */
export const LABEL_VALUE_PATTERN = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';
/** A DNS-1123 subdomain (object names). */
export const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** A Kubernetes quantity: an integer or quantity text. Mirrors `x-kubernetes-int-or-string` with the quantity pattern. */
export const quantitySchema = z.union([
  z.int(),
  z.string().regex(new RegExp(QUANTITY_PATTERN), { message: 'must be a Kubernetes quantity such as "2", "500m" or "4Gi"' }),
]);

/** A resource name to quantity map (`cpu`, `memory`, `nvidia.com/gpu`, `nodes`, ...). */
export const resourceListSchema = z.record(z.string(), quantitySchema);

/** metav1.Time as RFC 3339 text. */
export const timestampSchema = z.string();

/** The time part the API server's `date-time` format accepts (kube-openapi `strfmt.DateTimePattern`, lower-cased input). */
const DATE_TIME_TIME_PART = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const FULL_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/**
 * True when the API server accepts `text` for a field with `format: date-time`. Mirrors kube-openapi's
 * `strfmt.IsDateTime`: the text is lower-cased and split at `t`; the first part must be a real calendar date
 * (`2006-01-02`, so `2026-02-30` is refused) and the second `hh:mm:ss[.fraction](z|±hh:mm)` with hours ≤ 23
 * and minutes/seconds ≤ 59. Examples: `2026-01-01T00:00:00Z`, `2026-01-01T00:00:00.123+02:00`.
 */
export function isKubeDateTime(text: string): boolean {
  if (text.length < 4) return false;
  const parts = text.toLowerCase().split('t');
  const date = FULL_DATE.exec(parts[0] ?? '');
  if (parts.length < 2 || !date) return false;
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > daysInMonth) return false;
  const time = DATE_TIME_TIME_PART.exec(parts[1] ?? '');
  return time !== null && (time[1] ?? '') <= '23' && (time[2] ?? '') <= '59' && (time[3] ?? '') <= '59';
}

/**
 * A metav1.Time field the CRD types as `format: date-time` (as Karpenter's CRDs do, e.g. NodeClaim
 * `status.lastPodEventTime`): RFC 3339 text such as `2026-01-01T00:00:00Z`, checked with {@link isKubeDateTime}
 * so zod and the API server accept the same values. The CRD carries only the `format`, no `pattern`.
 */
export const dateTimeSchema = z
  .string()
  .refine(isKubeDateTime, { message: 'must be an RFC 3339 date-time such as "2026-01-01T00:00:00Z"', params: { code: 'date-time' } })
  .meta({ format: 'date-time' });

/**
 * The metadata every manifest carries. Only the fields the domain reads are typed; the API server adds others
 * (`managedFields`, ...), which are kept.
 */
export const objectMetaSchema = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: timestampSchema.optional(),
  deletionTimestamp: timestampSchema.optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  ownerReferences: z
    .array(
      z.looseObject({
        apiVersion: z.string(),
        kind: z.string(),
        name: z.string(),
        uid: z.string(),
        controller: z.boolean().optional(),
        blockOwnerDeletion: z.boolean().optional(),
      }),
    )
    .optional(),
  finalizers: z.array(z.string()).optional(),
});

const LABEL_KEY_MESSAGE = 'must be qualified names such as "example.com/team" or "team": at most 63 alphanumerics, "-", "_" or "." after an optional DNS-subdomain prefix and "/"';

/** A label key with Kubernetes' qualified-name pattern and length. */
export const labelKeySchema = z
  .string()
  .max(316)
  .regex(new RegExp(LABEL_KEY_PATTERN), { message: LABEL_KEY_MESSAGE })
  .meta({ 'x-key-message': `label keys ${LABEL_KEY_MESSAGE}` });

/** A label value: at most 63 characters, alphanumerics with `-`, `_`, `.` inside. */
export const labelValueSchema = z
  .string()
  .max(63)
  .regex(new RegExp(LABEL_VALUE_PATTERN), { message: 'must be a label value: at most 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric' });

/** core/v1 Taint. Effect is one of NoSchedule, PreferNoSchedule, NoExecute. */
export const taintSchema = z.strictObject({
  key: z.string().min(1).regex(new RegExp(LABEL_KEY_PATTERN), { message: 'must be a qualified key such as "example.com/dedicated"' }),
  value: z.string().regex(new RegExp(LABEL_VALUE_PATTERN), { message: 'must be empty or alphanumerics with "-", "_" or "." inside' }).optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  timeAdded: timestampSchema.optional(),
});

/** The operators of Karpenter's requirements (core/v1 NodeSelectorOperator plus Gte and Lte). */
export const requirementOperatorSchema = z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte']);

/** Rules keeping a label key out of the restricted domains, one per restriction (each a CEL rule and its twin). */
export function labelKeyRulesFor(restrictions: readonly LabelRestriction[]): Rule<string>[] {
  return restrictions.map((r) => ({
    code: 'restricted-label',
    cel: r.cel('self'),
    message: r.message,
    check: (key: string) => (r.violatedBy(key) ? HERE : []),
  }));
}

/** The NodePool rules over a label key (one per `LABEL_RESTRICTIONS` entry). */
export const labelKeyRules: Rule<string>[] = labelKeyRulesFor(LABEL_RESTRICTIONS);

/** The same rules over the keys of a label map (template `metadata.labels`). */
export const labelMapRules: Rule<Record<string, string>>[] = LABEL_RESTRICTIONS.map((r) => ({
  code: 'restricted-label',
  cel: `self.all(x, ${r.cel('x')})`,
  message: r.message,
  check: (labels: Record<string, string>) => eachKey(labels, (k) => r.violatedBy(k)),
}));

/** A NodePool requirement key: a qualified label key outside the restricted domains, not `karpenter.sh/nodepool`. */
export const requirementKeySchema = withRules(labelKeySchema, labelKeyRules);

/**
 * A NodeClaim requirement key: as {@link requirementKeySchema} but `karpenter.sh/nodepool` is allowed (Karpenter's
 * NodeClaim CRD), since a NodeClaim's requirements include its NodePool's name.
 */
export const nodeClaimRequirementKeySchema = withRules(labelKeySchema, labelKeyRulesFor(NODECLAIM_REQUIREMENT_RESTRICTIONS));

/** Template labels: at most 100, values as label values, keys outside the restricted domains. */
export const templateLabelsSchema = withRules(withMaxProperties(z.record(labelKeySchema, labelValueSchema), 100), labelMapRules);

/** Karpenter's NodeSelectorRequirementWithMinValues with a requirement key schema. */
function requirementSchemaWithKey<K extends z.ZodType<string>>(key: K) {
  return z.strictObject({
    key,
    operator: requirementOperatorSchema,
    values: z.array(labelValueSchema).optional(),
    minValues: z.int().min(1).max(50).optional(),
  });
}

/** Karpenter's NodeSelectorRequirementWithMinValues, as NodePools write it. */
export const requirementSchema = requirementSchemaWithKey(requirementKeySchema);

/** Karpenter's NodeSelectorRequirementWithMinValues, as NodeClaims write it (`karpenter.sh/nodepool` allowed). */
export const nodeClaimRequirementSchema = requirementSchemaWithKey(nodeClaimRequirementKeySchema);

const COMPARISON = ['Gt', 'Lt', 'Gte', 'Lte'];

/** True when CEL's `int(s) >= 0` holds: decimal digits with an optional `+`, within int64. */
export function isCelNonNegativeInt(s: string): boolean {
  return /^\+?[0-9]+$/.test(s) && BigInt(s.replace('+', '')) <= 9223372036854775807n;
}

/** The requirement-list rules of Karpenter's NodePool/NodeClaim CRDs. */
export const requirementListRules: Rule<z.output<typeof requirementSchema>[]>[] = [
  {
    code: 'requirement-in-without-values',
    cel: "self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)",
    message: "requirements with operator 'In' must have a value defined: add at least one entry to 'values', or use operator 'Exists'",
    check: (reqs) => eachItem(reqs, (r) => r.operator === 'In' && (r.values ?? []).length === 0, ['values']),
  },
  {
    code: 'requirement-comparison-value',
    cel: "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' || x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)",
    message: "requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single non-negative integer value: set 'values' to one integer of 0 or more, such as [\"4\"]",
    check: (reqs) =>
      eachItem(reqs, (r) => COMPARISON.includes(r.operator) && !((r.values ?? []).length === 1 && isCelNonNegativeInt(r.values?.[0] ?? '')), ['values']),
  },
  {
    code: 'requirement-min-values',
    cel: "self.all(x, (x.operator == 'In' && has(x.minValues)) ? x.values.size() >= x.minValues : true)",
    message: "requirements with 'minValues' must have at least that many values specified in the 'values' field: add values or lower 'minValues'",
    check: (reqs) => eachItem(reqs, (r) => r.operator === 'In' && r.minValues !== undefined && (r.values ?? []).length < r.minValues, ['minValues']),
  },
];

/** A NodePool requirement list (at most 100) with Karpenter's cross-field rules. */
export const requirementListSchema = withRules(z.array(requirementSchema).max(100), requirementListRules);

/** A NodeClaim requirement list (at most 100): the same cross-field rules, NodeClaim key rules. */
export const nodeClaimRequirementListSchema = withRules(z.array(nodeClaimRequirementSchema).max(100), requirementListRules);

/** karpenter.sh/v1 NodeClassReference: group, kind and name, all non-empty. */
export const nodeClassRefSchema = z.strictObject({
  group: z.string().min(1, { message: 'group may not be empty: set it to the node class API group, e.g. "karpenter.k8s.aws"' }).regex(/^[^/]*$/, { message: 'group must not contain "/": give the API group only, without a version' }),
  kind: z.string().min(1, { message: 'kind may not be empty: set it to the node class kind, e.g. "EC2NodeClass"' }),
  name: z.string().min(1, { message: 'name may not be empty: set it to the name of the node class object' }),
});

/** metav1.Condition as Karpenter's status conditions use it. */
export const conditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  observedGeneration: z.int().min(0).optional(),
  lastTransitionTime: timestampSchema,
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** core/v1 NodeSelectorRequirement (v1alpha5 Provisioner requirements, no minValues). */
export const nodeSelectorRequirementSchema = z.strictObject({
  key: labelKeySchema,
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
  values: z.array(labelValueSchema).optional(),
});

/** Inferred types. */
export type Quantity = z.output<typeof quantitySchema>;
export type ApiObjectMeta = z.output<typeof objectMetaSchema>;
export type ApiTaint = z.output<typeof taintSchema>;
export type Requirement = z.output<typeof requirementSchema>;
export type NodeClassReference = z.output<typeof nodeClassRefSchema>;
export type Condition = z.output<typeof conditionSchema>;
