/**
 * POST /api/v1/simulate runs here: one worker thread (simulate-worker.ts) started on first use and reused,
 * one simulation at a time. A run longer than `timeoutMs` terminates the thread (the next request starts a
 * new one) and answers 503 Timeout; a request while another runs answers 503 Busy; a scenario with errors
 * answers 422 InvalidScenario with every issue.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SimulateResponse } from '@karpenter-ts/capacity-api';
import type { ScenarioIssue } from '@karpenter-ts/provisioner-domain';
import { ApiError } from './errors.js';
import { SIMULATE_WORKER_MARKER, type SimulateReply } from './simulate-worker.js';

/**
 * The worker's entry: next to the bundle (`dist/simulate-worker.mjs`, built by scripts/build.mjs) when the
 * controller runs bundled, else the tsx bootstrap next to this source file.
 */
export function simulateWorkerEntry(moduleUrl: string = import.meta.url): URL {
  const bundled = new URL('./simulate-worker.mjs', moduleUrl);
  if (moduleUrl.endsWith('.mjs') && existsSync(fileURLToPath(bundled))) return bundled;
  return new URL('./simulate-worker-bootstrap.mjs', moduleUrl);
}

export interface SimulatorOptions {
  /** Longest run, ms (worker start-up not included). */
  timeoutMs: number;
  /** Worker entry; default {@link simulateWorkerEntry}. */
  entry?: URL;
}

/** Runs simulations in a worker thread; see the module comment. */
export class Simulator {
  private worker: Worker | undefined;
  private ready: Promise<Worker> | undefined;
  private busy = false;
  private nextId = 1;

  constructor(private readonly options: SimulatorOptions) {}

  /**
   * Simulates one scenario text.
   * @throws ApiError 503 Busy / Timeout, 422 InvalidScenario, 500 Internal when the worker fails.
   */
  async simulate(name: string, text: string): Promise<{ output: SimulateResponse; warnings: ScenarioIssue[] }> {
    if (this.busy) throw new ApiError(503, 'Busy', 'another simulation is running; retry in a moment', undefined, { 'Retry-After': '1' });
    this.busy = true;
    try {
      const worker = await this.start();
      const reply = await this.run(worker, { id: this.nextId++, name, text });
      if (reply.ok) return { output: reply.output, warnings: reply.warnings };
      if ('issues' in reply) {
        const errors = reply.issues.filter((i) => i.severity === 'error');
        throw new ApiError(
          422,
          'InvalidScenario',
          `the scenario has ${errors.length} error(s); the first: ${describe(errors[0] ?? reply.issues[0])}`,
          reply.issues.map((i) => ({ file: i.file, document: i.document, path: i.path, line: i.line, severity: i.severity, message: i.message })),
        );
      }
      throw new ApiError(500, 'Internal', `the simulation failed: ${reply.error}`);
    } finally {
      this.busy = false;
    }
  }

  /** Stops the worker (controller shutdown). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Promise<Worker> {
    this.ready ??= new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(this.options.entry ?? simulateWorkerEntry(), { workerData: { [SIMULATE_WORKER_MARKER]: true } });
      worker.unref();
      const onReady = (message: unknown): void => {
        if ((message as { ready?: boolean }).ready !== true) return;
        worker.off('message', onReady);
        worker.off('error', onError);
        this.worker = worker;
        resolve(worker);
      };
      const onError = (error: Error): void => {
        this.ready = undefined;
        reject(new ApiError(500, 'Internal', `the simulation worker did not start: ${error.message}`));
      };
      worker.on('message', onReady);
      worker.once('error', onError);
      worker.once('exit', () => {
        if (this.worker === worker) {
          this.worker = undefined;
          this.ready = undefined;
        }
      });
    });
    return this.ready;
  }

  private run(worker: Worker, request: { id: number; name: string; text: string }): Promise<SimulateReply> {
    return new Promise<SimulateReply>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (reply: SimulateReply): void => {
        if (reply.id !== request.id) return;
        cleanup();
        resolve(reply);
      };
      const onError = (error: Error): void => {
        cleanup();
        this.discard(worker);
        reject(new ApiError(500, 'Internal', `the simulation failed: ${error.message}`));
      };
      const onExit = (): void => {
        cleanup();
        this.discard(worker);
        reject(new ApiError(500, 'Internal', 'the simulation worker exited'));
      };
      const timer = setTimeout(() => {
        cleanup();
        this.discard(worker);
        void worker.terminate();
        reject(
          new ApiError(503, 'Timeout', `the simulation ran longer than ${this.options.timeoutMs} ms and was stopped: simulate fewer pods, or raise API_SIMULATE_TIMEOUT`),
        );
      }, this.options.timeoutMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage(request);
    });
  }

  private discard(worker: Worker): void {
    if (this.worker === worker) {
      this.worker = undefined;
      this.ready = undefined;
    }
  }
}

function describe(issue: ScenarioIssue | undefined): string {
  if (!issue) return 'unknown';
  return `document ${issue.document + 1}, line ${issue.line}${issue.path ? `, ${issue.path}` : ''}: ${issue.message}`;
}
