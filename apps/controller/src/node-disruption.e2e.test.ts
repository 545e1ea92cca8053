/**
 * The node side of disruption on a real local control plane (tools/local-cluster: kube-apiserver, etcd,
 * kube-scheduler, kwok nodes) with the controller as its own process (DISRUPTION_POLL_PERIOD and
 * DISRUPTION_VALIDATION_PERIOD 2s) and the simulated cloud provider:
 * - drift: a NodePool template label change marks every NodeClaim of the pool `Drifted` (NodePoolDrifted); the
 *   disruption loop replaces them one at a time under a `nodes: "1"` budget for reason Drifted, each replacement
 *   (launched from the new template) Initialized before its candidate is deleted, checked on every watch event
 *   of the pool's NodeClaims and Nodes; `Disrupting` and `DisruptionBlocked` events on NodeClaims and Nodes;
 * - expiration: a NodeClaim with a short `expireAfter` is deleted when it elapses, whatever the budgets say
 *   (the pool's budget is `nodes: "0"`), and the provisioner replaces capacity for its pod;
 * - terminationGracePeriod: a pod a PodDisruptionBudget never lets go (minAvailable 1, 1 replica) is never
 *   evicted, and is deleted at the NodeClaim's deadline minus its own terminationGracePeriodSeconds.
 * Each scenario has its own NodePool and a Deployment pinned to it, `consolidateAfter: Never` so emptiness
 * stays out of the way. Figures (latencies, deadline accuracy) are printed.
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import type { Node, NodeClaim, Pod } from '@karpenter-ts/provisioner-domain';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kube/config.js';
import { Informer } from './kube/informer.js';
import { HttpKubeClient } from './kube/http-client.js';
import { resources, type ResourceType } from './kube/resources.js';
import { createLogger } from './log.js';
import { isConditionTrue } from './state/conditions.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type ControllerLogLine, type RunningController } from './testing/harness.js';

const LOG_DIR = mkdtempSync(join(tmpdir(), 'karpenter-ts-node-disruption-e2e-'));
const CONTROLLER_LOG = join(LOG_DIR, 'controller.log');
let failed = false;
let cluster: LocalCluster;
let controller: RunningController;
let admin: HttpKubeClient;
const suiteStartMs = Date.now();

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
const running = (pods: Pod[]): Pod[] => pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
const podsOf = async (app: string): Promise<Pod[]> => (await admin.list<Pod>(resources.pods, { namespace: 'default', labelSelector: `app=${app}` })).items;
const claimsOf = async (pool: string): Promise<NodeClaim[]> => (await admin.list<NodeClaim>(resources.nodeClaims, { labelSelector: `karpenter.sh/nodepool=${pool}` })).items;
const figure = (text: string): void => void process.stderr.write(`[node-disruption e2e] ${text}\n`);
const logTimeMs = (line: ControllerLogLine): number => Date.parse(String(line.time));

/** The seed's NodePool renamed `name`, consolidateAfter Never, with template labels, budgets, instance types and spec fields. */
function pool(
  name: string,
  o: { labels?: Record<string, string>; expireAfter?: string; terminationGracePeriod?: string; budgets?: { nodes: string; reasons?: string[] }[]; instanceTypes?: string[] } = {},
): Record<string, unknown> {
  const base = defaultNodePool('Never') as { metadata: Record<string, unknown>; spec: { template: { spec: { requirements: unknown[] } & Record<string, unknown> }; disruption: Record<string, unknown> } };
  const requirements = [...base.spec.template.spec.requirements, ...(o.instanceTypes ? [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: o.instanceTypes }] : [])];
  return {
    ...base,
    metadata: { name },
    spec: {
      ...base.spec,
      disruption: { ...base.spec.disruption, ...(o.budgets ? { budgets: o.budgets } : {}) },
      template: {
        ...(o.labels ? { metadata: { labels: o.labels } } : {}),
        spec: {
          ...base.spec.template.spec,
          requirements,
          ...(o.expireAfter ? { expireAfter: o.expireAfter } : {}),
          ...(o.terminationGracePeriod ? { terminationGracePeriod: o.terminationGracePeriod } : {}),
        },
      },
    },
  };
}

/** `replicas` (default 1) pause pods of `cpu` (default 1) pinned to NodePool `nodePool`, with their own terminationGracePeriodSeconds. */
function deployment(app: string, nodePool: string, terminationGracePeriodSeconds = 0, o: { replicas?: number; cpu?: string; podFinalizers?: string[] } = {}): Record<string, unknown> {
  const base = pauseDeployment(app, o.replicas ?? 1, o.cpu ?? '1') as { spec: { template: { metadata: Record<string, unknown>; spec: Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown> };
  const metadata = { ...base.spec.template.metadata, ...(o.podFinalizers ? { finalizers: o.podFinalizers } : {}) };
  return {
    ...base,
    spec: { ...base.spec, template: { ...base.spec.template, metadata, spec: { ...base.spec.template.spec, terminationGracePeriodSeconds, nodeSelector: { 'karpenter.sh/nodepool': nodePool } } } },
  };
}

/** Waits for the app's single pod Running and returns it with its NodeClaim. */
async function runningPod(app: string, nodePool: string, not?: string): Promise<{ pod: Pod; claim: NodeClaim }> {
  let found: { pod: Pod; claim: NodeClaim } | undefined;
  await waitFor(
    async () => {
      const pod = running(await podsOf(app)).find((p) => p.spec.nodeName && p.spec.nodeName !== not);
      const claim = pod ? (await claimsOf(nodePool)).find((c) => c.status?.nodeName === pod.spec.nodeName) : undefined;
      found = pod && claim ? { pod, claim } : undefined;
      return found !== undefined;
    },
    { description: `pod of ${app} Running on a node of ${nodePool}${not ? ` other than ${not}` : ''}`, timeoutMs: 120_000, intervalMs: 250 },
  );
  return found as { pod: Pod; claim: NodeClaim };
}

const isDisruptingNode = (n: Node | undefined): boolean => Boolean(n?.metadata.deletionTimestamp) || (n?.spec?.taints ?? []).some((t) => t.key === 'karpenter.sh/disrupted');

/**
 * Watches the NodeClaims and Nodes of one NodePool and the pods of one app from the API server (every event, not
 * samples) and records, in ms since the epoch: when each NodeClaim was created, first seen `Drifted`,
 * `Initialized`, and deleting. Violations recorded as they happen: more than one drifted (old) NodeClaim
 * disrupting at once (being deleted, or its Node tainted `karpenter.sh/disrupted` or being deleted), an old
 * NodeClaim deleted while fewer replacements (`isReplacement`) are Initialized than old NodeClaims deleted so
 * far, and a Node deleted while a pod neither evicted nor deleted is still bound to it.
 */
class DriftWatch {
  readonly violations: string[] = [];
  readonly errors: string[] = [];
  readonly createdMs = new Map<string, number>();
  readonly driftedMs = new Map<string, number>();
  readonly driftReasons = new Set<string>();
  readonly initializedMs = new Map<string, number>();
  readonly deletedMs = new Map<string, number>();
  /** Termination conditions (`Drained=True`, ...) each drifted NodeClaim showed while it was deleted. */
  readonly terminationConditions = new Map<string, Set<string>>();
  peakDisrupting = 0;
  readonly started: Promise<void>;
  private readonly claims = new Map<string, NodeClaim>();
  private readonly nodes = new Map<string, Node>();
  private readonly pods = new Map<string, Pod>();
  private readonly abort = new AbortController();
  private readonly done: Promise<void>[] = [];

  constructor(
    private readonly nodePool: string,
    app: string,
    private readonly isReplacement: (claim: NodeClaim) => boolean,
  ) {
    const selector = `karpenter.sh/nodepool=${nodePool}`;
    const claimsListed = this.follow<NodeClaim>(resources.nodeClaims, selector, (type, c) => this.onClaim(type, c));
    const nodesListed = this.follow<Node>(resources.nodes, selector, (type, n) => {
      if (type === 'DELETED') {
        // Pod events of an eviction land long before the drained node goes: a pod still bound here, not being deleted, was never evicted.
        const stranded = [...this.pods.values()].filter((p) => p.spec.nodeName === n.metadata.name && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
        if (stranded.length > 0) this.violations.push(`node ${n.metadata.name ?? ''} deleted while holding ${stranded.map((p) => p.metadata.name).join(', ')}`);
        this.nodes.delete(n.metadata.name ?? '');
      } else this.nodes.set(n.metadata.name ?? '', n);
      this.check();
    });
    const podsListed = this.follow<Pod>(resources.pods, `app=${app}`, (type, p) => {
      if (type === 'DELETED') this.pods.delete(p.metadata.uid ?? '');
      else this.pods.set(p.metadata.uid ?? '', p);
    });
    this.started = Promise.all([claimsListed, nodesListed, podsListed]).then(() => undefined);
  }

  private follow<T extends NodeClaim | Node | Pod>(type: ResourceType, labelSelector: string, onEvent: (type: string, object: T) => void): Promise<void> {
    const followed = followWithInformer<T>(type, labelSelector, onEvent, this.errors, this.abort.signal);
    this.done.push(followed.done);
    return followed.synced;
  }

  private onClaim(type: string, claim: NodeClaim): void {
    const name = claim.metadata.name ?? '';
    const nowMs = Date.now();
    if (!this.createdMs.has(name)) this.createdMs.set(name, nowMs);
    const drifted = claim.status?.conditions?.find((c) => c.type === 'Drifted' && c.status === 'True');
    if (drifted && !this.driftedMs.has(name)) {
      this.driftedMs.set(name, nowMs);
      this.driftReasons.add(drifted.reason ?? '');
    }
    if (isConditionTrue(claim, 'Initialized') && !this.initializedMs.has(name) && this.isReplacement(claim)) this.initializedMs.set(name, nowMs);
    if ((claim.metadata.deletionTimestamp || type === 'DELETED') && !this.deletedMs.has(name) && !this.isReplacement(claim)) {
      this.deletedMs.set(name, nowMs);
      if (this.initializedMs.size < this.deletedMs.size) {
        this.violations.push(`NodeClaim ${name} deleted with ${this.initializedMs.size} replacement(s) Initialized for ${this.deletedMs.size} drifted NodeClaim(s) deleted`);
      }
    }
    if (claim.metadata.deletionTimestamp && !this.isReplacement(claim)) {
      const seen = this.terminationConditions.get(name) ?? new Set<string>();
      for (const c of claim.status?.conditions ?? []) if (['Drained', 'VolumesDetached', 'InstanceTerminating'].includes(c.type)) seen.add(`${c.type}=${c.status}`);
      this.terminationConditions.set(name, seen);
    }
    if (type === 'DELETED') this.claims.delete(name);
    else this.claims.set(name, claim);
    this.check();
  }

  private check(): void {
    const disrupting = [...this.claims.values()].filter(
      (c) => !this.isReplacement(c) && (Boolean(c.metadata.deletionTimestamp) || isDisruptingNode(this.nodes.get(c.status?.nodeName ?? ''))),
    );
    this.peakDisrupting = Math.max(this.peakDisrupting, disrupting.length);
    const violation = disrupting.length > 1 ? `${disrupting.length} drifted NodeClaims of ${this.nodePool} disrupting at once: ${disrupting.map((c) => c.metadata.name).join(', ')}` : undefined;
    if (violation && this.violations.at(-1) !== violation) this.violations.push(violation);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.done);
  }
}

/**
 * Keeps the app's terminating pods Terminating for `holdMs` after the test first sees their deletionTimestamp, by
 * removing their finalizer `finalizer` only then: a drained node stays disrupting that long (KWOK deletes pods at
 * once otherwise), so a loop that ignored nodes still draining in its budget would overlap two disruptions.
 */
class FinalizerHold {
  /** Failed lists or watches of the pods (none expected). */
  readonly errors: string[] = [];
  /** When each held pod was first seen terminating, ms since the epoch. */
  private readonly seenMs = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly pods = new Map<string, Pod>();
  private readonly abort = new AbortController();
  private readonly followed: { synced: Promise<void>; done: Promise<void> };

  constructor(
    private readonly app: string,
    private readonly finalizer: string,
    public holdMs: number,
  ) {
    this.followed = followWithInformer<Pod>(resources.pods, `app=${app}`, (type, pod) => this.onPod(type, pod), this.errors, this.abort.signal);
  }

  /** Arms one release per terminating pod, `holdMs` after it was first seen. */
  private onPod(type: string, pod: Pod): void {
    const name = pod.metadata.name ?? '';
    if (type === 'DELETED') {
      this.pods.delete(name);
      clearTimeout(this.timers.get(name));
      this.timers.delete(name);
      return;
    }
    this.pods.set(name, pod);
    if (!pod.metadata.deletionTimestamp || !(pod.metadata.finalizers ?? []).includes(this.finalizer) || this.timers.has(name)) return;
    const seenMs = this.seenMs.get(name) ?? Date.now();
    this.seenMs.set(name, seenMs);
    this.timers.set(
      name,
      setTimeout(() => void this.release(name), Math.max(0, seenMs + this.holdMs - Date.now())),
    );
  }

  /** Removes the finalizer; a conflict re-reads the pod and tries again (a few times: only the test writes it). */
  private async release(name: string): Promise<void> {
    let pod = this.pods.get(name);
    for (let attempt = 0; pod && attempt < 5; attempt++) {
      const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== this.finalizer);
      try {
        await admin.patch(resources.pods, name, 'merge', { metadata: { resourceVersion: pod.metadata.resourceVersion, finalizers } }, { namespace: 'default' });
        return;
      } catch {
        pod = await admin.get<Pod>(resources.pods, name, 'default').catch(() => undefined);
      }
    }
  }

  /** Releases every pod from now on, waits until none of the app's pods is left, and stops. */
  async releaseAll(): Promise<void> {
    this.holdMs = 0;
    for (const [name, timer] of this.timers) {
      clearTimeout(timer);
      this.timers.set(name, setTimeout(() => void this.release(name), 0));
    }
    await waitFor(async () => (await podsOf(this.app)).length === 0, { description: `every ${this.app} pod gone`, timeoutMs: 60_000, intervalMs: 250 });
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.abort.abort();
    await this.followed.done;
  }
}

/**
 * Follows the `type` objects matching `labelSelector` with the controller's own Informer (list, watch, relist with
 * backoff) over the admin client, passing each event on as ADDED, MODIFIED or DELETED. A failed list or watch
 * (the informer's warnings) is recorded in `errors`. `synced` resolves once the first list is in; `done` once
 * `signal` aborts.
 */
function followWithInformer<T extends NodeClaim | Node | Pod>(
  type: ResourceType,
  labelSelector: string,
  onEvent: (type: string, object: T) => void,
  errors: string[],
  signal: AbortSignal,
): { synced: Promise<void>; done: Promise<void> } {
  const warnings = { write: (line: string) => (errors.push(`${type.plural}: ${(JSON.parse(line) as { message?: string }).message ?? line}`), true) } as unknown as NodeJS.WritableStream;
  const informer = new Informer<T>({ client: admin, type, labelSelector, log: createLogger('warn', warnings) });
  informer.on({ onAdd: (o) => onEvent('ADDED', o), onUpdate: (_, o) => onEvent('MODIFIED', o), onDelete: (o) => onEvent('DELETED', o) });
  return { synced: informer.waitForSync(signal), done: informer.run(signal) };
}

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
  writeFileSync(CONTROLLER_LOG, '');
  controller = await startController({
    kubeconfig: cluster.controllerKubeconfig,
    env: { LOG_LEVEL: 'debug', DISRUPTION_POLL_PERIOD: '2s', DISRUPTION_VALIDATION_PERIOD: '2s', SIMULATED_READY_DELAY: '2s' },
    onLog: (line) => appendFileSync(CONTROLLER_LOG, `${JSON.stringify(line)}\n`),
    onOutput: (line) => process.stderr.write(`[controller] ${line}\n`),
  });
  await apply(defaultEC2NodeClass());
  failed = false;
});

afterAll(async () => {
  await controller?.stop();
  await cluster?.stop();
  figure(`suite run time ${((Date.now() - suiteStartMs) / 1000).toFixed(1)} s`);
  if (failed) process.stderr.write(`node-disruption e2e failed; every controller log line of this run is in ${CONTROLLER_LOG}\n`);
  else rmSync(LOG_DIR, { recursive: true, force: true });
});

describe('node disruption on a local control plane', () => {
  it('a NodePool label change drifts every node; the disruption loop replaces them one at a time (budget nodes "1" for Drifted), each replacement Initialized before its candidate goes', async () => {
    const POOL = 'drift';
    const replicas = 8;
    const holdMs = 6_000;
    // 1.5 CPU pods on c-4x (3.9 CPU allocatable): two per node, and no node has room for a drifted node's pods.
    // Evicted pods stay Terminating for 6 s (a finalizer the test removes), so each drained node stays disrupting.
    const driftPool = (team: string): Record<string, unknown> =>
      pool(POOL, { labels: { team }, budgets: [{ nodes: '1', reasons: ['Drifted'] }], instanceTypes: ['c-4x-amd64-linux'] });
    const hold = new FinalizerHold('drifty', 'e2e.karpenter-ts/hold', holdMs);
    await apply(driftPool('a'), deployment('drifty', POOL, 0, { replicas, cpu: '1500m', podFinalizers: ['e2e.karpenter-ts/hold'] }));
    await waitFor(async () => running(await podsOf('drifty')).length === replicas, { description: `${replicas} drifty pods Running`, timeoutMs: 120_000, intervalMs: 250 });
    const before = await claimsOf(POOL);
    expect(before.length).toBeGreaterThanOrEqual(4);
    for (const claim of before) {
      expect(claim.metadata.annotations?.['karpenter.sh/nodepool-hash-version']).toBe('kts-v1');
      expect(claim.status?.conditions?.find((c) => c.type === 'Drifted')).toBeUndefined();
    }

    const watch = new DriftWatch(POOL, 'drifty', (c) => c.metadata.labels?.['team'] === 'b');
    await watch.started;
    const changedAtMs = Date.now();
    await apply(driftPool('b'));
    await waitFor(
      async () => {
        const claims = await claimsOf(POOL);
        const nodes = (await admin.list<Node>(resources.nodes, { labelSelector: `karpenter.sh/nodepool=${POOL}` })).items;
        const pods = await podsOf('drifty');
        return (
          claims.length > 0 &&
          claims.every((c) => c.metadata.labels?.['team'] === 'b' && !c.metadata.deletionTimestamp && isConditionTrue(c, 'Initialized')) &&
          nodes.length === claims.length &&
          nodes.every((n) => n.metadata.labels?.['team'] === 'b' && !n.metadata.deletionTimestamp) &&
          pods.length === replicas &&
          running(pods).length === replicas
        );
      },
      { description: 'every drifted node replaced by one with the new label, every pod Running', timeoutMs: 150_000, intervalMs: 250 },
    );
    const doneMs = Date.now();
    await watch.stop();

    expect(watch.errors).toEqual([]);
    expect(watch.violations).toEqual([]);
    // Every drifted NodeClaim was marked (NodePoolDrifted) and deleted by the loop, one at a time, each after a replacement.
    expect([...watch.driftedMs.keys()].sort()).toEqual(before.map((c) => c.metadata.name).sort());
    expect([...watch.driftReasons].sort()).toEqual(['NodePoolDrifted']);
    expect([...watch.deletedMs.keys()].sort()).toEqual(before.map((c) => c.metadata.name).sort());
    expect(watch.peakDisrupting).toBe(1);
    expect(watch.initializedMs.size).toBeGreaterThanOrEqual(before.length);
    // Each drained NodeClaim reported its termination: draining (the evicted pods held), drained, volumes, instance.
    for (const claim of before) {
      expect([...(watch.terminationConditions.get(claim.metadata.name ?? '') ?? [])].sort()).toEqual(['Drained=True', 'Drained=Unknown', 'InstanceTerminating=True', 'VolumesDetached=True']);
    }
    const commands = controller.logs.filter((l) => l.message === 'disrupting node(s)' && l['reason'] === 'drifted');
    expect(commands.map((l) => `${String(l['decision'])}x${String(l['disrupted-node-count'])}`)).toEqual(before.map(() => 'replacex1'));

    // Events: Disrupting on each candidate NodeClaim and its Node; DisruptionBlocked (the budget) on NodeClaims and Nodes.
    const events = JSON.parse(await kubectl(['get', 'events', '-A', '-o', 'json'])) as { items: { reason: string; message: string; involvedObject: { kind: string; name: string } }[] };
    const regarding = (reason: string, kind: string): Set<string> => new Set(events.items.filter((e) => e.reason === reason && e.involvedObject.kind === kind).map((e) => e.involvedObject.name));
    for (const claim of before) {
      expect(regarding('Disrupting', 'NodeClaim')).toContain(claim.metadata.name);
      expect(regarding('Disrupting', 'Node')).toContain(claim.status?.nodeName);
    }
    const blocked = events.items.filter((e) => e.reason === 'DisruptionBlocked' && before.some((c) => c.metadata.name === e.involvedObject.name || c.status?.nodeName === e.involvedObject.name));
    expect(new Set(blocked.map((e) => e.involvedObject.kind))).toEqual(new Set(['NodeClaim', 'Node']));
    expect(blocked.every((e) => /drifted, but .*budget/i.test(e.message))).toBe(true);

    const detectedMs = Math.min(...watch.driftedMs.values());
    const logged = await controller.waitForLog((l) => l.message === 'marked nodeclaim as drifted');
    const waits = [...watch.initializedMs.entries()].map(([name, ms]) => (ms - (watch.createdMs.get(name) ?? ms)) / 1000);
    figure(
      `drift of ${before.length} nodes (${replicas} pods): condition written ${logTimeMs(logged) - changedAtMs} ms after the NodePool apply; ` +
        `drift detected -> all replaced ${((doneMs - detectedMs) / 1000).toFixed(1)} s (${((doneMs - detectedMs) / 1000 / before.length).toFixed(1)} s per node); ` +
        `replacement created -> Initialized ${Math.min(...waits).toFixed(1)}-${Math.max(...waits).toFixed(1)} s; evicted pods held Terminating ${holdMs / 1000} s; peak drifted nodes disrupting at once ${watch.peakDisrupting}`,
    );
    await kubectl(['delete', 'deployment', 'drifty', '--wait=false']);
    await hold.releaseAll();
    expect(hold.errors).toEqual([]);
    await kubectl(['delete', 'nodepool', POOL, '--wait=false']);
  });

  it('a NodeClaim with a short expireAfter is deleted when it elapses (budget nodes "0" notwithstanding) and its pod gets a new node', async () => {
    const expireAfterS = 30;
    await apply(pool('expiring', { expireAfter: `${expireAfterS}s`, budgets: [{ nodes: '0' }] }), deployment('expiring', 'expiring'));
    const { pod, claim } = await runningPod('expiring', 'expiring');
    expect(claim.spec.expireAfter).toBe(`${expireAfterS}s`);
    const logged = await controller.waitForLog(
      (l) => l.message === 'disrupting nodeclaim(s) via delete' && l['reason'] === 'expired' && (l['NodeClaim'] as { name?: string } | undefined)?.name === claim.metadata.name,
      { timeoutMs: 120_000, description: 'expiration of the first NodeClaim' },
    );
    const expiresAtMs = Date.parse(claim.metadata.creationTimestamp ?? '') + expireAfterS * 1000;
    figure(`expiration latency: ${logTimeMs(logged) - expiresAtMs} ms after creationTimestamp + expireAfter (creationTimestamp has 1 s resolution)`);
    expect(logTimeMs(logged)).toBeGreaterThanOrEqual(expiresAtMs);
    const replaced = await runningPod('expiring', 'expiring', pod.spec.nodeName);
    expect(replaced.claim.metadata.name).not.toBe(claim.metadata.name);
    await waitFor(async () => !(await claimsOf('expiring')).some((c) => c.metadata.name === claim.metadata.name), { description: 'expired NodeClaim gone', timeoutMs: 60_000, intervalMs: 250 });
    await kubectl(['delete', 'deployment', 'expiring', '--wait=false']);
    await kubectl(['delete', 'nodepool', 'expiring', '--wait=false']);
  });

  it('a pod a PDB never lets go and a do-not-disrupt pod are not evicted; both are deleted at the terminationGracePeriod deadline minus their own grace period', async () => {
    const tgpS = 20;
    const podGraceS = 5;
    await apply(
      pool('guarded', { terminationGracePeriod: `${tgpS}s` }),
      deployment('guarded', 'guarded', podGraceS),
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guarded', namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } },
    );
    const { pod, claim } = await runningPod('guarded', 'guarded');
    expect(claim.spec.terminationGracePeriod).toBe(`${tgpS}s`);
    // A do-not-disrupt pod bound to the same node: never evicted, waited for until the deadline.
    await apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pinned', namespace: 'default', annotations: { 'karpenter.sh/do-not-disrupt': 'true' } },
      spec: { nodeName: pod.spec.nodeName, terminationGracePeriodSeconds: podGraceS, containers: [{ name: 'pinned', image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.2', resources: { requests: { cpu: '10m' } } }] },
    });
    await waitFor(async () => (await admin.get<Pod>(resources.pods, 'pinned', 'default')).status?.phase === 'Running', { description: 'the do-not-disrupt pod Running', timeoutMs: 60_000, intervalMs: 250 });
    await kubectl(['delete', 'nodeclaim', claim.metadata.name ?? '', '--wait=false']);
    const deleting = await admin.get<NodeClaim>(resources.nodeClaims, claim.metadata.name ?? '');
    const deadlineMs = Date.parse(String(deleting.metadata.deletionTimestamp)) + tgpS * 1000;

    const deleted = await controller.waitForLog((l) => l.message === 'deleting pod' && (l['Pod'] as { name?: string } | undefined)?.name === pod.metadata.name, {
      timeoutMs: 120_000,
      description: 'the guarded pod deleted at the deadline',
    });
    const dueMs = deadlineMs - podGraceS * 1000;
    figure(`terminationGracePeriod deadline accuracy: pod deleted ${logTimeMs(deleted) - dueMs} ms after deadline - pod grace (deletionTimestamp has 1 s resolution)`);
    expect(logTimeMs(deleted)).toBeGreaterThanOrEqual(dueMs - 1_000);
    // The time left is truncated to whole seconds (as Karpenter does): the delete comes a few ms after it is due.
    expect(deleted['delete.gracePeriodSeconds']).toBeGreaterThanOrEqual(podGraceS - 1);
    expect(deleted['delete.gracePeriodSeconds']).toBeLessThanOrEqual(podGraceS);
    // The PDB was asked (429s), never bypassed by an eviction.
    expect(controller.logs.some((l) => l.message === 'evicted pod' && (l['Pod'] as { name?: string } | undefined)?.name === pod.metadata.name)).toBe(false);
    expect(controller.logs.some((l) => l.message === 'eviction refused by a PodDisruptionBudget, retrying' && (l['Pod'] as { name?: string } | undefined)?.name === pod.metadata.name)).toBe(true);
    // The do-not-disrupt pod: never asked to leave, deleted at the same due time (it has the same grace period).
    const pinnedDeleted = await controller.waitForLog((l) => l.message === 'deleting pod' && (l['Pod'] as { name?: string } | undefined)?.name === 'pinned', { timeoutMs: 30_000, description: 'the do-not-disrupt pod deleted at the deadline' });
    figure(`do-not-disrupt pod deleted ${logTimeMs(pinnedDeleted) - dueMs} ms after deadline - pod grace`);
    expect(logTimeMs(pinnedDeleted)).toBeGreaterThanOrEqual(dueMs - 1_000);
    expect(controller.logs.some((l) => (l.message === 'evicted pod' || l.message === 'eviction refused by a PodDisruptionBudget, retrying') && (l['Pod'] as { name?: string } | undefined)?.name === 'pinned')).toBe(false);

    await waitFor(async () => !(await claimsOf('guarded')).some((c) => c.metadata.name === claim.metadata.name), { description: 'NodeClaim gone after the deadline', timeoutMs: 60_000, intervalMs: 250 });
    await runningPod('guarded', 'guarded', pod.spec.nodeName);
    await kubectl(['delete', 'pdb', 'guarded']);
    await kubectl(['delete', 'deployment', 'guarded', '--wait=false']);
  });
});
