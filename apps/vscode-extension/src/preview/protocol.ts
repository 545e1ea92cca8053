/**
 * The typed message protocol between the extension and the "Preview Packing" webview, validated with zod on both
 * sides (the webview bundle imports this file too). Unknown or malformed messages are dropped, never trusted.
 */
import { z } from 'zod';

const nodeClaimRow = z.object({
  nodePool: z.string(),
  instanceType: z.string(),
  zone: z.string(),
  capacityType: z.string(),
  pods: z.array(z.string()),
  pricePerHour: z.number(),
});

const pendingRow = z.object({ pod: z.string(), reason: z.string(), nodePools: z.record(z.string(), z.string()) });

/** One side of the preview: NodeClaims to launch, pods left pending, total USD per hour. */
export const previewSideSchema = z.object({
  nodeClaims: z.array(nodeClaimRow),
  unschedulable: z.array(pendingRow),
  totalPricePerHour: z.number(),
});

export const previewModelSchema = z.object({
  /** The edited file's name, for the title. */
  document: z.string(),
  editedNames: z.array(z.string()),
  /** Where the pods come from, one sentence ("12 pending pods of cluster context kind", "pods of scenario.yaml"). */
  podSource: z.string(),
  asApplied: previewSideSchema.optional(),
  asEdited: previewSideSchema,
  pricePerHourDifference: z.number().optional(),
  /** Milliseconds the simulation took. */
  elapsedMs: z.number(),
});

export type PreviewSide = z.infer<typeof previewSideSchema>;
export type PreviewModel = z.infer<typeof previewModelSchema>;

/** Extension → webview. */
export const toWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('render'), model: previewModelSchema }),
  z.object({ type: z.literal('notice'), text: z.string() }),
  z.object({ type: z.literal('ping'), id: z.number() }),
]);

/** Webview → extension. `rendered` reports what the page shows (the NodeClaim rows' text and the total). */
export const fromWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('rendered'), nodeClaimRows: z.array(z.string()), total: z.string() }),
  z.object({ type: z.literal('pong'), id: z.number() }),
]);

export type ToWebview = z.infer<typeof toWebviewSchema>;
export type FromWebview = z.infer<typeof fromWebviewSchema>;

/** `$0.1234/h`: USD per hour with 4 decimals, as the preview and the status bar show prices. */
export function formatPricePerHour(usd: number): string {
  return `$${usd.toFixed(4)}/h`;
}

/** `+$0.0120/h` / `−$0.0120/h` / `±$0.0000/h`. */
export function formatPriceDifference(usd: number): string {
  const sign = usd > 0 ? '+' : usd < 0 ? '−' : '±';
  return `${sign}$${Math.abs(usd).toFixed(4)}/h`;
}
