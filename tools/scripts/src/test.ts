/**
 * `npm test`: every suite this machine can run, in three stages, then one closing line.
 *
 * 1. static: `lint` and `typecheck` of every project (module boundaries of the pure domain included);
 * 2. unit: every project's `test` target (vitest, fast, no processes);
 * 3. e2e: the local control plane binaries and helm are built or found (tools/local-cluster), the AWS emulator's
 *    venv (moto) is installed or found, then every project's
 *    `e2e` target runs one at a time against real processes.
 *
 * Every vitest run writes a JSON report into a fresh report folder (KTS_TEST_REPORT_DIR, read by
 * vitest.shared.ts); the closing line adds them up as `tests: N passed, N failed, N skipped`.
 * Exit code 0 only when every stage passed and at least one test ran.
 * Flags: `--unit` (stages 1-2 only), `--e2e` (stage 3 only), `--skip-static`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const reportDir = path.join(root, 'tmp', 'test-reports');

interface StageOutcome {
  name: string;
  ok: boolean;
  seconds: number;
}

interface VitestJsonReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  numTotalTestSuites?: number;
  numFailedTestSuites?: number;
  success?: boolean;
}

function runStage(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): StageOutcome {
  const started = Date.now();
  console.log(`\n[karpenter-ts test] ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...env },
  });
  const outcome = { name, ok: result.status === 0, seconds: (Date.now() - started) / 1000 };
  console.log(`[karpenter-ts test] ${name}: ${outcome.ok ? 'ok' : 'FAILED'} in ${outcome.seconds.toFixed(1)} s`);
  return outcome;
}

function sumReports(): { passed: number; failed: number; skipped: number; brokenFiles: number } {
  const totals = { passed: 0, failed: 0, skipped: 0, brokenFiles: 0 };
  let files: string[] = [];
  try {
    files = readdirSync(reportDir).filter((f) => f.endsWith('.json'));
  } catch {
    return totals;
  }
  for (const file of files) {
    const report = JSON.parse(readFileSync(path.join(reportDir, file), 'utf8')) as VitestJsonReport;
    totals.passed += report.numPassedTests ?? 0;
    totals.failed += report.numFailedTests ?? 0;
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A test file that fails to load counts as a failed suite with no failed test: count it as a failure.
    if ((report.numFailedTestSuites ?? 0) > 0 && (report.numFailedTests ?? 0) === 0) totals.brokenFiles += report.numFailedTestSuites ?? 0;
  }
  return totals;
}

async function main(): Promise<number> {
  const argv = new Set(process.argv.slice(2));
  const runUnit = !argv.has('--e2e');
  const runE2e = !argv.has('--unit');
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  const env = { KTS_TEST_REPORT_DIR: reportDir };
  const stages: StageOutcome[] = [];
  const nx = path.join(root, 'node_modules', '.bin', 'nx');
  const common = ['--outputStyle=stream', '--skip-nx-cache'];

  if (runUnit && !argv.has('--skip-static')) stages.push(runStage('static', nx, ['run-many', '-t', 'lint', 'typecheck', ...common], env));
  if (runUnit) stages.push(runStage('unit', nx, ['run-many', '-t', 'test', ...common], env));
  if (runE2e) {
    const installs = stages.length;
    stages.push(runStage('local control plane', 'npx', ['tsx', 'tools/local-cluster/src/cli.ts', 'build'], env));
    stages.push(runStage('helm', 'npx', ['tsx', 'tools/local-cluster/src/cli.ts', 'helm'], env));
    stages.push(runStage('aws emulator (moto)', 'npx', ['tsx', 'tools/local-cluster/src/aws-emulator/cli.ts', 'install'], env));
    if (stages.slice(installs).every((s) => s.ok)) stages.push(runStage('e2e', nx, ['run-many', '-t', 'e2e', '--parallel=1', ...common], env));
  }

  const totals = sumReports();
  console.log('\n[karpenter-ts test] stages:');
  for (const s of stages) console.log(`  ${s.ok ? 'ok    ' : 'FAILED'} ${s.name} (${s.seconds.toFixed(1)} s)`);
  if (totals.brokenFiles > 0) console.log(`  ${totals.brokenFiles} test file(s) failed to load`);
  const failed = totals.failed + totals.brokenFiles;
  const ok = stages.every((s) => s.ok) && failed === 0 && totals.passed > 0;
  console.log(`tests: ${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped`);
  return ok ? 0 : 1;
}

process.exitCode = await main();
