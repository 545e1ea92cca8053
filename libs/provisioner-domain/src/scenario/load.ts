/**
 * `loadScenario`: docs/scenario.md scenario files in, a checked `Scenario` (or every issue) out. Pure: the caller
 * reads the files.
 */
import { applyNodePoolDefaults, provisionerToNodePool, type NodePool } from '../apis/index.js';
import { catalogCoverageFindings, catalogLabelValues, defaultCatalog, isInstanceTypeCatalogDocument, type CatalogSource } from '../instancetypes/index.js';
import type { InstanceType } from '../instancetypes/types.js';
import { collectDocument, type Collected } from './collect.js';
import { scenarioTimestamp } from './hash.js';
import type { LoadScenarioOptions, LoadScenarioResult, Scenario, ScenarioFile, ScenarioIssue } from './types.js';
import { issueAt, readDocuments, type FieldPath } from './yaml-documents.js';

/** `spec.provider.launchTemplate` / `spec.requirements[2]` → field path segments. */
export function parseFieldPath(text: string): FieldPath {
  const out: (string | number)[] = [];
  for (const part of text.split('.')) {
    const m = /^([^[]*)((\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out.filter((p) => p !== '');
}

function emptyCollected(): Collected {
  let n = 0;
  return {
    nodePools: [],
    provisioners: [],
    nodeTemplates: [],
    nodeClasses: [],
    catalogs: [],
    pods: [],
    daemonSets: [],
    nodes: [],
    persistentVolumes: [],
    persistentVolumeClaims: [],
    generatedClaims: [],
    storageClasses: [],
    podDisruptionBudgets: [],
    namespaces: [],
    limitRanges: [],
    seen: new Map(),
    issues: [],
    timestamp: () => scenarioTimestamp(n++),
  };
}

function convertProvisioners(c: Collected): NodePool[] {
  const pools = c.nodePools.map((np) => applyNodePoolDefaults(np.value));
  for (const p of c.provisioners) {
    const { nodePool, nodeClass, warnings } = provisionerToNodePool(p.value, { nodeTemplates: c.nodeTemplates });
    for (const w of warnings) c.issues.push(issueAt(p.origin.doc, [...p.origin.base, ...parseFieldPath(w.path)], 'warning', w.code, w.message));
    const name = nodePool.metadata.name;
    if (pools.some((np) => np.metadata.name === name)) {
      c.issues.push(issueAt(p.origin.doc, [...p.origin.base, 'metadata', 'name'], 'error', 'duplicate-object', `Provisioner ${name} converts to NodePool ${name}, which is also defined: rename one`));
      continue;
    }
    pools.push(applyNodePoolDefaults(nodePool));
    if (nodeClass && !c.nodeClasses.some((nc) => nc.metadata.name === nodeClass.metadata.name)) c.nodeClasses.push(nodeClass);
  }
  return pools;
}

function mergeCatalogs(c: Collected): InstanceType[] {
  const out: InstanceType[] = [];
  for (const catalog of c.catalogs) {
    catalog.instanceTypes.forEach((it, i) => {
      if (out.some((o) => o.name === it.name)) {
        c.issues.push(issueAt(catalog.origin.doc, [...catalog.origin.base, 'instanceTypes', i, 'name'], 'error', 'duplicate-object', `instance type ${it.name} is defined by another InstanceTypeCatalog too: keep one`));
        return;
      }
      out.push(it);
    });
  }
  return out;
}

/** The name people read for the catalog in use: the built-in one, or the files its documents came from. */
export const BUILT_IN_CATALOG_NAME = 'built-in simulated';

function catalogSourceOf(c: Collected): CatalogSource {
  if (c.catalogs.length === 0) return { name: BUILT_IN_CATALOG_NAME };
  const name = [...new Set(c.catalogs.map((k) => k.origin.doc.file))].join(', ');
  const pricesAsOf = c.catalogs.find((k) => k.pricesAsOf !== undefined)?.pricesAsOf;
  return pricesAsOf !== undefined ? { name, pricesAsOf } : { name };
}

/** Warnings for NodePool and Provisioner requirements whose keys or values the catalog has not got. */
function checkCatalogCoverage(c: Collected, catalog: readonly InstanceType[], source: CatalogSource): void {
  const values = catalogLabelValues(catalog);
  const check = (requirements: readonly { key: string; operator: string; values?: string[] | undefined }[], origin: Collected['nodePools'][number]['origin'], path: readonly (string | number)[]) => {
    for (const f of catalogCoverageFindings(requirements, catalog, source.name, values)) {
      const at = [...origin.base, ...path, f.requirementIndex, ...(f.valueIndex !== undefined ? ['values', f.valueIndex] : ['key'])];
      c.issues.push(issueAt(origin.doc, at, 'warning', f.code, f.message));
    }
  };
  for (const np of c.nodePools) check(np.value.spec.template.spec.requirements, np.origin, ['spec', 'template', 'spec', 'requirements']);
  for (const p of c.provisioners) check(p.value.spec.requirements ?? [], p.origin, ['spec', 'requirements']);
}

function checkNodes(c: Collected): void {
  const names = new Set(c.nodes.map((n) => n.value.metadata.name));
  for (const { value: pod, origin } of c.pods) {
    const nodeName = pod.spec.nodeName;
    if (nodeName && !names.has(nodeName)) {
      c.issues.push(issueAt(origin.doc, [...origin.base, 'spec', 'nodeName'], 'error', 'unknown-node', `pod ${pod.metadata.namespace}/${pod.metadata.name} runs on node ${nodeName}, which is not in the scenario: add a Node named ${nodeName} or remove spec.nodeName`));
    }
  }
  for (const { value: node, origin } of c.nodes) {
    if (!node.status?.allocatable && !node.status?.capacity) {
      c.issues.push(issueAt(origin.doc, [...origin.base, 'status'], 'warning', 'node-without-allocatable', `node ${node.metadata.name} has no status.allocatable, so it takes no pods: add e.g. status: {allocatable: {cpu: "4", memory: 16Gi, pods: "110"}}`));
    }
  }
}

function sortIssues(issues: ScenarioIssue[], files: readonly ScenarioFile[]): ScenarioIssue[] {
  const order = new Map(files.map((f, i) => [f.name, i]));
  return [...issues].sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.document - b.document || a.line - b.line || a.column - b.column);
}

/**
 * Reads scenario files (docs/scenario.md): multi-document YAML of NodePool (karpenter.sh/v1, Karpenter's defaults
 * applied), Provisioner (v1alpha5, converted with `provisionerToNodePool`, its AWSNodeTemplate when given),
 * EC2NodeClass, InstanceTypeCatalog (at most one entry per type name across documents; without any,
 * `defaultCatalog()`), Pod, Deployment / ReplicaSet / StatefulSet / Job (expanded to pods, see workloads.ts),
 * DaemonSet, Node, PersistentVolume, PersistentVolumeClaim, StorageClass, PodDisruptionBudget, Namespace, LimitRange, and
 * `kind: List` of those. Unknown kinds are warnings. Pods get namespace `default` when unset, a uid derived
 * from their name when unset, and creation times in load order when unset; pods in phase Succeeded/Failed are
 * kept (the simulation lists pending ones as skipped and leaves bound ones off their node).
 * `options.catalogFiles` (the CLI's `--catalog`) add InstanceTypeCatalog documents read first.
 * NodePool and Provisioner requirements on keys or values the catalog has not got are warnings
 * (`catalogCoverageFindings`): the catalog, not the NodePool, then limits what a simulation can launch.
 *
 * Returns `{ok: true, scenario}` (warnings in `scenario.warnings`) when there is no error, else `{ok: false,
 * issues}` with every error and warning, sorted by file (input order), document, line and column. Errors:
 * YAML syntax, schema violations (NodePool/Provisioner/EC2NodeClass CRD rules, core fields, quantities),
 * duplicate objects, selector/template mismatches, pods on undefined nodes. Never throws on bad input.
 */
export function loadScenario(files: readonly ScenarioFile[], options: LoadScenarioOptions = {}): LoadScenarioResult {
  const c = emptyCollected();
  for (const file of options.catalogFiles ?? []) {
    for (const doc of readDocuments(file, c.issues)) {
      if (isInstanceTypeCatalogDocument(doc.value)) collectDocument(doc.value, { doc, base: [] }, c);
      else c.issues.push(issueAt(doc, ['kind'], 'error', 'not-a-catalog', 'a --catalog file holds InstanceTypeCatalog documents only (apiVersion: karpenter-ts.io/v1alpha1, kind: InstanceTypeCatalog); pass other objects as scenario files'));
    }
  }
  for (const file of files) {
    for (const doc of readDocuments(file, c.issues)) collectDocument(doc.value, { doc, base: [] }, c);
  }
  const nodePools = convertProvisioners(c);
  const catalogTypes = mergeCatalogs(c);
  const instanceTypes = c.catalogs.length > 0 ? catalogTypes : defaultCatalog();
  const catalog = catalogSourceOf(c);
  checkCatalogCoverage(c, instanceTypes, catalog);
  checkNodes(c);
  const issues = sortIssues(c.issues, [...(options.catalogFiles ?? []), ...files]);
  if (issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  const given = new Set(c.persistentVolumeClaims.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
  const scenario: Scenario = {
    nodePools,
    nodeClasses: c.nodeClasses,
    instanceTypes,
    catalogSource: c.catalogs.length > 0 ? 'document' : 'default',
    catalog,
    pods: c.pods.map((p) => p.value),
    daemonSets: c.daemonSets,
    nodes: c.nodes.map((n) => n.value),
    persistentVolumes: c.persistentVolumes,
    persistentVolumeClaims: [...c.persistentVolumeClaims, ...c.generatedClaims.filter((p) => !given.has(`${p.metadata.namespace}/${p.metadata.name}`))],
    storageClasses: c.storageClasses,
    podDisruptionBudgets: c.podDisruptionBudgets,
    namespaces: c.namespaces,
    limitRanges: c.limitRanges,
    warnings: issues,
  };
  return { ok: true, scenario };
}
