/**
 * The table `npm start` prints of the nodes the controller launched: name, instance type, zone, capacity type,
 * pods, and price in USD per hour, with a total line. Pure: takes plain rows, returns text.
 */
export interface LaunchedNodeRow {
  name: string;
  instanceType: string;
  zone: string;
  capacityType: string;
  pods: number;
  /** USD per hour; undefined when the catalog has no such offering. */
  pricePerHour: number | undefined;
}

export function renderNodeSummary(rows: readonly LaunchedNodeRow[]): string {
  if (rows.length === 0) return 'no nodes launched by karpenter-ts';
  const header = ['NODE', 'INSTANCE TYPE', 'ZONE', 'CAPACITY TYPE', 'PODS', '$/H'];
  const body = rows.map((r) => [r.name, r.instanceType, r.zone, r.capacityType, String(r.pods), r.pricePerHour === undefined ? '?' : r.pricePerHour.toFixed(4)]);
  const total = rows.reduce((sum, r) => sum + (r.pricePerHour ?? 0), 0);
  const pods = rows.reduce((sum, r) => sum + r.pods, 0);
  body.push([`total: ${rows.length} node(s)`, '', '', '', String(pods), total.toFixed(4)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}
