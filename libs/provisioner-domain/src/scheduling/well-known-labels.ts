import {
  LABEL_ARCH,
  LABEL_CAPACITY_TYPE,
  LABEL_HOSTNAME,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_OS,
  LABEL_TOPOLOGY_REGION,
  LABEL_TOPOLOGY_ZONE,
  LABEL_WINDOWS_BUILD,
  NORMALIZED_LABELS,
  WELL_KNOWN_LABELS,
} from '../apis/labels.js';

export { normalizeLabelKey } from '../apis/labels.js';
export { LABEL_ARCH, LABEL_CAPACITY_TYPE, LABEL_HOSTNAME, LABEL_INSTANCE_TYPE, LABEL_NODEPOOL, LABEL_OS, LABEL_TOPOLOGY_REGION, LABEL_TOPOLOGY_ZONE, LABEL_WINDOWS_BUILD };

/**
 * Keys a pod may require although a NodePool does not mention them, because their values come from instance
 * types and offerings (Karpenter's `WellKnownLabels` with `AllowUndefinedWellKnownLabels`). The scheduler adds,
 * per NodePool, every label key its instance types carry.
 */
export const ALLOW_UNDEFINED_LABELS: ReadonlySet<string> = new Set(WELL_KNOWN_LABELS);

/**
 * Node labels with the stable key added wherever only a beta alias is present, so that requirements (whose
 * keys are normalised) match nodes labelled either way. The input is not modified.
 */
export function normalizeNodeLabels(labels: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let out: Record<string, string> | undefined;
  for (const key in labels) {
    const stable = NORMALIZED_LABELS[key];
    if (stable !== undefined && labels[stable] === undefined) {
      out ??= { ...labels };
      out[stable] = labels[key] ?? '';
    }
  }
  return out ?? labels;
}
