/**
 * Everything heavy the preview panel needs (the domain's simulation, zod), in one module the panel loads on first
 * open rather than at activation.
 */
import { readFileSync } from 'node:fs';
import { loadScenario, type InstanceType } from '@karpenter-ts/provisioner-domain';

export { computePreview } from './compute.js';
export { formatPriceDifference, formatPricePerHour, fromWebviewSchema, toWebviewSchema } from './protocol.js';

/** The InstanceTypeCatalog of the scenario file `path`, or `undefined` when it has none or cannot be read. */
export function catalogFromFile(path: string): InstanceType[] | undefined {
  try {
    const loaded = loadScenario([{ name: path, text: readFileSync(path, 'utf8') }]);
    return loaded.ok && loaded.scenario.catalogSource === 'document' ? loaded.scenario.instanceTypes : undefined;
  } catch {
    return undefined;
  }
}
