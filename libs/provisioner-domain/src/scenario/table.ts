/**
 * `karpenter-ts simulate --output table`: the §4.2 result for a person. Not a stable format; parse the JSON.
 */
import type { SimulationOutput } from './format.js';

/** Left-aligned columns separated by two spaces, header first. */
export function renderColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
}

function usd(amount: number): string {
  return `$${amount.toFixed(4)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Renders: a NodeClaims table (nodepool, launch choice with the number of other options, capacity type, zone,
 * price per hour, pod count, requests), the existing nodes that receive pods, the unschedulable pods with their
 * reason and per-NodePool reasons, the skipped pods with their code and reason, the per-pod notes (e.g. "node X is
 * being deleted"), which pods go where, and a closing summary line. Ends with a newline.
 */
export function formatSimulationTable(output: SimulationOutput): string {
  const lines: string[] = [];
  if (output.nodeClaims.length > 0) {
    const rows = [['NODECLAIM', 'NODEPOOL', 'INSTANCE TYPE', 'CAPACITY', 'ZONE', 'PRICE/HOUR', 'PODS', 'REQUESTS']];
    output.nodeClaims.forEach((nc, i) => {
      const others = nc.instanceTypeOptions.filter((o) => o !== nc.instanceType).length;
      const requests = Object.entries(nc.requests).map(([k, v]) => `${k}=${v}`).join(' ');
      rows.push([String(i + 1), nc.nodePool, others > 0 ? `${nc.instanceType} (+${others})` : nc.instanceType, nc.capacityType, nc.zone, usd(nc.pricePerHour), String(nc.pods.length), requests]);
    });
    lines.push(...renderColumns(rows), '');
  }
  if (output.existingNodes.length > 0) {
    lines.push(...renderColumns([['EXISTING NODE', 'NEW PODS'], ...output.existingNodes.map((n) => [n.name, String(n.pods.length)])]), '');
  }
  if (output.unschedulable.length > 0) {
    lines.push('UNSCHEDULABLE');
    for (const u of output.unschedulable) {
      lines.push(`  ${u.pod}: ${u.reason}`);
      for (const [pool, why] of Object.entries(u.nodePools)) lines.push(`    nodepool ${pool}: ${why}`);
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
    for (const [where, pods] of placements) lines.push(`  ${where}: ${pods.join(', ')}`);
    lines.push('');
  }
  const placed = placements.reduce((n, [, pods]) => n + pods.length, 0);
  lines.push(
    `${plural(output.nodeClaims.length, 'NodeClaim')}, ${usd(output.totalPricePerHour)} per hour; ${plural(placed, 'pod')} placed, ${output.unschedulable.length} unschedulable${output.skipped.length > 0 ? `, ${output.skipped.length} skipped` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
