/**
 * Warnings beyond the schema: what the API server accepts but will not do what the author meant. Checked on
 * documents that passed their schema, against the instance-type catalog and pending pods when given.
 *
 * - `unknown-label-value`: a value no instance type offers for a well-known label (capacity-type "spto").
 * - `deprecated-label`: a beta alias (`beta.kubernetes.io/arch`) where the stable label should be used.
 * - `no-instance-types`: requirements that leave no instance type of the catalog.
 * - `limits-unreachable`: a cpu/memory limit below the smallest allowed instance type: no node can launch.
 * - `no-pod-matches`: no given pending pod could use the pool (requirements or taints).
 * - `equal-weight-overlap`: two pools with equal weight whose requirements overlap: the choice is arbitrary.
 * - `budget-blocks-disruption`, `nodeclass-missing`, `deprecated-api`, `provider-field`.
 */
import type { Pod, Taint } from '../../core/types.js';
import { catalogCoverageFindings, catalogKeyName, indexedCatalogLabelValues } from '../../instancetypes/catalog-coverage.js';
import type { InstanceType } from '../../instancetypes/types.js';
import { toCanonicalAmount } from '../../quantity/convert.js';
import { Requirements } from '../../scheduling/requirements.js';
import { strictPodRequirements } from '../../scheduling/pod-requirements.js';
import { toleratesAll } from '../../scheduling/taints.js';
import { awsProviderSchema } from '../awsnodetemplate.js';
import type { Requirement } from '../common.js';
import {
  ARCHITECTURES,
  CAPACITY_TYPES,
  LABEL_ARCH,
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
  LABEL_OS,
  LABEL_TOPOLOGY_ZONE,
  NORMALIZED_LABELS,
  OPERATING_SYSTEMS,
  WELL_KNOWN_LABELS,
  normalizeLabelKey,
} from '../labels.js';
import type { NodePool } from '../nodepool.js';
import type { Provisioner } from '../provisioner.js';
import type { EC2NodeClass } from '../ec2nodeclass.js';
import { describeIssue, didYouMean } from './messages.js';
import type { Severity } from './types.js';

/** A semantic finding before positions are attached. */
export interface SemanticFinding {
  document: number;
  severity: Severity;
  code: string;
  path: (string | number)[];
  message: string;
  onKey?: boolean;
  /** The replacement an editor's quick fix writes (see `ValidationIssue.suggestion`). */
  suggestion?: string;
}

/** A pool-like object: a NodePool, or a Provisioner seen through its v1 meaning. */
interface Pool {
  document: number;
  name: string;
  kindName: string;
  /** Path prefix of the requirements list. */
  requirementsPath: (string | number)[];
  requirements: readonly Requirement[];
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  weight: number;
  limits: Readonly<Record<string, string | number>>;
  limitsPath: (string | number)[];
}

/** A checked Karpenter document as `semanticFindings` needs it. */
export interface CheckedDocument {
  document: number;
  kind: string;
  value: unknown;
}

/** Inputs of `semanticFindings`. */
export interface SemanticInput {
  documents: readonly CheckedDocument[];
  catalog?: readonly InstanceType[] | undefined;
  /** How messages name the catalog (`aws.yaml`); `the given catalog` when absent. */
  catalogName?: string | undefined;
  pods: readonly Pod[];
}

function poolOf(d: CheckedDocument): Pool | undefined {
  if (d.kind === 'NodePool') {
    const np = d.value as NodePool;
    return {
      document: d.document,
      name: np.metadata.name ?? '',
      kindName: `NodePool "${np.metadata.name ?? ''}"`,
      requirementsPath: ['spec', 'template', 'spec', 'requirements'],
      requirements: np.spec.template.spec.requirements,
      labels: np.spec.template.metadata?.labels ?? {},
      taints: np.spec.template.spec.taints ?? [],
      weight: np.spec.weight ?? 0,
      limits: np.spec.limits ?? {},
      limitsPath: ['spec', 'limits'],
    };
  }
  if (d.kind === 'Provisioner') {
    const p = d.value as Provisioner;
    return {
      document: d.document,
      name: p.metadata.name ?? '',
      kindName: `Provisioner "${p.metadata.name ?? ''}"`,
      requirementsPath: ['spec', 'requirements'],
      requirements: p.spec.requirements ?? [],
      labels: p.spec.labels ?? {},
      taints: p.spec.taints ?? [],
      weight: p.spec.weight ?? 0,
      limits: p.spec.limits?.resources ?? {},
      limitsPath: ['spec', 'limits', 'resources'],
    };
  }
  return undefined;
}

/** Values of well-known labels that need no catalog to check. */
const STATIC_VALUES: Readonly<Record<string, readonly string[]>> = {
  [LABEL_CAPACITY_TYPE]: CAPACITY_TYPES,
  [LABEL_ARCH]: ARCHITECTURES,
  [LABEL_OS]: OPERATING_SYSTEMS,
};

/** The pool's requirements restricted to labels instance types define (others only label the node). */
function instanceRequirements(pool: Pool, offered: ReadonlyMap<string, ReadonlySet<string>>): Requirements {
  const relevant = pool.requirements.filter((r) => offered.has(normalizeLabelKey(r.key)) || WELL_KNOWN_LABELS.includes(normalizeLabelKey(r.key)));
  return Requirements.fromNodeSelectorRequirements(relevant);
}

/** Instance types (with the offering that matched) allowed by the pool's requirements. */
function allowedTypes(pool: Pool, catalog: readonly InstanceType[], offered: ReadonlyMap<string, ReadonlySet<string>>): InstanceType[] {
  const reqs = instanceRequirements(pool, offered);
  return catalog.filter((it) =>
    it.offerings.some((o) => {
      const labels = { ...it.labels, [LABEL_INSTANCE_TYPE]: it.name, [LABEL_TOPOLOGY_ZONE]: o.zone, [LABEL_CAPACITY_TYPE]: o.capacityType };
      return reqs.matchLabels(labels) === undefined;
    }),
  );
}

function labelValueFindings(pool: Pool, catalog: readonly InstanceType[] | undefined, catalogName: string): SemanticFinding[] {
  const out: SemanticFinding[] = [];
  pool.requirements.forEach((r, i) => {
    const key = normalizeLabelKey(r.key);
    if (NORMALIZED_LABELS[r.key]) {
      out.push({ document: pool.document, severity: 'info', code: 'deprecated-label', path: [...pool.requirementsPath, i, 'key'], message: `"${r.key}" is deprecated: use "${key}", which Karpenter treats the same` });
    }
  });
  if (catalog?.length) {
    // Values and keys the catalog has not got: the shared rule of simulate and validate.
    for (const f of catalogCoverageFindings(pool.requirements, catalog, catalogName)) {
      const at = f.valueIndex !== undefined ? ['values', f.valueIndex] : ['key'];
      out.push({ document: pool.document, severity: 'warning', code: f.code, path: [...pool.requirementsPath, f.requirementIndex, ...at], message: f.message, ...(f.suggestion !== undefined ? { suggestion: f.suggestion } : {}) });
    }
    return out;
  }
  pool.requirements.forEach((r, i) => {
    const key = normalizeLabelKey(r.key);
    if (r.operator !== 'In' && r.operator !== 'NotIn') return;
    const known = STATIC_VALUES[key];
    if (!known) return;
    (r.values ?? []).forEach((v, j) => {
      if (known.includes(v)) return;
      const m = didYouMean(v, known) ?? known.find((k) => k.toLowerCase() === v.toLowerCase());
      out.push({
        document: pool.document,
        severity: 'warning',
        code: 'unknown-label-value',
        path: [...pool.requirementsPath, i, 'values', j],
        message: `${catalogKeyName(key)} '${v}' is not offered${m ? `; did you mean '${m}'?` : ''} (Karpenter knows ${known.join(', ')}; pass --catalog to check zones and instance types too)`,
        ...(m !== undefined ? { suggestion: m } : {}),
      });
    });
  });
  return out;
}

function capacityOf(it: InstanceType, resource: string): number | undefined {
  return it.capacity[resource];
}

function limitFindings(pool: Pool, allowed: readonly InstanceType[]): SemanticFinding[] {
  const out: SemanticFinding[] = [];
  if (!allowed.length) return out;
  for (const [resource, raw] of Object.entries(pool.limits)) {
    let limit: number;
    try {
      limit = toCanonicalAmount(resource, raw);
    } catch {
      continue;
    }
    if (resource === 'nodes') {
      if (limit === 0) {
        out.push({ document: pool.document, severity: 'warning', code: 'limits-unreachable', path: [...pool.limitsPath, resource], message: `limit nodes is 0: ${pool.kindName} can never launch a node; raise it or remove it` });
      }
      continue;
    }
    const caps = allowed.map((it) => capacityOf(it, resource)).filter((c): c is number => c !== undefined);
    if (!caps.length) continue;
    const smallest = Math.min(...caps);
    if (limit < smallest) {
      out.push({
        document: pool.document,
        severity: 'warning',
        code: 'limits-unreachable',
        path: [...pool.limitsPath, resource],
        message: `limit ${resource} ${String(raw)} is below the smallest allowed instance type's capacity: ${pool.kindName} can never launch a node; raise the limit or allow smaller instance types`,
      });
    }
  }
  return out;
}

function podFinding(pool: Pool, pods: readonly Pod[]): SemanticFinding | undefined {
  const pending = pods.filter((p) => !p.spec.nodeName);
  if (!pending.length) return undefined;
  const node = Requirements.fromNodeSelectorRequirements(pool.requirements).intersect(Requirements.fromLabels(pool.labels));
  const wellKnown = (k: string) => WELL_KNOWN_LABELS.includes(k);
  const fits = pending.some((pod) => node.compatible(strictPodRequirements(pod), wellKnown) === undefined && toleratesAll(pod.spec.tolerations, pool.taints));
  if (fits) return undefined;
  return {
    document: pool.document,
    severity: 'warning',
    code: 'no-pod-matches',
    path: ['spec'],
    message: `no pending pod could use ${pool.kindName}: their node selectors, affinities or tolerations rule it out; check its requirements, labels and taints`,
  };
}

function overlapFindings(pools: readonly Pool[]): SemanticFinding[] {
  const out: SemanticFinding[] = [];
  for (let i = 0; i < pools.length; i++) {
    for (let j = i + 1; j < pools.length; j++) {
      const a = pools[i]!;
      const b = pools[j]!;
      if (a.weight !== b.weight) continue;
      const ra = Requirements.fromNodeSelectorRequirements(a.requirements).intersect(Requirements.fromLabels(a.labels));
      const rb = Requirements.fromNodeSelectorRequirements(b.requirements).intersect(Requirements.fromLabels(b.labels));
      if (ra.intersects(rb) !== undefined) continue;
      if (a.taints.length !== b.taints.length) continue;
      out.push({
        document: b.document,
        severity: 'warning',
        code: 'equal-weight-overlap',
        path: ['spec'],
        message: `${b.kindName} and ${a.kindName} have the same weight (${a.weight}) and overlapping requirements: which one a pod gets is arbitrary; give the preferred one a higher weight`,
      });
    }
  }
  return out;
}

/** All semantic findings of the checked documents. */
export function semanticFindings(input: SemanticInput): SemanticFinding[] {
  const out: SemanticFinding[] = [];
  const offered = input.catalog?.length ? indexedCatalogLabelValues(input.catalog) : undefined;
  const catalogName = input.catalogName ?? 'the given catalog';
  const pools = input.documents.map(poolOf).filter((p): p is Pool => p !== undefined);
  const nodeClasses = input.documents.filter((d) => d.kind === 'EC2NodeClass').map((d) => (d.value as EC2NodeClass).metadata.name);

  for (const pool of pools) {
    out.push(...labelValueFindings(pool, input.catalog, catalogName));
    if (input.catalog?.length && offered) {
      const allowed = allowedTypes(pool, input.catalog, offered);
      if (!allowed.length) {
        out.push({ document: pool.document, severity: 'warning', code: 'no-instance-types', path: pool.requirementsPath, message: `no instance type of the catalog (${catalogName}) satisfies the requirements of ${pool.kindName}: widen them (e.g. more instance types, zones or capacity types)` });
      }
      out.push(...limitFindings(pool, allowed));
    }
    const f = podFinding(pool, input.pods);
    if (f) out.push(f);
  }
  out.push(...overlapFindings(pools));

  for (const d of input.documents) {
    if (d.kind === 'NodePool') {
      const np = d.value as NodePool;
      (np.spec.disruption?.budgets ?? []).forEach((b, i) => {
        if ((b.nodes === '0' || b.nodes === '0%') && b.schedule === undefined) {
          out.push({ document: d.document, severity: 'info', code: 'budget-blocks-disruption', path: ['spec', 'disruption', 'budgets', i, 'nodes'], message: 'a budget of 0 nodes without a schedule blocks all voluntary disruption (consolidation, drift, emptiness) at all times; add a schedule and duration if that is not intended' });
        }
      });
      const ref = np.spec.template.spec.nodeClassRef;
      if (nodeClasses.length && ref.kind === 'EC2NodeClass' && !nodeClasses.includes(ref.name)) {
        out.push({ document: d.document, severity: 'warning', code: 'nodeclass-missing', path: ['spec', 'template', 'spec', 'nodeClassRef', 'name'], message: `EC2NodeClass "${ref.name}" is not in this file (it has ${nodeClasses.map((n) => `"${n}"`).join(', ')}): the NodePool stays not ready until it exists` });
      }
    }
    if (d.kind === 'Provisioner' || d.kind === 'AWSNodeTemplate') {
      out.push({ document: d.document, severity: 'info', code: 'deprecated-api', path: ['apiVersion'], message: `${d.kind} is a pre-v1 API: run "karpenter-ts convert" to get the v1 ${d.kind === 'Provisioner' ? 'NodePool and EC2NodeClass' : 'EC2NodeClass'}` });
    }
    if (d.kind === 'Provisioner') {
      const provider = (d.value as Provisioner).spec.provider;
      if (provider) {
        const r = awsProviderSchema.safeParse(provider);
        if (!r.success) {
          for (const issue of r.error.issues) {
            const described = describeIssue(issue, awsProviderSchema, provider);
            out.push({ document: d.document, severity: 'warning', code: 'provider-field', path: ['spec', 'provider', ...described.path], message: `provider: ${described.message}`, onKey: described.onKey, ...(described.suggestion !== undefined ? { suggestion: described.suggestion } : {}) });
          }
        }
      }
    }
  }
  return out;
}
