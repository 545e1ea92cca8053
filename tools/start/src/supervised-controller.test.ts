import { describe, expect, it } from 'vitest';
import type { RunningController } from '@karpenter-ts/controller/testing';
import { controllerRun } from './supervised-controller.js';

function fakeController(output: string[]): RunningController & { stops: number } {
  const exit = Promise.resolve({ code: 1, signal: null });
  const fake = {
    stops: 0,
    pid: 42,
    metricsUrl: 'http://127.0.0.1:1',
    healthUrl: 'http://127.0.0.1:2',
    apiUrl: 'http://127.0.0.1:0',
    logs: [],
    exit,
    exited: exit.then(({ code }) => code),
    outputTail: (lines = 10) => output.slice(-lines),
    waitForLog: () => Promise.reject(new Error('unused')),
    scrapeMetrics: () => Promise.resolve(''),
    stop: () => {
      fake.stops += 1;
      return Promise.resolve(0);
    },
  };
  return fake;
}

describe('controllerRun', () => {
  it('renders the last JSON log lines for people and keeps other output as printed', () => {
    const output = [
      '{"level":"INFO","time":"2026-01-01T12:00:00.000Z","logger":"controller","message":"starting controllers"}',
      '{"level":"ERROR","time":"2026-01-01T12:00:01.500Z","logger":"provisioner","message":"cannot list pods","err":"boom"}',
      'Error: boom',
      '    at main (src/main.ts:10:3)',
    ];
    const run = controllerRun(fakeController(output), 3);
    expect(run.logTail().split('\n')).toEqual(['12:00:01.500  ERROR  provisioner  cannot list pods  err=boom', 'Error: boom', '    at main (src/main.ts:10:3)']);
  });

  it('reports the exit and stops through the controller handle', async () => {
    const controller = fakeController([]);
    const run = controllerRun(controller);
    await expect(run.exited).resolves.toEqual({ code: 1, signal: null });
    await run.stop();
    expect(controller.stops).toBe(1);
    expect(run.controller).toBe(controller);
  });
});
