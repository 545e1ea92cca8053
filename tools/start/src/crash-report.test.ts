import { describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '@karpenter-ts/local-cluster';
import { CrashTally, describeDuration, describeExit, renderSupervisorEvent } from './crash-report.js';

const exited = (overrides: Partial<Extract<SupervisorEvent, { type: 'exited' }>> = {}): SupervisorEvent => ({
  type: 'exited',
  name: 'controller',
  exit: { code: 1, signal: null },
  uptimeMs: 125_000,
  logTail: '12:00:01.000  ERROR  provisioner  cannot list pods\nError: boom',
  crashesInARow: 1,
  restartInMs: 1000,
  ...overrides,
});

describe('renderSupervisorEvent', () => {
  it('names the process, the exit code, the uptime and the restart plan, then its last lines', () => {
    expect(renderSupervisorEvent(exited())).toEqual([
      'controller exited (exit code 1) after 2 min 05 s up; restarting it in 1.0 s',
      '  last lines of controller:',
      '  | 12:00:01.000  ERROR  provisioner  cannot list pods',
      '  | Error: boom',
    ]);
  });

  it('names the signal of a killed process and the crash count in a row; no tail block without output', () => {
    const lines = renderSupervisorEvent(exited({ name: 'kube-scheduler', exit: { code: null, signal: 'SIGKILL' }, uptimeMs: 800, logTail: '', crashesInARow: 3, restartInMs: 4000 }));
    expect(lines).toEqual(['kube-scheduler exited (killed by SIGKILL) after 800 ms up; restarting it in 4.0 s (crash 3 in a row)']);
  });

  it('says when it will not restart', () => {
    expect(renderSupervisorEvent(exited({ restartInMs: undefined, logTail: '' }))).toEqual(['controller exited (exit code 1) after 2 min 05 s up; not restarting it']);
    expect(renderSupervisorEvent({ type: 'gave-up', name: 'etcd', crashesInARow: 6 })).toEqual(['etcd crashed 6 times in a row; giving up on it']);
  });

  it('reports a failed restart with the error and its details indented', () => {
    const event: SupervisorEvent = { type: 'start-failed', name: 'kwok', error: 'kwok exited again (code 2)\nflag provided but not defined', crashesInARow: 2, restartInMs: 2000 };
    expect(renderSupervisorEvent(event)).toEqual(['kwok did not come back: kwok exited again (code 2); retrying in 2.0 s', '  | flag provided but not defined']);
  });

  it('reports a restart with the downtime', () => {
    expect(renderSupervisorEvent({ type: 'restarted', name: 'controller', downtimeMs: 17_400, restarts: 1 })).toEqual(['controller is back after 17.4 s down (restart 1)']);
  });
});

describe('describeExit and describeDuration', () => {
  it.each([
    [{ code: 0, signal: null }, 'exit code 0'],
    [{ code: null, signal: 'SIGTERM' as const }, 'killed by SIGTERM'],
    [{ code: null, signal: null }, 'exit code unknown'],
  ])('%o -> %s', (exit, text) => expect(describeExit(exit)).toBe(text));

  it.each([
    [0, '0 ms'],
    [999, '999 ms'],
    [1000, '1.0 s'],
    [59_949, '59.9 s'],
    [60_000, '1 min 00 s'],
    [3_725_000, '62 min 05 s'],
  ])('%d ms -> %s', (ms, text) => expect(describeDuration(ms)).toBe(text));
});

describe('CrashTally', () => {
  it('exits 0 when nothing crashed, whatever else happened', () => {
    const tally = new CrashTally();
    expect(tally.record({ type: 'restarted', name: 'controller', downtimeMs: 1, restarts: 1 })).toBe(false);
    expect(tally.exitCode()).toBe(0);
    expect(tally.summary()).toBe('');
  });

  it('exits 1 after any crash, even one that was restarted, and counts per process', () => {
    const tally = new CrashTally();
    expect(tally.record(exited())).toBe(true);
    tally.record({ type: 'restarted', name: 'controller', downtimeMs: 1, restarts: 1 });
    tally.record(exited());
    tally.record({ type: 'start-failed', name: 'kwok', error: 'x', crashesInARow: 2, restartInMs: 2000 });
    expect(tally.crashes).toBe(3);
    expect(tally.summary()).toBe('controller 2, kwok 1');
    expect(tally.exitCode()).toBe(1);
  });

  it('remembers the first process it gave up on', () => {
    const tally = new CrashTally();
    tally.record({ type: 'gave-up', name: 'etcd', crashesInARow: 6 });
    tally.record({ type: 'gave-up', name: 'kube-apiserver', crashesInARow: 6 });
    expect(tally.gaveUp).toBe('etcd');
    expect(tally.exitCode()).toBe(1);
  });
});
