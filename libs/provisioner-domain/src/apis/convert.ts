/**
 * `convertFiles(files)`: manifest files with pre-v1 Karpenter objects rewritten as v1, as one YAML stream in input
 * order (other documents pass through unchanged), plus a warning for every field whose meaning changes or that
 * cannot be carried, located by file, document, line and column. Reads:
 * - karpenter.sh/v1alpha5 Provisioner and karpenter.k8s.aws/v1alpha1 AWSNodeTemplate (`conversion.ts`);
 * - karpenter.sh/v1beta1 NodePool and NodeClaim and karpenter.k8s.aws/v1beta1 EC2NodeClass (`conversion.v1beta1.ts`).
 * References resolve across all files (Provisioners in one file, AWSNodeTemplates in another). Kubelet settings move
 * from the pools to their node class; pools that share one but differ in kubelet settings get a node class each
 * (`conversion.kubelet.ts`). A node class is converted once however many pools refer to it, and every warning is
 * reported once per cause. Input with validation errors is not converted (the errors are returned instead).
 */
import { parseAllDocuments, stringify, type Document } from 'yaml';
import { awsNodeTemplateSchema } from './awsnodetemplate.js';
import { canonicalJson, planKubeletPlacement, type PoolKubelet } from './conversion.kubelet.js';
import { awsNodeTemplateToEC2NodeClass, conversionWarning, provisionerToNodePool, type ConversionOptions, type ConversionWarning } from './conversion.js';
import { v1beta1EC2NodeClassToV1, v1beta1NodeClaimToV1, v1beta1NodePoolToV1 } from './conversion.v1beta1.js';
import { ec2NodeClassSchema, type EC2NodeClass, type KubeletConfiguration } from './ec2nodeclass.js';
import { LABEL_NODEPOOL } from './labels.js';
import type { NodePool } from './nodepool.js';
import { provisionerSchema } from './provisioner.js';
import { v1beta1EC2NodeClassSchema, v1beta1NodeClaimSchema, v1beta1NodePoolSchema } from './v1beta1.js';
import { LineIndex, locateOffsets } from './validate/positions.js';
import { validate } from './validate/validate.js';
import type { ValidationIssue } from './validate/types.js';

/** One input file: a name for messages and its text. */
export interface ConvertInput {
  file: string;
  text: string;
}

/** A conversion warning located in its source: file, 0-based document index, 1-based line and column. */
export interface DocumentConversionWarning extends ConversionWarning {
  file: string;
  document: number;
  line: number;
  column: number;
}

/** A validation issue of an input file. */
export interface FileValidationIssue extends ValidationIssue {
  file: string;
}

/** The result of `convertFiles`. `yaml` is the converted stream; `objects` the same as values. */
export type ConvertFilesResult =
  | { ok: true; yaml: string; objects: unknown[]; warnings: DocumentConversionWarning[] }
  | { ok: false; issues: FileValidationIssue[] };

/** The result of `convert` (one file). */
export type ConvertResult = ConvertFilesResult;

interface Source {
  file: string;
  document: number;
  doc: Document;
  lines: LineIndex;
}

interface PoolItem {
  type: 'pool';
  nodePool: NodePool;
  kubelet?: KubeletConfiguration | undefined;
  /** True when the pool's node class was written with it (an inline v1alpha5 provider). */
  ownsNodeClass: boolean;
  source: Source;
}
interface ClassItem {
  type: 'class';
  nodeClass: EC2NodeClass;
  source: Source;
  /** True for a v1 EC2NodeClass of the input: written as given unless pools' kubelet settings must be placed on it. */
  alreadyV1?: boolean;
}
interface OtherItem {
  type: 'other';
  value: unknown;
}
type Item = PoolItem | ClassItem | OtherItem;

/** Converts one file's text; see `convertFiles`. */
export function convert(text: string, options: Pick<ConversionOptions, 'clusterName'> = {}): ConvertResult {
  return convertFiles([{ file: '', text }], options);
}

/** Converts files; see the module doc. `options.clusterName` fills discovery tags where a selector was missing. */
export function convertFiles(inputs: readonly ConvertInput[], options: Pick<ConversionOptions, 'clusterName'> = {}): ConvertFilesResult {
  const issues: FileValidationIssue[] = [];
  for (const { file, text } of inputs) {
    for (const i of validate(text, { acceptConvertible: true }).issues) if (i.severity === 'error') issues.push({ file, ...i });
  }
  if (issues.length) return { ok: false, issues };

  const warnings: DocumentConversionWarning[] = [];
  const seen = new Set<string>();
  const report = (source: Source, w: ConversionWarning) => {
    const key = JSON.stringify([source.file, source.document, w.code, w.path, w.message]);
    if (seen.has(key)) return;
    seen.add(key);
    const at = source.lines.position(locateOffsets(source.doc, w.fieldPath)[0]);
    warnings.push({ ...w, file: source.file, document: source.document, line: at.line, column: at.column });
  };

  // Read every document of every file first: NodeClaims need their NodePool, pools their node class.
  const parsed = inputs.map(({ file, text }) => ({ file, lines: new LineIndex(text), docs: parseAllDocuments(text) as Document[] }));
  const expireAfterOfPool = new Map<string, string>();
  for (const f of parsed) {
    for (const doc of f.docs) {
      const np = v1beta1NodePoolSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
      if (np.success && np.data.metadata.name) expireAfterOfPool.set(np.data.metadata.name, np.data.spec.disruption?.expireAfter ?? '720h');
    }
  }

  const items: Item[] = [];
  for (const f of parsed) {
    f.docs.forEach((doc, document) => {
      const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
      if (value === null || value === undefined) return;
      const source: Source = { file: f.file, document, doc, lines: f.lines };
      const p = provisionerSchema.safeParse(value);
      if (p.success) {
        const r = provisionerToNodePool(p.data, options);
        r.warnings.forEach((w) => report(source, w));
        items.push({ type: 'pool', nodePool: r.nodePool, kubelet: r.kubelet, ownsNodeClass: r.nodeClass !== undefined, source });
        if (r.nodeClass) items.push({ type: 'class', nodeClass: r.nodeClass, source });
        return;
      }
      const t = awsNodeTemplateSchema.safeParse(value);
      if (t.success) {
        const w: ConversionWarning[] = [];
        items.push({ type: 'class', nodeClass: awsNodeTemplateToEC2NodeClass(t.data, options, w), source });
        w.forEach((x) => report(source, x));
        return;
      }
      const np = v1beta1NodePoolSchema.safeParse(value);
      if (np.success) {
        const r = v1beta1NodePoolToV1(np.data);
        r.warnings.forEach((w) => report(source, w));
        items.push({ type: 'pool', nodePool: r.nodePool, kubelet: r.kubelet, ownsNodeClass: false, source });
        return;
      }
      const nc = v1beta1EC2NodeClassSchema.safeParse(value);
      if (nc.success) {
        const r = v1beta1EC2NodeClassToV1(nc.data);
        r.warnings.forEach((w) => report(source, w));
        items.push({ type: 'class', nodeClass: r.nodeClass, source });
        return;
      }
      const v1Class = ec2NodeClassSchema.safeParse(value);
      if (v1Class.success) {
        // Already v1 (converted earlier, or written by hand): converted pools may still point at it.
        items.push({ type: 'class', nodeClass: value as EC2NodeClass, source, alreadyV1: true });
        return;
      }
      const claim = v1beta1NodeClaimSchema.safeParse(value);
      if (claim.success) {
        const pool = claim.data.metadata.labels?.[LABEL_NODEPOOL];
        const expireAfter = pool !== undefined ? expireAfterOfPool.get(pool) : undefined;
        const r = v1beta1NodeClaimToV1(claim.data, expireAfter !== undefined ? { expireAfter } : {});
        r.warnings.forEach((w) => report(source, w));
        items.push({ type: 'other', value: r.nodeClaim });
        return;
      }
      items.push({ type: 'other', value });
    });
  }

  const objects = placeKubelets(items, report);
  const fileOrder = new Map(inputs.map((input, i) => [input.file, i]));
  warnings.sort((a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.document - b.document || a.line - b.line || a.column - b.column);
  const yaml = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  return { ok: true, yaml, objects, warnings };
}

/**
 * Moves the pools' kubelet settings onto their node classes (splitting a shared node class when the settings
 * differ), points each pool at its node class, and returns the output objects in input order.
 */
function placeKubelets(items: Item[], report: (source: Source, w: ConversionWarning) => void): unknown[] {
  const classes = new Map<string, ClassItem>();
  for (const i of items) if (i.type === 'class' && !classes.has(i.nodeClass.metadata.name ?? '')) classes.set(i.nodeClass.metadata.name ?? '', i);
  const pools = items.filter((i): i is PoolItem => i.type === 'pool' && !i.ownsNodeClass);
  const requests: PoolKubelet[] = pools.map((p) => ({ poolName: p.nodePool.metadata.name ?? '', nodeClassName: p.nodePool.spec.template.spec.nodeClassRef.name, kubelet: p.kubelet }));
  const plan = planKubeletPlacement(requests, new Set(classes.keys()));

  // Node classes that are not in the input: one warning per node class, at its first referrer.
  for (const [name, placed] of plan.bySource) {
    if (classes.has(name)) continue;
    const referrers = pools.filter((p) => p.nodePool.spec.template.spec.nodeClassRef.name === name);
    const first = referrers[0];
    if (!first) continue;
    const withKubelet = referrers.filter((p) => p.kubelet);
    const names = referrers.map((p) => p.nodePool.metadata.name).join(', ');
    report(
      first.source,
      conversionWarning(
        'conversion-node-class-missing',
        first.source.doc.getIn(['spec', 'providerRef']) !== undefined ? ['spec', 'providerRef'] : ['spec', 'template', 'spec', 'nodeClassRef'],
        `node class "${name}" (referred to by ${names}) was not in the input: convert it too, or create EC2NodeClass "${name}"` +
          (withKubelet.length ? `; its spec.kubelet must hold the kubelet settings of ${withKubelet.map((p) => p.nodePool.metadata.name).join(', ')}${placed.length > 1 ? ', which differ: one EC2NodeClass per setting' : ''}` : ''),
      ),
    );
    // Keep each pool pointing at the name the user will create.
    for (const p of referrers) p.nodePool.spec.template.spec.nodeClassRef.name = name;
  }

  const replacements = new Map<ClassItem, EC2NodeClass[]>();
  for (const [name, placed] of plan.bySource) {
    const item = classes.get(name);
    if (!item) continue;
    if (placed.length === 1) {
      const [only] = placed;
      const existing = item.nodeClass.spec.kubelet;
      if (only?.kubelet && existing && canonicalJson(existing) !== canonicalJson(only.kubelet)) {
        // A v1 node class that already has kubelet settings keeps them; the pools' differing ones are reported.
        report(
          item.source,
          conversionWarning(
            'conversion-kubelet-conflict',
            ['spec', 'kubelet'],
            `EC2NodeClass "${name}" already has spec.kubelet, which differs from the kubelet settings of ${only.pools.join(', ')} (${canonicalJson(only.kubelet)}): kept the node class's; reconcile them by hand`,
          ),
        );
      } else if (only?.kubelet) {
        item.nodeClass.spec.kubelet = { ...only.kubelet };
      }
      continue;
    }
    replacements.set(
      item,
      placed.map((pc) => {
        const copy = JSON.parse(JSON.stringify(item.nodeClass)) as EC2NodeClass;
        copy.metadata.name = pc.name;
        if (pc.kubelet) copy.spec.kubelet = { ...pc.kubelet };
        else delete copy.spec.kubelet;
        return copy;
      }),
    );
    report(
      item.source,
      conversionWarning(
        'conversion-kubelet-split',
        ['metadata', 'name'],
        `pools sharing node class "${name}" differ in kubelet settings, which v1 keeps on the node class: wrote ${placed.map((pc) => `EC2NodeClass "${pc.name}" for ${pc.pools.join(', ')}`).join('; ')} (on a live cluster their nodes drift to the new node classes; delete "${name}" once unused)`,
      ),
    );
  }
  for (const p of pools) {
    const name = plan.nodeClassOfPool.get(p.nodePool.metadata.name ?? '');
    if (name !== undefined) p.nodePool.spec.template.spec.nodeClassRef.name = name;
  }

  const out: unknown[] = [];
  const written = new Set<string>();
  for (const i of items) {
    if (i.type === 'other') out.push(i.value);
    else if (i.type === 'pool') out.push(i.nodePool);
    else {
      const name = i.nodeClass.metadata.name ?? '';
      if (written.has(name)) continue; // the same node class twice (e.g. in two files): written once
      written.add(name);
      out.push(...(replacements.get(i) ?? [i.nodeClass]));
    }
  }
  return out;
}
