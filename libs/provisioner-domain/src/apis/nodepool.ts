/**
 * karpenter.sh/v1 NodePool: the zod schema (every field and CRD rule of Karpenter's NodePool) and its type.
 * Defaults live in `nodepool.defaults.ts`, cross-field rules in `nodepool.validation.ts`.
 */
import { z } from 'zod';
import {
  conditionSchema,
  nodeClassRefSchema,
  objectMetaSchema,
  requirementListSchema,
  resourceListSchema,
  taintSchema,
  templateLabelsSchema,
} from './common.js';
import { BUDGET_DURATION_PATTERN, DURATION_PATTERN, NILLABLE_DURATION_PATTERN } from './duration.js';
import {
  DEFAULT_BUDGET_NODES,
  DEFAULT_BUDGETS,
  DEFAULT_CONSOLIDATION_POLICY,
  DEFAULT_DISRUPTION,
  DEFAULT_EXPIRE_AFTER,
} from './nodepool.defaults.js';
import { budgetListRules, nodePoolSpecRules, nodeClassRefRules } from './nodepool.validation.js';
import { withRules } from './rules.js';

const nillableDuration = z.string().regex(new RegExp(NILLABLE_DURATION_PATTERN), {
  message: 'must be a duration such as "30s", "10m", "720h" or "1h30m", or "Never"',
});

/** Budget cron schedule: a macro (`@daily`) or five space-separated fields. */
export const BUDGET_SCHEDULE_PATTERN = '^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\\s(.+)\\s(.+)\\s(.+)\\s(.+))$';
/** Budget nodes: an integer count or a percentage 0-100%. */
export const BUDGET_NODES_PATTERN = '^((100|[0-9]{1,2})%|[0-9]+)$';

/** Reasons a budget may be limited to. */
export const disruptionReasonSchema = z.enum(['Underutilized', 'Empty', 'Drifted']);

/** One disruption budget. */
export const budgetSchema = z.strictObject({
  reasons: z.array(disruptionReasonSchema).max(50).optional(),
  nodes: z
    .string()
    .regex(new RegExp(BUDGET_NODES_PATTERN), { message: 'must be a node count such as "5" or a percentage from "0%" to "100%"' })
    .meta({ default: DEFAULT_BUDGET_NODES })
    .optional(),
  schedule: z
    .string()
    .regex(new RegExp(BUDGET_SCHEDULE_PATTERN), { message: 'must be a cron schedule with five fields such as "0 9 * * mon-fri", or a macro such as "@daily"' })
    .optional(),
  duration: z
    .string()
    .regex(new RegExp(BUDGET_DURATION_PATTERN), { message: 'must be whole hours and/or minutes such as "8h", "30m" or "1h30m" (cron has no seconds)' })
    .optional(),
});

/** spec.disruption. */
export const disruptionSchema = z.strictObject({
  consolidateAfter: nillableDuration,
  consolidationPolicy: z.enum(['WhenEmpty', 'WhenEmptyOrUnderutilized']).meta({ default: DEFAULT_CONSOLIDATION_POLICY }).optional(),
  budgets: withRules(z.array(budgetSchema).max(50), budgetListRules)
    .meta({ default: DEFAULT_BUDGETS })
    .optional(),
});

/** spec.template.spec: what every NodeClaim of the pool starts from. */
export const nodeClaimTemplateSpecSchema = z.strictObject({
  taints: z.array(taintSchema).optional(),
  startupTaints: z.array(taintSchema).optional(),
  requirements: requirementListSchema,
  nodeClassRef: withRules(nodeClassRefSchema, nodeClassRefRules),
  terminationGracePeriod: z
    .string()
    .regex(new RegExp(DURATION_PATTERN), { message: 'must be a duration such as "30s", "10m" or "48h" ("Never" is not allowed here; omit the field to wait forever)' })
    .optional(),
  expireAfter: nillableDuration.meta({ default: DEFAULT_EXPIRE_AFTER }).optional(),
});

/** spec.template. */
export const nodeClaimTemplateSchema = z.strictObject({
  metadata: z
    .strictObject({
      labels: templateLabelsSchema.optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  spec: nodeClaimTemplateSpecSchema,
});

/** NodePool spec. */
export const nodePoolSpecSchema = withRules(
  z.strictObject({
    template: nodeClaimTemplateSchema,
    disruption: disruptionSchema.meta({ default: DEFAULT_DISRUPTION }).optional(),
    limits: resourceListSchema.optional(),
    weight: z.int().min(1).max(100).optional(),
    replicas: z.int().min(0).optional(),
  }),
  nodePoolSpecRules,
);

/** NodePool status, written by the controller. */
export const nodePoolStatusSchema = z.looseObject({
  resources: resourceListSchema.optional(),
  nodes: z.int().optional(),
  conditions: z.array(conditionSchema).optional(),
});

/** A karpenter.sh/v1 NodePool manifest. */
export const nodePoolSchema = z.strictObject({
  apiVersion: z.literal('karpenter.sh/v1'),
  kind: z.literal('NodePool'),
  metadata: objectMetaSchema,
  spec: nodePoolSpecSchema,
  status: nodePoolStatusSchema.optional(),
});

/** A karpenter.sh/v1 NodePool as its JSON (camelCase), defaults not applied. */
export type NodePool = z.output<typeof nodePoolSchema>;
export type NodePoolSpec = z.output<typeof nodePoolSpecSchema>;
export type Disruption = z.output<typeof disruptionSchema>;
export type Budget = z.output<typeof budgetSchema>;
export type NodeClaimTemplate = z.output<typeof nodeClaimTemplateSchema>;
export type NodeClaimTemplateSpec = z.output<typeof nodeClaimTemplateSpecSchema>;
export type DisruptionReason = z.output<typeof disruptionReasonSchema>;
export type ConsolidationPolicy = NonNullable<Disruption['consolidationPolicy']>;
