/**
 * `npm start`'s supervision on a real local control plane, wired exactly as main.ts wires it
 * (`startCluster({ supervise })` and `startSupervisedController`): the controller, kube-scheduler and kwok are
 * SIGKILLed; each crash is reported at once with its signal and last log lines, kubectl keeps answering while
 * the controller is down, all come back, and a pod scaled up afterwards gets a node launched by the restarted
 * controller, is bound by the restarted scheduler and made Running by the restarted kwok. One cluster start;
 * every wait polls a condition.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startCluster, waitFor, type LocalCluster, type Supervisor, type SupervisorEvent } from '@karpenter-ts/local-cluster';
import { installControllerPrereqs, runKubectl, samplesDir } from '@karpenter-ts/controller/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterView } from './cluster-view.js';
import { renderSupervisorEvent } from './crash-report.js';
import { startSupervisedController, type ControllerRun } from './supervised-controller.js';

let cluster: LocalCluster | undefined;
let controller: Supervisor<ControllerRun> | undefined;
/** Every supervisor event with the wall-clock time it arrived. */
const events: { atMs: number; event: SupervisorEvent }[] = [];
const onEvent = (event: SupervisorEvent): void => {
  events.push({ atMs: Date.now(), event });
  console.log(`[supervision e2e] ${renderSupervisorEvent(event).join('\n')}`);
};
const eventOf = <T extends SupervisorEvent['type']>(name: string, type: T): { atMs: number; event: Extract<SupervisorEvent, { type: T }> } | undefined =>
  events.find((e) => e.event.name === name && e.event.type === type) as { atMs: number; event: Extract<SupervisorEvent, { type: T }> } | undefined;

beforeAll(async () => {
  cluster = await startCluster({ log: () => undefined, supervise: { onEvent } });
  await installControllerPrereqs(cluster.kubectl, cluster.adminKubeconfig);
  controller = await startSupervisedController({ kubeconfig: cluster.controllerKubeconfig, env: { CLOUD_PROVIDER: 'simulated' }, onEvent });
  const view = new ClusterView(cluster.adminKubeconfig);
  await view.apply(readFileSync(path.join(samplesDir, 'default-nodepool.yaml'), 'utf8'));
  await view.apply(readFileSync(path.join(samplesDir, 'inflate.yaml'), 'utf8')); // replicas: 0
});

afterAll(async () => {
  await controller?.stop();
  await cluster?.stop();
});

describe("npm start's supervisor", () => {
  it('restarts a killed controller, kube-scheduler and kwok while the cluster keeps serving; a pod scaled up afterwards gets a node', async () => {
    if (cluster === undefined || controller === undefined) throw new Error('beforeAll did not start the cluster');
    const view = new ClusterView(cluster.adminKubeconfig);
    expect(await view.launchedNodes()).toEqual([]);
    const first = controller.current?.controller;
    const scheduler = cluster.processes.find((p) => p.name === 'kube-scheduler');
    const kwok = cluster.processes.find((p) => p.name === 'kwok');
    if (first === undefined || scheduler === undefined || kwok === undefined) throw new Error('controller, kube-scheduler or kwok not running');

    const killedMs = Date.now();
    process.kill(-first.pid, 'SIGKILL');
    process.kill(-scheduler.pid, 'SIGKILL');
    process.kill(-kwok.pid, 'SIGKILL');

    const exited = await waitFor(() => eventOf('controller', 'exited'), { description: 'the controller crash report', timeoutMs: 10_000, intervalMs: 20 });
    expect(exited.event.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(exited.event.logTail).not.toBe('');
    expect(exited.event.restartInMs).toBe(1000);
    // The user's kubectl keeps working while the controller is down.
    expect(controller.current).toBeUndefined();
    expect(await runKubectl(cluster.kubectl, cluster.adminKubeconfig, ['get', 'nodepools', '-o', 'name'])).toContain('nodepool.karpenter.sh/default');

    const schedulerExited = await waitFor(() => eventOf('kube-scheduler', 'exited'), { description: 'the kube-scheduler crash report', timeoutMs: 10_000, intervalMs: 20 });
    expect(schedulerExited.event.exit.signal).toBe('SIGKILL');
    const restarted = await waitFor(() => eventOf('controller', 'restarted'), { description: 'the controller restart', timeoutMs: 120_000, intervalMs: 100 });
    const schedulerRestarted = await waitFor(() => eventOf('kube-scheduler', 'restarted'), { description: 'the kube-scheduler restart', timeoutMs: 120_000, intervalMs: 100 });
    const kwokRestarted = await waitFor(() => eventOf('kwok', 'restarted'), { description: 'the kwok restart', timeoutMs: 120_000, intervalMs: 100 });
    expect(eventOf('kwok', 'exited')?.event.exit.signal).toBe('SIGKILL');
    const second = controller.current?.controller;
    expect(second?.pid).not.toBe(first.pid);
    expect(cluster.processes.find((p) => p.name === 'kube-scheduler')?.pid).not.toBe(scheduler.pid);
    expect(cluster.processes.find((p) => p.name === 'kwok')?.pid).not.toBe(kwok.pid);

    const scaledMs = Date.now();
    await view.scaleDeployment('default', 'inflate', 1);
    await view.waitForRunningPods('default', 'app=inflate', 1, { timeoutMs: 180_000 });
    const runningMs = Date.now();
    const nodes = await view.launchedNodes();
    expect(nodes.map((n) => n.pods)).toEqual([1]);
    expect(second?.logs.some((line) => line.message === 'launched nodeclaim')).toBe(true);
    expect(events.map((e) => e.event.type).filter((t) => t !== 'exited' && t !== 'restarted')).toEqual([]);
    const leading = second?.logs.find((line) => line.message === 'successfully acquired lease');
    const leadingMs = leading?.time === undefined ? Number.NaN : new Date(leading.time).getTime();

    console.log(
      `[supervision e2e] crash reported after ${exited.atMs - killedMs} ms (controller), ${schedulerExited.atMs - killedMs} ms (kube-scheduler); ` +
        `controller ready again ${restarted.atMs - killedMs} ms after the kill (down ${restarted.event.downtimeMs} ms), ` +
        `kube-scheduler ${schedulerRestarted.atMs - killedMs} ms, kwok ${kwokRestarted.atMs - killedMs} ms; the new controller leads ${leadingMs - killedMs} ms after the kill; ` +
        `pod Running ${runningMs - scaledMs} ms after the scale-up`,
    );
  });
});
