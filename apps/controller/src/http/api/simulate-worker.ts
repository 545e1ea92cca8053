/**
 * Worker thread of POST /api/v1/simulate: loads a scenario and runs the domain's scheduling simulation,
 * exactly as `karpenter-ts simulate` does (apps/cli/src/commands/simulate.ts), off the controller's event
 * loop so that a long run can be stopped (the parent terminates the thread past its time limit).
 * Messages: parent → `{ id, name, text }`; worker → `{ ready: true }` once, then per request
 * `{ id, ok: true, output, warnings }` or `{ id, ok: false, issues }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { formatSimulation, loadScenario, schedule, toSchedulingSnapshot, type ScenarioIssue, type SimulationOutput } from '@karpenter-ts/provisioner-domain';

export interface SimulateRequest {
  id: number;
  name: string;
  text: string;
}

export type SimulateReply =
  | { id: number; ok: true; output: SimulationOutput; warnings: ScenarioIssue[] }
  | { id: number; ok: false; issues: ScenarioIssue[] }
  | { id: number; ok: false; error: string };

/** Loads and simulates one scenario text (the same steps as the CLI). */
export function simulateText(request: SimulateRequest): SimulateReply {
  try {
    const loaded = loadScenario([{ name: request.name, text: request.text }]);
    if (!loaded.ok) return { id: request.id, ok: false, issues: loaded.issues };
    const snapshot = toSchedulingSnapshot(loaded.scenario);
    const output = formatSimulation(schedule(snapshot, { packing: 'cost' }), snapshot);
    return { id: request.id, ok: true, output, warnings: loaded.scenario.warnings };
  } catch (error) {
    return { id: request.id, ok: false, error: (error as Error).message };
  }
}

/** workerData marker the parent sets, so that importing this module elsewhere (tests) starts nothing. */
export const SIMULATE_WORKER_MARKER = 'karpenterTsSimulateWorker';

if (parentPort && (workerData as Record<string, unknown> | null)?.[SIMULATE_WORKER_MARKER] === true) {
  const port = parentPort;
  port.on('message', (request: SimulateRequest) => port.postMessage(simulateText(request)));
  port.postMessage({ ready: true });
}
