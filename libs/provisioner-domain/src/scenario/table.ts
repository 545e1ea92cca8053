/**
 * `karpenter-ts simulate --output table`: the simulation result (docs/simulate-json.md) for a person, laid out like eks-node-viewer. Not a
 * stable format; parse the JSON.
 */
import { allocatable } from '../instancetypes/allocatable.js';
import type { InstanceType } from '../instancetypes/types.js';
import { toCanonicalAmount } from '../quantity/convert.js';
import { humanQuantity } from '../quantity/human.js';
import type { SimulationOutput } from './format.js';

/** Hours in the month that `$/MONTH` uses (365 × 24 / 12, as cloud price lists do). */
export const HOURS_PER_MONTH = 730;

/** Pods listed by name per placement or reason before the rest are counted. */
export const LISTED_PODS = 5;

/** Options of `formatSimulationTable`. */
export interface SimulationTableOptions {
  /** The catalog the simulation used, for allocatable and utilisation; without it those columns show `?`. */
  instanceTypes?: readonly InstanceType[];
  /** Lines printed after the totals (e.g. the catalog in use). */
  footer?: readonly string[];
}

/** Left-aligned columns separated by two spaces, header first. */
export function renderColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
}

function usd(amount: number, digits = 4): string {
  return `$${amount.toFixed(digits)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `a, b, c, d, e and 12 more` */
export function foldList(items: readonly string[], shown = LISTED_PODS): string {
  return items.length <= shown ? items.join(', ') : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

function amountOf(resource: string, text: string | undefined): number {
  if (text === undefined) return 0;
  try {
    return toCanonicalAmount(resource, text);
  } catch {
    return 0;
  }
}

/** `1.5 vCPU / 1.9 vCPU (79%)`: requested against allocatable. */
function usage(resource: string, requested: number, available: number | undefined): string {
  if (available === undefined) return `${humanQuantity(resource, requested)} / ?`;
  const percent = available > 0 ? Math.round((requested / available) * 100) : 0;
  return `${humanQuantity(resource, requested)} / ${humanQuantity(resource, available)} (${percent}%)`;
}

/** Resources with their own columns; the others (GPUs, ephemeral-storage...) share OTHER. */
const BASIC_RESOURCES: readonly string[] = ['cpu', 'memory', 'pods'];

/** `nvidia.com/gpu 1 / 1 (100%)`, one entry per other resource requested, or `-`. */
function otherUsage(requests: Record<string, string>, free: Record<string, number> | undefined): string {
  const parts = Object.keys(requests)
    .filter((k) => !BASIC_RESOURCES.includes(k))
    .map((k) => `${k} ${usage(k, amountOf(k, requests[k]), free?.[k])}`);
  return parts.length > 0 ? parts.join(', ') : '-';
}

/**
 * Renders, ending with a newline:
 * - NODECLAIMS: per NodeClaim its NodePool, instance type, zone, capacity type, pod count, cpu and memory requested
 *   (pods plus DaemonSets) against allocatable with utilisation, OTHER for any other resource requested (GPUs),
 *   $/hour and $/month, and OPTIONS, the number of
 *   other instance types that would fit the same pods (`simulate -o json` lists them);
 * - the existing nodes that receive pods;
 * - UNSCHEDULABLE: pods grouped by identical reason, each reason once with its pod count and the first pods;
 * - SKIPPED: pods Karpenter does not provision for, with their code and reason; NOTES: per-pod notes (e.g.
 *   "node X is being deleted", LimitRange defaults applied);
 * - PLACEMENTS: which pods go where, long lists folded with a count;
 * - totals per NodePool (NodeClaims, cpu and memory capacity launched, $/hour, and the cpu its limits count: each
 *   NodeClaim at its largest instance-type option, the figure limit messages use), the summary line and `footer`.
 */
export function formatSimulationTable(output: SimulationOutput, options: SimulationTableOptions = {}): string {
  const types = new Map((options.instanceTypes ?? []).map((t) => [t.name, t]));
  const lines: string[] = [];
  if (output.nodeClaims.length > 0) {
    const extended = output.nodeClaims.some((nc) => Object.keys(nc.requests).some((k) => !BASIC_RESOURCES.includes(k)));
    const rows = [['NODECLAIM', 'NODEPOOL', 'INSTANCE TYPE', 'ZONE', 'CAPACITY', 'PODS', 'CPU REQUESTED / ALLOCATABLE', 'MEMORY REQUESTED / ALLOCATABLE', ...(extended ? ['OTHER REQUESTED / ALLOCATABLE'] : []), '$/HOUR', '$/MONTH', 'OPTIONS']];
    output.nodeClaims.forEach((nc, i) => {
      const type = types.get(nc.instanceType);
      const free = type ? allocatable(type) : undefined;
      const others = nc.instanceTypeOptions.filter((o) => o !== nc.instanceType).length;
      rows.push([
        String(i + 1),
        nc.nodePool,
        nc.instanceType,
        nc.zone,
        nc.capacityType,
        String(nc.pods.length),
        usage('cpu', amountOf('cpu', nc.requests['cpu']), free?.['cpu']),
        usage('memory', amountOf('memory', nc.requests['memory']), free?.['memory']),
        ...(extended ? [otherUsage(nc.requests, free)] : []),
        usd(nc.pricePerHour),
        usd(nc.pricePerHour * HOURS_PER_MONTH, 2),
        others > 0 ? `+${others}` : '-',
      ]);
    });
    lines.push(...renderColumns(rows));
    lines.push('OPTIONS: how many other instance types would also fit the NodeClaim\'s pods (listed in -o json as instanceTypeOptions).', '');
  }
  if (output.existingNodes.length > 0) {
    lines.push(...renderColumns([['EXISTING NODE', 'NEW PODS'], ...output.existingNodes.map((n) => [n.name, String(n.pods.length)])]), '');
  }
  if (output.unschedulable.length > 0) {
    const byReason = new Map<string, string[]>();
    for (const u of output.unschedulable) {
      const pods = byReason.get(u.reason) ?? [];
      pods.push(u.pod);
      byReason.set(u.reason, pods);
    }
    lines.push('UNSCHEDULABLE');
    for (const [reason, pods] of byReason) {
      lines.push(`  ${plural(pods.length, 'pod')}: ${reason}`);
      lines.push(`    ${foldList(pods)}`);
    }
    lines.push('');
  }
  if (output.skipped.length > 0) {
    lines.push('SKIPPED');
    for (const s of output.skipped) lines.push(`  ${s.pod}: ${s.code}: ${s.reason}`);
    lines.push('');
  }
  if (output.notes.length > 0) {
    lines.push('NOTES');
    for (const n of output.notes) lines.push(`  ${'pod' in n ? n.pod : `daemonset ${n.daemonSet}`}: ${n.note}`);
    lines.push('');
  }
  const placements = [
    ...output.nodeClaims.map((nc, i) => [`nodeclaim ${i + 1} (${nc.nodePool}/${nc.instanceType})`, nc.pods] as const),
    ...output.existingNodes.map((n) => [`node ${n.name}`, n.pods] as const),
  ];
  if (placements.length > 0) {
    lines.push('PLACEMENTS');
    for (const [where, pods] of placements) lines.push(`  ${where}: ${foldList(pods)}`);
    lines.push('');
  }
  const pools = new Map<string, { claims: number; cpu: number; memory: number; counted: number; price: number }>();
  for (const nc of output.nodeClaims) {
    const p = pools.get(nc.nodePool) ?? { claims: 0, cpu: 0, memory: 0, counted: 0, price: 0 };
    const type = types.get(nc.instanceType);
    p.claims += 1;
    p.cpu += type?.capacity['cpu'] ?? 0;
    p.memory += type?.capacity['memory'] ?? 0;
    // Limits count a planned NodeClaim at its largest option, as Karpenter's scheduler does.
    p.counted += Math.max(0, ...nc.instanceTypeOptions.map((o) => types.get(o)?.capacity['cpu'] ?? 0));
    p.price += nc.pricePerHour;
    pools.set(nc.nodePool, p);
  }
  if (pools.size > 0 && types.size > 0) {
    lines.push('NODEPOOLS');
    for (const [name, p] of pools) {
      lines.push(
        `  ${name}: ${plural(p.claims, 'NodeClaim')}, ${humanQuantity('cpu', p.cpu)} and ${humanQuantity('memory', p.memory)} memory launched, ${usd(p.price)}/hour; ${humanQuantity('cpu', p.counted)} counted against limits (each NodeClaim at its largest option)`,
      );
    }
    lines.push('');
  }
  const placed = placements.reduce((n, [, pods]) => n + pods.length, 0);
  lines.push(
    `${plural(output.nodeClaims.length, 'NodeClaim')}, ${usd(output.totalPricePerHour)} per hour (${usd(output.totalPricePerHour * HOURS_PER_MONTH, 2)} per month); ${plural(placed, 'pod')} placed, ${output.unschedulable.length} unschedulable${output.skipped.length > 0 ? `, ${output.skipped.length} skipped` : ''}.`,
  );
  lines.push(...(options.footer ?? []));
  return `${lines.join('\n')}\n`;
}
