/**
 * `convert(text)`: a manifest file with v1alpha5 Provisioners and v1alpha1 AWSNodeTemplates rewritten as v1
 * NodePools and EC2NodeClasses (other documents pass through unchanged, in order), plus a warning for every
 * field whose meaning changes or that cannot be carried. Input that does not validate is not converted.
 */
import { parseAllDocuments, stringify } from 'yaml';
import { awsNodeTemplateSchema, type AWSNodeTemplate } from './awsnodetemplate.js';
import { awsNodeTemplateToEC2NodeClass, provisionerToNodePool, type ConversionOptions, type ConversionWarning } from './conversion.js';
import type { EC2NodeClass } from './ec2nodeclass.js';
import { provisionerSchema, type Provisioner } from './provisioner.js';
import { validate } from './validate/validate.js';
import type { ValidationIssue } from './validate/types.js';

/** A conversion warning with the index of the document it comes from. */
export interface DocumentConversionWarning extends ConversionWarning {
  document: number;
}

/** The result of `convert`. `yaml` is empty when `ok` is false. */
export type ConvertResult =
  | { ok: true; yaml: string; objects: unknown[]; warnings: DocumentConversionWarning[] }
  | { ok: false; issues: ValidationIssue[] };

/** Converts a file's text; see the module doc. `options.clusterName` fills discovery tags. */
export function convert(text: string, options: Pick<ConversionOptions, 'clusterName'> = {}): ConvertResult {
  const report = validate(text);
  if (!report.ok) return { ok: false, issues: report.issues.filter((i) => i.severity === 'error') };
  const values = parseAllDocuments(text).map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  const templates: { index: number; template: AWSNodeTemplate }[] = [];
  values.forEach((v, index) => {
    const t = awsNodeTemplateSchema.safeParse(v);
    if (t.success) templates.push({ index, template: t.data });
  });
  const warnings: DocumentConversionWarning[] = [];
  const objects: unknown[] = [];
  const emittedClasses = new Set<string>();
  const emitClass = (nc: EC2NodeClass) => {
    const name = nc.metadata.name ?? '';
    if (emittedClasses.has(name)) return;
    emittedClasses.add(name);
    objects.push(nc);
  };
  values.forEach((v, index) => {
    if (v === null || v === undefined) return;
    const p = provisionerSchema.safeParse(v);
    if (p.success) {
      const provisioner: Provisioner = p.data;
      const result = provisionerToNodePool(provisioner, { ...options, nodeTemplates: templates.map((t) => t.template) });
      for (const w of result.warnings) warnings.push({ ...w, document: index });
      objects.push(result.nodePool);
      if (result.nodeClass) emitClass(result.nodeClass);
      return;
    }
    const t = templates.find((x) => x.index === index);
    if (t) {
      const w: ConversionWarning[] = [];
      const nc = awsNodeTemplateToEC2NodeClass(t.template, options, w);
      for (const x of w) warnings.push({ ...x, document: index });
      emitClass(nc);
      return;
    }
    objects.push(v);
  });
  const yaml = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  return { ok: true, yaml, objects, warnings };
}
