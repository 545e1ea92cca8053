/**
 * `--catalog FILE`: the instance-type catalog a command uses, and the line that tells people which one it is.
 * `--catalog aws` names the dated AWS catalog shipped with the CLI (`apps/cli/catalogs/aws.yaml`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeCatalog, type CatalogSource, type InstanceType, type ScenarioFile } from '@karpenter-ts/provisioner-domain';
import { readText } from './inputs.js';
import { CliUsageError, type CliIo } from './io.js';

/** Catalogs shipped with the CLI, by the name `--catalog` accepts. */
export const SHIPPED_CATALOGS: Readonly<Record<string, string>> = {
  aws: fileURLToPath(new URL('../catalogs/aws.yaml', import.meta.url)),
};

/** How messages name the shipped catalogs: their path in the repository. */
const SHIPPED_CATALOG_NAMES: Readonly<Record<string, string>> = { aws: 'apps/cli/catalogs/aws.yaml' };

/** Help text of the `--catalog` option. */
export const CATALOG_OPTION_HELP = 'instance-type catalog: an InstanceTypeCatalog YAML file (docs/catalog.md), or "aws" for the shipped, dated AWS catalog (m5, c5, r5, m6g, g5 in us-east-1 and us-west-2; indicative prices); default: the built-in simulated catalog';

/**
 * Reads the `--catalog` value as a scenario file: a shipped name (`aws`) or a path.
 * @throws CliUsageError when the file cannot be read.
 */
export async function readCatalogOption(io: CliIo, value: string): Promise<ScenarioFile> {
  const shipped = SHIPPED_CATALOGS[value];
  if (shipped !== undefined) {
    try {
      return { name: SHIPPED_CATALOG_NAMES[value] ?? shipped, text: readFileSync(shipped, 'utf8') };
    } catch (err) {
      throw new CliUsageError(`cannot read the shipped catalog ${value} (${shipped}): ${(err as Error).message}`, { cause: err });
    }
  }
  return { name: value === '-' ? '<stdin>' : value, text: await readText(io, value) };
}

/**
 * The catalog line a command prints on stderr: `catalog: built-in simulated, 144 types in test-zone-a..d; no
 * AWS types (EKS NodePools need --catalog aws or your own --catalog FILE)`.
 */
export function catalogStatement(source: CatalogSource, instanceTypes: readonly InstanceType[], builtIn: boolean): string {
  return `catalog: ${describeCatalog(source, instanceTypes)}${builtIn ? ' (EKS NodePools need --catalog aws or your own --catalog FILE)' : ''}`;
}
