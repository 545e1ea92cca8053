/** Markdown for hovers and completion docs: field docs and catalog summaries. */
import { formatPath, type CatalogSummary, type FieldDoc } from '@karpenter-ts/provisioner-domain';

/** `**path**`, the doc, then unit and default lines. */
export function fieldDocMarkdown(path: readonly (string | number)[], doc: FieldDoc): string {
  const lines = [`**${formatPath(path)}**`, '', doc.doc];
  if (doc.unit) lines.push('', `Unit: ${doc.unit}`);
  if (doc.default !== undefined) lines.push('', `Default: \`${doc.default}\``);
  return lines.join('\n');
}

/** A price in USD per hour, with enough digits for cheap types. */
export function formatPrice(usdPerHour: number): string {
  return `$${usdPerHour < 1 ? usdPerHour.toFixed(4) : usdPerHour.toFixed(2)}`;
}

/** "N instance types · $a-$b/h" (or "no instance type"), plus "limits allow M nodes of the largest (name)" when limits apply. */
export function summaryLine(summary: CatalogSummary, options: { limits?: boolean } = {}): string {
  if (summary.instanceTypeCount === 0) return 'no instance type of the catalog';
  const parts = [`${summary.instanceTypeCount} instance type${summary.instanceTypeCount === 1 ? '' : 's'}`];
  if (summary.minPricePerHour !== undefined && summary.maxPricePerHour !== undefined) parts.push(`${formatPrice(summary.minPricePerHour)}-${formatPrice(summary.maxPricePerHour)}/h`);
  if (options.limits) {
    const largest = summary.largest?.name ?? 'the largest type';
    parts.push(summary.maxNodesOfLargest === undefined ? `no limits (${largest} is the largest)` : `limits allow ${summary.maxNodesOfLargest} node${summary.maxNodesOfLargest === 1 ? '' : 's'} of the largest (${largest})`);
  }
  return parts.join(' · ');
}
