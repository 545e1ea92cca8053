/**
 * `karpenter-ts simulate -f FILE... [--output json|table] [--preference-policy Respect|Ignore] [--packing cost|karpenter]`
 *
 * Reads DESIGN.md §4.1 scenario files (`-f` repeatable; `-` reads standard input), runs the domain scheduler
 * once and prints the §4.2 JSON (default) or a table for people on stdout. Warnings go to stderr as
 * `file:line: document N: path: warning: message`.
 * Exit codes: 0 when the simulation ran, even with unschedulable pods; 2 on bad input: YAML or schema errors,
 * each printed on stderr as `file:line: document N: path: message` (N from 1), an unreadable file, or
 * a bad option value.
 */
import { Option, type Command } from 'commander';
import {
  formatSimulation,
  formatSimulationTable,
  loadScenario,
  schedule,
  toSchedulingSnapshot,
  type PackingMode,
  type ScenarioFile,
  type ScenarioIssue,
} from '@karpenter-ts/provisioner-domain';
import { CliUsageError, nodeIo, type CliIo, type ExitCode } from '../io.js';

/** Exit code for bad input. */
export const EXIT_BAD_INPUT = 2;

/** Options of the simulate command. */
export interface SimulateCommandOptions {
  files: string[];
  output: 'json' | 'table';
  preferencePolicy: 'Respect' | 'Ignore';
  /** `cost` (default): Karpenter's plan, improved where a cheaper valid set of NodeClaims exists; `karpenter`: Karpenter's plan as is. */
  packing?: PackingMode;
}

/**
 * `file:line: document N: path: message`, N counting documents from 1 as people do (the issue's `document` is
 * 0-based, as in `validate --output json`); warnings carry `warning: ` before the message.
 */
export function formatScenarioIssue(issue: ScenarioIssue): string {
  const where = `${issue.file}:${issue.line}: document ${issue.document + 1}: ${issue.path || '(document)'}`;
  return `${where}: ${issue.severity === 'warning' ? 'warning: ' : ''}${issue.message}`;
}

/**
 * Simulates over already-read files and writes the output: the §4.2 JSON or the table on stdout, warnings
 * (or, on bad input, every issue) on stderr. Returns 0, or `EXIT_BAD_INPUT` when the scenario has errors.
 */
export function simulateScenario(io: CliIo, files: readonly ScenarioFile[], options: Omit<SimulateCommandOptions, 'files'>): ExitCode {
  const loaded = loadScenario(files);
  if (!loaded.ok) {
    for (const issue of loaded.issues) io.stderr(`${formatScenarioIssue(issue)}\n`);
    return EXIT_BAD_INPUT;
  }
  for (const warning of loaded.scenario.warnings) io.stderr(`${formatScenarioIssue(warning)}\n`);
  const snapshot = toSchedulingSnapshot(loaded.scenario);
  const output = formatSimulation(schedule(snapshot, { preferencePolicy: options.preferencePolicy, packing: options.packing ?? 'cost' }), snapshot);
  io.stdout(options.output === 'table' ? formatSimulationTable(output) : `${JSON.stringify(output, null, 2)}\n`);
  return 0;
}

/**
 * Reads the files and simulates. Returns the exit code.
 * @throws CliUsageError when a file cannot be read (the program prints it and exits 2).
 */
export async function runSimulate(io: CliIo, options: SimulateCommandOptions): Promise<ExitCode> {
  const files: ScenarioFile[] = [];
  for (const name of options.files) {
    try {
      files.push({ name: name === '-' ? '<stdin>' : name, text: await io.readFile(name) });
    } catch (err) {
      throw new CliUsageError(`cannot read ${name}: ${(err as Error).message}`, { cause: err });
    }
  }
  return simulateScenario(io, files, options);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Registers `simulate` on the program. `io` defaults to the process's streams and files, `setExit` to setting
 * `process.exitCode` (for callers that register it with the program alone).
 */
export function registerSimulate(program: Command, io: CliIo = nodeIo(), setExit: (code: ExitCode) => void = (code) => void (process.exitCode = code)): void {
  program
    .command('simulate')
    .description('simulate one provisioning round over a scenario: the NodeClaims that would launch, where each pod lands, and why pods stay pending')
    .requiredOption('-f, --filename <file>', 'scenario file (multi-document YAML or JSON), repeatable; - reads stdin', collect)
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
    .addHelpText('after', '\nDocuments are numbered from 1 in messages (file:line: document N: path: message).')
    .action(async (opts: { filename: string[]; output: SimulateCommandOptions['output']; preferencePolicy: SimulateCommandOptions['preferencePolicy']; packing: PackingMode }) => {
      setExit(await runSimulate(io, { files: opts.filename, output: opts.output, preferencePolicy: opts.preferencePolicy, packing: opts.packing }));
    });
}

/** Same as `registerSimulate`. */
export const register = registerSimulate;
