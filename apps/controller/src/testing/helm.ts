/**
 * The Helm chart (apps/controller/chart) rendered by the real helm binary (tools/local-cluster's
 * `ensureHelm()`, built from helm.sh/helm/v4), for the chart and RBAC e2e tests.
 */
import { spawn } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { join } from 'node:path';
import { controllerAppDir } from './harness.js';

/** apps/controller/chart */
export const chartPath = join(controllerAppDir, 'chart');

/** A rendered manifest: any Kubernetes object. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Result of one helm run. */
export interface HelmRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `helm args...` (no kubeconfig: template and lint need no cluster). Never rejects on a non-zero exit. */
export function runHelm(helm: string, args: readonly string[], input?: string): Promise<HelmRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(helm, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HELM_CACHE_HOME: join(controllerAppDir, '../../tmp/helm/cache'), HELM_CONFIG_HOME: join(controllerAppDir, '../../tmp/helm/config'), HELM_DATA_HOME: join(controllerAppDir, '../../tmp/helm/data') } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export interface RenderOptions {
  releaseName?: string;
  namespace?: string;
  /** Values as YAML text (passed with `-f -`). */
  valuesYaml?: string;
  /** `--set` pairs. */
  set?: readonly string[];
  includeCrds?: boolean;
}

/** `helm template`; rejects with helm's stderr when it fails. */
export async function renderChart(helm: string, options: RenderOptions = {}): Promise<Manifest[]> {
  const text = await renderChartText(helm, options);
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

/** `helm template` as YAML text; rejects with helm's stderr when it fails. */
export async function renderChartText(helm: string, options: RenderOptions = {}): Promise<string> {
  const args = ['template', options.releaseName ?? 'karpenter', chartPath, '--namespace', options.namespace ?? 'karpenter'];
  if (options.includeCrds) args.push('--include-crds');
  if (options.valuesYaml !== undefined) args.push('-f', '-');
  for (const pair of options.set ?? []) args.push('--set', pair);
  const run = await runHelm(helm, args, options.valuesYaml);
  if (run.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${run.code}:\n${run.stderr}`);
  return run.stdout;
}

/** The one manifest of `kind` (and `name` when given); throws when absent. */
export function manifest(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}
