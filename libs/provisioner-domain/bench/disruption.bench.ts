/**
 * Disruption planning benchmark (issue 12). Prints figures; never passes or fails on time.
 *
 *   npx tsx bench/disruption.bench.ts [--nodes 100,500,2000] [--passes 20]
 *
 * Cluster: the scheduling benchmark's pod mix (five groups, 400 instance types; see benchmark-shape.ts), about
 * 5 pods per node, packed by `schedule` into NodeClaims that become initialized nodes, then scaled down by 50%
 * (every pod dropped with probability ½, seeded). One NodePool, WhenEmptyOrUnderutilized, consolidateAfter 0s,
 * budget 100% (so the planner, not the budget, bounds a pass). Pods are owned by a ReplicaSet.
 *
 * Figures per size: time of a pass issuing only its first command (`maxCommands: 1`), time of a full pass
 * (every command the budgets and the default simulation bounds allow), the commands and simulations of that
 * pass, its CPU time (user + system of this process, which other processes on the machine disturb less than
 * the wall-clock figures), $/h before and after it, then passes repeated on their own applied output until no command is left
 * (at most --passes) with the final $/h and its ratio to the lower bound (total requests at the best price per
 * CPU or GiB), and the heap growth of a full pass.
 */
import type { NodeClaim } from '../src/apis/nodeclaim.js';
import type { Node, Pod } from '../src/core/types.js';
import { applyDisruption } from '../src/disruption/apply.js';
import { disrupt } from '../src/disruption/disrupt.js';
import type { DisruptionInput, DisruptionNodeInput } from '../src/disruption/types.js';
import { allocatable } from '../src/instancetypes/allocatable.js';
import { formatResourceList } from '../src/quantity/format.js';
import { schedule } from '../src/scheduling/schedule.js';
import { benchmarkInstanceTypes, diversePods, lowerBound, nodePool, runtime, seeded } from './benchmark-shape.js';

const NOW = Date.UTC(2026, 11, 6, 12);
const types = benchmarkInstanceTypes(400);

function cluster(targetNodes: number): { input: DisruptionInput; pods: Pod[] } {
  const pool = nodePool();
  pool.spec.disruption = { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '0s', budgets: [{ nodes: '100%' }] };
  const pods = diversePods(targetNodes * 5, 42).map((p) => ({
    ...p,
    metadata: { ...p.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs', controller: true }] },
  }));
  const plan = schedule({ pods, existingNodes: [], nodePools: [pool], instanceTypes: { default: types } });
  const random = seeded(7);
  const iso = new Date(NOW - 3_600_000).toISOString();
  const kept: Pod[] = [];
  const nodes: DisruptionNodeInput[] = plan.nodeClaims.map((c, i) => {
    const name = `node-${String(i).padStart(5, '0')}`;
    const labels = { ...(c.labels ?? {}), 'kubernetes.io/hostname': name };
    const type = types.find((t) => t.name === c.launch.instanceType);
    const bound = c.pods.filter(() => random() >= 0.5).map((p) => ({ ...p, spec: { ...p.spec, nodeName: name }, status: { phase: 'Running' as const } }));
    kept.push(...bound);
    const claim = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: { name, labels, creationTimestamp: iso },
      spec: { requirements: c.requirements, nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
      status: { providerID: `simulated://${name}`, nodeName: name, lastPodEventTime: iso, conditions: [{ type: 'Initialized', status: 'True', reason: 'Initialized', lastTransitionTime: iso }] },
    } as NodeClaim;
    const node: Node = { metadata: { name, labels }, spec: { providerID: `simulated://${name}` }, status: { allocatable: formatResourceList(type ? allocatable(type) : {}), conditions: [{ type: 'Ready', status: 'True' }] } };
    return { nodeClaim: claim, node, pods: bound };
  });
  return { input: { nowMs: NOW, nodePools: [pool], nodes, instanceTypes: { default: types } }, pods: kept };
}

const pad = (text: string | number, width: number): string => String(text).padStart(width);
const arg = (name: string): string | undefined => {
  const i = runtime.argv.indexOf(name);
  return i >= 0 ? runtime.argv[i + 1] : undefined;
};

const sizes = (arg('--nodes') ?? '100,500,2000').split(',').map(Number);
const maxPasses = Number(arg('--passes') ?? '20');
// Warm the JIT once so the small size is not measured cold.
disrupt(cluster(60).input);
runtime.print('Disruption planning after a 50% scale-down (scheduling benchmark pod mix, 400 instance types, budget 100%, default bounds: 100 multi-node + 100 single-node simulations)');
runtime.print(
  `${pad('nodes', 6)} ${pad('pods', 6)} ${pad('1st cmd ms', 10)} ${pad('pass ms', 8)} ${pad('cpu ms', 7)} ${pad('cmds', 5)} ${pad('sims', 5)} ${pad('$/h before', 10)} ${pad('$/h after', 9)} ${pad('heap MB', 8)} | ${pad('passes', 6)} ${pad('total ms', 9)} ${pad('final $/h', 9)} ${pad('bound $/h', 9)} ${pad('ratio', 6)}`,
);
for (const size of sizes) {
  const { input, pods } = cluster(size);
  let start = runtime.now();
  const first = disrupt({ ...input, options: { maxCommands: 1 } });
  const firstMs = runtime.now() - start;
  runtime.gc?.();
  const heapBefore = runtime.heapUsed();
  start = runtime.now();
  const cpuStart = runtime.cpuMs();
  const pass = disrupt(input);
  const passMs = runtime.now() - start;
  const passCpuMs = runtime.cpuMs() - cpuStart;
  const heapMb = (runtime.heapUsed() - heapBefore) / 2 ** 20;
  let state = applyDisruption(input, pass);
  let passes = 1;
  let total = passMs;
  let last = pass;
  while (passes < maxPasses && last.commands.length > 0) {
    start = runtime.now();
    last = disrupt(state);
    total += runtime.now() - start;
    passes += 1;
    state = applyDisruption(state, last);
  }
  const final = last.pricePerHourAfter ?? 0;
  const bound = lowerBound(pods, types);
  runtime.print(
    `${pad(input.nodes.length, 6)} ${pad(pods.length, 6)} ${pad(first.commands.length > 0 ? firstMs.toFixed(0) : '-', 10)} ${pad(passMs.toFixed(0), 8)} ${pad(passCpuMs.toFixed(0), 7)} ${pad(pass.commands.length, 5)} ${pad(pass.simulations ?? 0, 5)} ${pad((pass.pricePerHourBefore ?? 0).toFixed(2), 10)} ${pad((pass.pricePerHourAfter ?? 0).toFixed(2), 9)} ${pad(heapMb.toFixed(1), 8)} | ${pad(passes, 6)} ${pad(total.toFixed(0), 9)} ${pad(final.toFixed(2), 9)} ${pad(bound.toFixed(2), 9)} ${pad((final / bound).toFixed(2), 6)}`,
  );
}
