/**
 * Leader failover mid-scale-up, on a real local control plane (tools/local-cluster) with two controller
 * processes: 20 pods need several nodes, the simulated provider takes SIMULATED_LAUNCH_DELAY per launch, and the
 * leader is killed with SIGKILL (no lease release) once its NodeClaims exist but before any has launched. The
 * follower must take the lease when it expires, finish the in-flight launches and create nothing twice: as many
 * NodeClaims as the domain scheduler plans for those pods, one Node per NodeClaim (no orphan simulated
 * instance), every Node hosting some of the pods, all 20 pods Running. The failover time (kill → lease acquired
 * by the follower, kill → its first launch) is printed. Every wait polls a condition; nothing sleeps a fixed time.
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import type { NodeClaim, Pod } from '@karpenter-ts/provisioner-domain';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kube/config.js';
import { HttpKubeClient } from './kube/http-client.js';
import { resources } from './kube/resources.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type ControllerLogLine, type RunningController } from './testing/harness.js';
import { readProcessMemory } from './testing/process-memory.js';
import { auditLaunches, plannedNodeClaimCount } from './testing/scale-up.js';

const LEASE_MS = 6_000;
const LAUNCH_DELAY_MS = 12_000;
const PODS = 20;
const APP = 'failover';
const LOG_DIR = mkdtempSync(join(tmpdir(), 'karpenter-ts-failover-e2e-'));
let failed = false;

let cluster: LocalCluster;
let admin: HttpKubeClient;
const controllers: Record<'a' | 'b', RunningController | undefined> = { a: undefined, b: undefined };
const figures: Record<string, number | string> = {};

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));

/** The `default` NodePool limited to 8-CPU instances, so 20 one-CPU pods need several nodes; never consolidated during the test. */
function eightCpuNodePool(): Record<string, unknown> {
  const nodePool = defaultNodePool('10m') as { spec: { template: { spec: { requirements: unknown[] } } } };
  nodePool.spec.template.spec.requirements = [...nodePool.spec.template.spec.requirements, { key: 'karpenter.kwok.sh/instance-cpu', operator: 'In', values: ['8'] }];
  return nodePool as unknown as Record<string, unknown>;
}

function start(name: 'a' | 'b'): Promise<RunningController> {
  const logFile = join(LOG_DIR, `controller-${name}.log`);
  writeFileSync(logFile, '');
  return startController({
    kubeconfig: cluster.controllerKubeconfig,
    env: {
      LOG_LEVEL: 'debug',
      LEADER_ELECTION_LEASE_DURATION: `${LEASE_MS / 1000}s`,
      LEADER_ELECTION_RENEW_DEADLINE: '4s',
      LEADER_ELECTION_RETRY_PERIOD: '500ms',
      SIMULATED_LAUNCH_DELAY: `${LAUNCH_DELAY_MS / 1000}s`,
      // One provisioning round for all the pods even when the ReplicaSet creates them slowly (a loaded machine):
      // the plan compared against is one round's.
      BATCH_IDLE_DURATION: '3s',
    },
    onLog: (line) => appendFileSync(logFile, `${JSON.stringify(line)}\n`),
    onOutput: (line) => process.stderr.write(`[controller ${name}] ${line}\n`),
  });
}

const has = (c: RunningController | undefined, message: string): boolean => (c?.logs ?? []).some((l: ControllerLogLine) => l.message === message);

beforeEach(({ onTestFailed }) =>
  onTestFailed(() => {
    failed = true;
  }),
);

beforeAll(async () => {
  failed = true;
  cluster = await startCluster();
  await installControllerPrereqs(cluster.kubectl, cluster.adminKubeconfig);
  admin = new HttpKubeClient(loadKubeConfig(cluster.adminKubeconfig));
  await apply(eightCpuNodePool(), defaultEC2NodeClass());
  controllers.a = await start('a');
  await controllers.a.waitForLog((l) => l.message === 'successfully acquired lease', { timeoutMs: 60_000, description: 'a leads' });
  controllers.b = await start('b');
  await controllers.b.waitForLog((l) => l.message === 'attempting to acquire leader lease', { timeoutMs: 60_000, description: 'b campaigns' });
  failed = false;
}, 170_000);

afterAll(async () => {
  await Promise.all([controllers.a?.stop(), controllers.b?.stop()]);
  await cluster?.stop();
  process.stderr.write(`leader-failover e2e figures: ${JSON.stringify(figures)}\n`);
  if (failed) process.stderr.write(`leader-failover e2e failed; the controllers' log lines are in ${LOG_DIR}\n`);
  else rmSync(LOG_DIR, { recursive: true, force: true });
});

describe('leader failover on a real control plane', () => {
  it('SIGKILL of the leader mid-scale-up: the follower takes over, no duplicate NodeClaims or orphan instances, all pods Running', async () => {
    const leader = controllers.a;
    const follower = controllers.b;
    if (!leader || !follower) throw new Error('controllers did not start');
    expect(has(follower, 'successfully acquired lease')).toBe(false);
    const leaderIdle = readProcessMemory(leader.pid);
    figures['leader RSS idle MiB'] = mib(leaderIdle.rssBytes);

    // What one controller plans for these pods (the domain scheduler on the same NodePool, node class, catalog).
    const expectedNodeClaims = await plannedNodeClaimCount(admin, { app: APP, replicas: PODS, cpu: '1' });
    expect(expectedNodeClaims).toBeGreaterThan(1);
    figures['planned NodeClaims'] = expectedNodeClaims;

    const created = Date.now();
    await apply(pauseDeployment(APP, PODS));
    // Mid-scale-up: the leader created its NodeClaims, none has launched yet (each launch takes LAUNCH_DELAY_MS).
    await waitFor(async () => (await admin.list<NodeClaim>(resources.nodeClaims)).items.length === expectedNodeClaims, {
      description: `${expectedNodeClaims} NodeClaims created by the leader`,
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    const inFlight = (await admin.list<NodeClaim>(resources.nodeClaims)).items;
    expect(inFlight.filter((c) => c.status?.providerID)).toEqual([]);
    expect(has(leader, 'launched nodeclaim')).toBe(false);

    const killedAt = Date.now();
    process.kill(-leader.pid, 'SIGKILL');
    expect((await leader.exit).signal).toBe('SIGKILL');
    const acquired = await follower.waitForLog((l) => l.message === 'successfully acquired lease', { timeoutMs: 60_000, description: 'follower takes the lease' });
    figures['failover: kill -> lease acquired s'] = seconds(Date.parse(String(acquired.time)) - killedAt);
    const started = await follower.waitForLog((l) => l.message === 'starting controllers', { timeoutMs: 30_000, description: 'new leader starts its controllers' });
    figures['failover: kill -> controllers started by the new leader s'] = seconds(Date.parse(String(started.time)) - killedAt);
    const firstLaunch = await follower.waitForLog((l) => l.message === 'launched nodeclaim', { timeoutMs: 90_000, description: 'follower launches the in-flight NodeClaims' });
    figures['failover: kill -> first launch by the new leader s'] = seconds(Date.parse(String(firstLaunch.time)) - killedAt);

    await waitFor(
      async () => {
        const items = (await admin.list<Pod>(resources.pods, { namespace: 'default', labelSelector: `app=${APP}` })).items;
        return items.filter((p) => p.status?.phase === 'Running').length === PODS;
      },
      { description: `${PODS} pods Running`, timeoutMs: 120_000, intervalMs: 250 },
    );
    figures['pods created -> all Running s'] = seconds(Date.now() - created);
    figures['new leader RSS after the scale-up MiB'] = mib(readProcessMemory(follower.pid).rssBytes);
    figures['new leader peak RSS MiB'] = mib(readProcessMemory(follower.pid).peakRssBytes);

    // No duplicate launch: the same NodeClaims the killed leader created, each with exactly one instance
    // hosting some of the pods (none bought for pods another NodeClaim already covers).
    const audit = await auditLaunches(admin, APP);
    expect(audit.nodeClaims.map((c) => c.metadata.name).sort()).toEqual(inFlight.map((c) => c.metadata.name).sort());
    expect(audit.nodeClaims).toHaveLength(expectedNodeClaims);
    expect(follower.logs.filter((l) => l.message === 'created nodeclaim')).toEqual([]);
    expect(audit.orphanInstances).toEqual([]);
    expect(audit.emptyInstances).toEqual([]);
    expect(audit.instances).toHaveLength(expectedNodeClaims);
    expect(audit.runningPods).toBe(PODS);
  }, 170_000);
});

const seconds = (ms: number): number => Math.round(ms / 100) / 10;
const mib = (bytes: number): number => Math.round(bytes / 1024 / 1024);
