import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { afterEach, describe, expect, it } from 'vitest';
import { watchPodMetrics } from '../controllers/pod/metrics/controller.js';
import { Metrics } from '../http/metrics.js';
import { newTestContext, type TestContext } from '../testing/context.js';
import { chartDir } from './files.js';

/**
 * The Grafana dashboard shipped with the chart (chart/dashboards/karpenter-ts.json) may only query metrics
 * the controller exports: every PromQL expression is parsed with Prometheus' own grammar (lezer-promql) and
 * each selector's metric name must be a sample name of the controller's registry.
 */

const dashboardPath = join(chartDir, 'dashboards/karpenter-ts.json');

interface Target {
  expr?: string;
}
interface Panel {
  title?: string;
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: { query?: string | { query?: string } }[] };
}

/** Grafana's built-in interval variables, replaced by a duration so the expression parses as PromQL. */
const GRAFANA_INTERVALS = /\$__(rate_interval|interval|range)\b/g;

/** Metric names of the vector selectors of `expr`; throws naming the expression when it does not parse. */
export function promqlMetricNames(expr: string): string[] {
  const text = expr.replace(GRAFANA_INTERVALS, '5m');
  const names: string[] = [];
  let error: number | undefined;
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) error ??= node.from;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.push(text.slice(node.from, node.to));
    },
  });
  if (error !== undefined) throw new Error(`PromQL does not parse at column ${error + 1}: ${expr}`);
  return names;
}

/** Every query of the dashboard: panel targets (rows' panels included) and `label_values(metric, label)` variables. */
function queries(dashboard: Dashboard): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  const walk = (panels: Panel[]): void => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) if (target.expr) out.push({ where: `panel "${panel.title ?? ''}"`, expr: target.expr });
      walk(panel.panels ?? []);
    }
  };
  walk(dashboard.panels);
  for (const variable of dashboard.templating.list) {
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    const match = query ? /^label_values\((\w+)\s*,/.exec(query) : null;
    if (match?.[1]) out.push({ where: 'a template variable', expr: match[1] });
  }
  return out;
}

/** Sample names the registry serves: a histogram's `_bucket`/`_sum`/`_count`, a summary's `_sum`/`_count` and quantiles. */
async function exportedSampleNames(metrics: Metrics): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
    if (String(metric.type) === 'summary') for (const suffix of ['_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

let t: TestContext | undefined;
afterEach(async () => t?.stop());

describe('chart Grafana dashboard', () => {
  it('queries only metrics the controller exports', async () => {
    t = await newTestContext();
    const metrics = new Metrics(); // with the process metrics, as main.ts builds it
    const stop = watchPodMetrics({ ...t.ctx, metrics }); // registers karpenter_pods_state
    stop();
    const exported = await exportedSampleNames(metrics);
    const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as Dashboard;
    const all = queries(dashboard);
    expect(all.length).toBeGreaterThan(20);
    const unknown = all.flatMap(({ where, expr }) => promqlMetricNames(expr).filter((n) => !exported.has(n)).map((n) => `${n} (${where})`));
    expect(unknown).toEqual([]);
  });

  it('has a panel for each gauge and histogram an operator dashboards (issue 14)', () => {
    const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as Dashboard;
    const used = new Set(queries(dashboard).flatMap(({ expr }) => promqlMetricNames(expr)));
    for (const name of [
      'karpenter_nodepools_usage',
      'karpenter_nodepools_limit',
      'karpenter_nodes_allocatable',
      'karpenter_nodes_total_pod_requests',
      'karpenter_nodes_total_daemon_requests',
      'karpenter_cluster_state_node_count',
      'karpenter_cluster_state_synced',
      'karpenter_pods_provisioning_bound_duration_seconds_bucket',
      'karpenter_nodeclaims_instance_termination_duration_seconds_bucket',
    ]) {
      expect(used, name).toContain(name);
    }
  });

  it('the checker finds metric names in selectors only, and rejects what does not parse', () => {
    expect(promqlMetricNames('histogram_quantile(0.9, sum by (le) (rate(a_bucket{x="y"}[$__rate_interval]))) / on (node_name) b')).toEqual(['a_bucket', 'b']);
    expect(promqlMetricNames('sum by (phase) (karpenter_pods_stat)')).toEqual(['karpenter_pods_stat']);
    expect(() => promqlMetricNames('sum by (phase (karpenter_pods_state')).toThrow(/does not parse/);
  });
});
