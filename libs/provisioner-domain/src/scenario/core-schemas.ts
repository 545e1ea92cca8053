/**
 * zod schemas for the Kubernetes objects a scenario may hold (core/v1, apps/v1, batch/v1, policy/v1,
 * storage/v1), covering exactly the fields the domain reads (see core/types.ts) with the API's types and enums.
 * Objects are loose: fields the domain does not read (status of a pod, managedFields, ...) are kept and not
 * checked, so `kubectl get -o yaml` output loads. Quantities are checked with the domain's exact parser.
 */
import { z } from 'zod';
import { objectMetaSchema } from '../apis/index.js';
import { tryParseQuantity } from '../quantity/index.js';

const quantity = z.union([z.string(), z.number()]).superRefine((value, ctx) => {
  if (tryParseQuantity(value) === undefined) {
    ctx.addIssue({ code: 'custom', message: `invalid quantity ${JSON.stringify(value)}: write a Kubernetes quantity such as "500m", "2" or "4Gi"`, params: { code: 'invalid-quantity' } });
  }
});
const quantityMap = z.record(z.string(), quantity);
const stringMap = z.record(z.string(), z.string());

/** metadata with a required non-empty `name` (or `generateName`, for pods). */
export const namedMetaSchema = objectMetaSchema.superRefine((meta, ctx) => {
  if (!meta.name && !meta.generateName) ctx.addIssue({ code: 'custom', path: ['name'], message: '"metadata.name" is required: give the object a name', params: { code: 'required' } });
});

export const labelSelectorSchema = z.looseObject({
  matchLabels: stringMap.optional(),
  matchExpressions: z
    .array(z.looseObject({ key: z.string(), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: z.array(z.string()).optional() }))
    .optional(),
});

const nodeSelectorRequirement = z.looseObject({
  key: z.string().min(1),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte']),
  values: z.array(z.string()).optional(),
});
const nodeSelectorTerm = z.looseObject({ matchExpressions: z.array(nodeSelectorRequirement).optional(), matchFields: z.array(nodeSelectorRequirement).optional() });
export const nodeSelectorSchema = z.looseObject({ nodeSelectorTerms: z.array(nodeSelectorTerm) });

const podAffinityTerm = z.looseObject({
  labelSelector: labelSelectorSchema.optional(),
  namespaces: z.array(z.string()).optional(),
  namespaceSelector: labelSelectorSchema.optional(),
  topologyKey: z.string().min(1, { message: 'topologyKey may not be empty: use e.g. kubernetes.io/hostname or topology.kubernetes.io/zone' }),
  matchLabelKeys: z.array(z.string()).optional(),
  mismatchLabelKeys: z.array(z.string()).optional(),
});
const podAffinity = z.looseObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(podAffinityTerm).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(z.looseObject({ weight: z.int().min(1).max(100), podAffinityTerm })).optional(),
});
const affinity = z.looseObject({
  nodeAffinity: z
    .looseObject({
      requiredDuringSchedulingIgnoredDuringExecution: nodeSelectorSchema.optional(),
      preferredDuringSchedulingIgnoredDuringExecution: z.array(z.looseObject({ weight: z.int().min(1).max(100), preference: nodeSelectorTerm })).optional(),
    })
    .optional(),
  podAffinity: podAffinity.optional(),
  podAntiAffinity: podAffinity.optional(),
});

const taintEffect = z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
export const taintSchema = z.looseObject({ key: z.string().min(1), value: z.string().optional(), effect: taintEffect });
const toleration = z.looseObject({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.union([taintEffect, z.literal('')]).optional(),
  tolerationSeconds: z.int().optional(),
});
const topologySpreadConstraint = z.looseObject({
  maxSkew: z.int().min(1, { message: 'maxSkew must be at least 1' }),
  topologyKey: z.string().min(1),
  whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway']),
  labelSelector: labelSelectorSchema.optional(),
  minDomains: z.int().min(1).optional(),
  nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).optional(),
  nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).optional(),
  matchLabelKeys: z.array(z.string()).optional(),
});
const container = z.looseObject({
  name: z.string().min(1, { message: 'container name may not be empty' }),
  image: z.string().optional(),
  resources: z.looseObject({ requests: quantityMap.optional(), limits: quantityMap.optional() }).optional(),
  ports: z
    .array(
      z.looseObject({
        containerPort: z.int().min(1).max(65535),
        hostPort: z.int().min(0).max(65535).optional(),
        hostIP: z.string().optional(),
        protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
        name: z.string().optional(),
      }),
    )
    .optional(),
  restartPolicy: z.literal('Always').optional(),
});
const pvcSpec = z.looseObject({
  storageClassName: z.string().nullable().optional(),
  volumeName: z.string().optional(),
  accessModes: z.array(z.string()).optional(),
  resources: z.looseObject({ requests: quantityMap.optional(), limits: quantityMap.optional() }).optional(),
});
const volume = z.looseObject({
  name: z.string().min(1),
  persistentVolumeClaim: z.looseObject({ claimName: z.string().min(1), readOnly: z.boolean().optional() }).optional(),
  ephemeral: z.looseObject({ volumeClaimTemplate: z.looseObject({ spec: pvcSpec.optional() }).optional() }).optional(),
});

export const podSpecSchema = z.looseObject({
  nodeName: z.string().optional(),
  nodeSelector: stringMap.optional(),
  affinity: affinity.optional(),
  tolerations: z.array(toleration).optional(),
  topologySpreadConstraints: z.array(topologySpreadConstraint).optional(),
  containers: z.array(container).min(1),
  initContainers: z.array(container).optional(),
  overhead: quantityMap.optional(),
  priority: z.int().optional(),
  priorityClassName: z.string().optional(),
  schedulerName: z.string().optional(),
  volumes: z.array(volume).optional(),
  hostNetwork: z.boolean().optional(),
  terminationGracePeriodSeconds: z.int().optional(),
});

const podTemplate = z.looseObject({ metadata: objectMetaSchema.optional(), spec: podSpecSchema });

export const podSchema = z.looseObject({
  metadata: namedMetaSchema,
  spec: podSpecSchema,
  status: z.looseObject({ phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional() }).optional(),
});

/** Most pods one workload of a scenario may expand to: far above any real batch, low enough to stay in memory. */
export const MAX_WORKLOAD_PODS = 100_000;
const replicas = z
  .int()
  .min(0, { message: 'replicas may not be negative' })
  .max(MAX_WORKLOAD_PODS, { message: `a simulation expands at most ${MAX_WORKLOAD_PODS} pods per workload: lower it` });

export const deploymentSchema = z.looseObject({
  metadata: namedMetaSchema,
  spec: z.looseObject({ replicas: replicas.optional(), selector: labelSelectorSchema, template: podTemplate }),
});

export const statefulSetSchema = z.looseObject({
  metadata: namedMetaSchema,
  spec: z.looseObject({
    replicas: replicas.optional(),
    selector: labelSelectorSchema,
    template: podTemplate,
    volumeClaimTemplates: z.array(z.looseObject({ metadata: namedMetaSchema, spec: pvcSpec })).optional(),
  }),
});

export const jobSchema = z.looseObject({
  metadata: namedMetaSchema,
  spec: z.looseObject({
    parallelism: replicas.optional(),
    completions: replicas.optional(),
    completionMode: z.enum(['NonIndexed', 'Indexed']).optional(),
    selector: labelSelectorSchema.optional(),
    template: podTemplate,
  }),
});

export const daemonSetSchema = z.looseObject({
  metadata: namedMetaSchema,
  spec: z.looseObject({ selector: labelSelectorSchema.optional(), template: podTemplate }),
});

export const nodeSchema = z.looseObject({
  metadata: namedMetaSchema,
  spec: z.looseObject({ providerID: z.string().optional(), taints: z.array(taintSchema).optional(), unschedulable: z.boolean().optional() }).optional(),
  status: z
    .looseObject({
      capacity: quantityMap.optional(),
      allocatable: quantityMap.optional(),
      conditions: z.array(z.looseObject({ type: z.string(), status: z.enum(['True', 'False', 'Unknown']) })).optional(),
    })
    .optional(),
});

export const persistentVolumeSchema = z.looseObject({
  metadata: namedMetaSchema,
  spec: z.looseObject({
    storageClassName: z.string().optional(),
    nodeAffinity: z.looseObject({ required: nodeSelectorSchema.optional() }).optional(),
    claimRef: z.looseObject({ namespace: z.string().optional(), name: z.string().optional() }).optional(),
    capacity: quantityMap.optional(),
  }),
});

export const persistentVolumeClaimSchema = z.looseObject({ metadata: namedMetaSchema, spec: pvcSpec });

export const storageClassSchema = z.looseObject({
  metadata: namedMetaSchema,
  provisioner: z.string().min(1, { message: 'provisioner is required, e.g. ebs.csi.aws.com' }),
  volumeBindingMode: z.enum(['Immediate', 'WaitForFirstConsumer']).optional(),
  allowedTopologies: z
    .array(z.looseObject({ matchLabelExpressions: z.array(z.looseObject({ key: z.string(), values: z.array(z.string()) })).optional() }))
    .optional(),
});

const intOrPercent = z.union([z.int().min(0), z.string().regex(/^[0-9]+%$/, { message: 'must be an integer or a percentage such as "50%"' })]);
export const podDisruptionBudgetSchema = z.looseObject({
  metadata: namedMetaSchema,
  spec: z
    .looseObject({ selector: labelSelectorSchema.optional(), minAvailable: intOrPercent.optional(), maxUnavailable: intOrPercent.optional() })
    .superRefine((spec, ctx) => {
      if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['maxUnavailable'], message: 'minAvailable and maxUnavailable cannot both be set: keep one', params: { code: 'pdb-both-set' } });
      }
    }),
});

export const namespaceSchema = z.looseObject({ metadata: namedMetaSchema });

/** LimitRange: its `type: Container` items' `default` and `defaultRequest` are applied to pods before packing. */
export const limitRangeSchema = z.looseObject({
  metadata: namedMetaSchema,
  spec: z.looseObject({
    limits: z.array(
      z.looseObject({
        type: z.string(),
        default: quantityMap.optional(),
        defaultRequest: quantityMap.optional(),
        max: quantityMap.optional(),
        min: quantityMap.optional(),
        maxLimitRequestRatio: quantityMap.optional(),
      }),
    ),
  }),
});
