/**
 * `karpenter-ts simulate [FILE|DIR...] [-f FILE|DIR...] [--catalog FILE|aws] [-o json|table]
 *   [--preference-policy Respect|Ignore] [--packing cost|karpenter] [--fail-on-unschedulable]`
 *
 * Reads scenario files (docs/scenario.md) (positional or `-f`, repeatable; a directory means its YAML/JSON files;
 * `-` reads standard input), runs the domain scheduler once and prints the JSON of docs/simulate-json.md (default) or a table for
 * people on stdout. On stderr: the catalog in use, then findings as `file:line:column: severity code message`.
 * Exit codes: 0 when the simulation ran (even with unschedulable pods); 1 with `--fail-on-unschedulable` when a
 * pod stays pending; 2 on bad input (YAML or schema errors, an unreadable file) or a bad option.
 */
import { Option, type Command } from 'commander';
import {
  BUILT_IN_CATALOG_NAME,
  disrupt,
  disruptionInputFromScenario,
  formatDisruption,
  formatDisruptionTable,
  formatSimulation,
  formatSimulationTable,
  loadScenario,
  schedule,
  toSchedulingSnapshot,
  type PackingMode,
  type ScenarioFile,
  type ScenarioIssue,
} from '@karpenter-ts/provisioner-domain';
import { CATALOG_OPTION_HELP, catalogStatement, readCatalogOption } from '../catalog-option.js';
import { findingLines, formatFinding, scenarioFinding } from '../findings.js';
import { readInputs } from '../inputs.js';
import { EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, nodeIo, type CliIo, type ExitCode } from '../io.js';

export { EXIT_BAD_INPUT };

/** Options of the simulate command. */
export interface SimulateCommandOptions {
  files: string[];
  output: 'json' | 'table';
  preferencePolicy: 'Respect' | 'Ignore';
  /** `cost` (default): Karpenter's plan, improved where a cheaper valid set of NodeClaims exists; `karpenter`: Karpenter's plan as is. */
  packing?: PackingMode;
  /** `--catalog`: a catalog file or a shipped catalog name (`aws`). */
  catalog?: string;
  /** Exit 1 when any pod stays pending. */
  failOnUnschedulable?: boolean;
  /** `--disruption` (issue 12): plan one disruption pass over the scenario's existing nodes instead of provisioning. */
  disruption?: boolean;
  /** `--now`: the moment of the disruption decision, RFC 3339; default the current time. */
  now?: string;
}

/** `file:line:column: severity code message (path)`: the finding format of every command. */
export function formatScenarioIssue(issue: ScenarioIssue): string {
  return formatFinding(scenarioFinding(issue));
}

/**
 * Simulates over already-read files and writes the output: the JSON or the table on stdout, the catalog
 * line and warnings (or, on bad input, every issue) on stderr. Returns the exit code.
 */
export function simulateScenario(
  io: CliIo,
  files: readonly ScenarioFile[],
  options: Omit<SimulateCommandOptions, 'files' | 'catalog'> & { catalogFile?: ScenarioFile },
): ExitCode {
  const loaded = loadScenario(files, options.catalogFile ? { catalogFiles: [options.catalogFile] } : {});
  if (!loaded.ok) {
    for (const line of findingLines(loaded.issues.map(scenarioFinding))) io.stderr(`${line}\n`);
    return EXIT_BAD_INPUT;
  }
  const { scenario } = loaded;
  if (scenario.nodePools.length === 0 && scenario.pods.length === 0 && scenario.nodes.length === 0) {
    io.stderr(`karpenter-ts: ${files.map((f) => f.name).join(', ')}: no NodePool, Provisioner, pod, workload or Node: nothing to simulate (see docs/scenario.md)\n`);
    return EXIT_BAD_INPUT;
  }
  const catalogLine = catalogStatement(scenario.catalog, scenario.instanceTypes, scenario.catalog.name === BUILT_IN_CATALOG_NAME);
  io.stderr(`${catalogLine}\n`);
  for (const line of findingLines(scenario.warnings.map(scenarioFinding))) io.stderr(`${line}\n`);
  if (options.disruption) {
    const nowMs = options.now === undefined ? Date.now() : Date.parse(options.now);
    if (Number.isNaN(nowMs)) {
      io.stderr(`karpenter-ts: --now "${options.now ?? ''}" is not an RFC 3339 time; write it like 2026-12-06T16:00:00Z\n`);
      return EXIT_BAD_INPUT;
    }
    const planned = formatDisruption(disrupt(disruptionInputFromScenario(scenario, nowMs)));
    io.stdout(options.output === 'table' ? formatDisruptionTable(planned) : `${JSON.stringify(planned, null, 2)}\n`);
    return EXIT_OK;
  }
  const snapshot = toSchedulingSnapshot(scenario);
  const output = formatSimulation(schedule(snapshot, { preferencePolicy: options.preferencePolicy, packing: options.packing ?? 'cost' }), snapshot);
  io.stdout(options.output === 'table' ? formatSimulationTable(output, { instanceTypes: scenario.instanceTypes, footer: [catalogLine] }) : `${JSON.stringify(output, null, 2)}\n`);
  return options.failOnUnschedulable && output.unschedulable.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Reads the files (and the catalog) and simulates. Returns the exit code.
 * @throws CliUsageError when a file cannot be read or none is given (the program prints it and exits 2).
 */
export async function runSimulate(io: CliIo, options: SimulateCommandOptions): Promise<ExitCode> {
  const catalogFile = options.catalog !== undefined ? await readCatalogOption(io, options.catalog) : undefined;
  const files = await readInputs(io, options.files, 'scenario files or directories');
  return simulateScenario(io, files, { ...options, ...(catalogFile ? { catalogFile } : {}) });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const EXAMPLES = `
Examples:
  karpenter-ts simulate libs/provisioner-domain/src/scenario/testdata/seed-inflate.yaml -o table
  karpenter-ts simulate nodepool.yaml pods.yaml --catalog aws -o table
  kubectl get pods -A -o yaml | karpenter-ts simulate nodepool.yaml - --fail-on-unschedulable

Findings are printed as file:line:column: severity code message (lines, columns and documents from 1).
Exit codes: 0 simulated; 1 pods stay pending (with --fail-on-unschedulable); 2 bad input or usage.`;

/**
 * Registers `simulate` on the program. `io` defaults to the process's streams and files, `setExit` to setting
 * `process.exitCode` (for callers that register it with the program alone).
 */
export function registerSimulate(program: Command, io: CliIo = nodeIo(), setExit: (code: ExitCode) => void = (code) => void (process.exitCode = code)): void {
  program
    .command('simulate')
    .description('simulate one provisioning round over a scenario: the NodeClaims that would launch, where each pod lands, and why pods stay pending')
    .argument('[files...]', 'scenario files or directories (multi-document YAML or JSON); - reads stdin')
    .option('-f, --filename <file>', 'scenario file or directory, repeatable (same as a positional argument)', collect)
    .option('--catalog <file>', CATALOG_OPTION_HELP)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['json', 'table']).default('json'))
    .addOption(
      new Option('--preference-policy <policy>', 'Respect relaxes preferences one at a time only when a pod cannot fit; Ignore drops them up front').choices(['Respect', 'Ignore']).default('Respect'),
    )
    .addOption(
      new Option(
        '--packing <mode>',
        "cost: Karpenter's plan, then groups of NodeClaims replaced by a cheaper set that keeps every constraint (never dearer than karpenter); karpenter: Karpenter's packing as is (a NodeClaim keeps taking pods while any type fits)",
      )
        .choices(['cost', 'karpenter'])
        .default('cost'),
    )
    .option('--fail-on-unschedulable', 'exit 1 when any pod stays pending (for CI)')
    .option('--disruption', 'plan one disruption pass over the existing Nodes instead (docs/simulate-disruption-json.md): commands and, for every other node, why not')
    .option('--now <time>', 'with --disruption: the moment of the decision, RFC 3339 (default: now)')
    .addHelpText('after', EXAMPLES)
    .action(
      async (
        positional: string[],
        opts: { filename?: string[]; catalog?: string; output: SimulateCommandOptions['output']; preferencePolicy: SimulateCommandOptions['preferencePolicy']; packing: PackingMode; failOnUnschedulable?: boolean; disruption?: boolean; now?: string },
      ) => {
        setExit(
          await runSimulate(io, {
            files: [...positional, ...(opts.filename ?? [])],
            output: opts.output,
            preferencePolicy: opts.preferencePolicy,
            packing: opts.packing,
            ...(opts.catalog !== undefined ? { catalog: opts.catalog } : {}),
            failOnUnschedulable: opts.failOnUnschedulable === true,
            ...(opts.disruption ? { disruption: true } : {}),
            ...(opts.now !== undefined ? { now: opts.now } : {}),
          }),
        );
      },
    );
}

/** Same as `registerSimulate`. */
export const register = registerSimulate;
