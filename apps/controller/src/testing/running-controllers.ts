import type { Node, Pod } from '@karpenter-ts/provisioner-domain';
import { toResourceList } from '@karpenter-ts/provisioner-domain';
import { newControllers } from '../controllers/controllers.js';
import { runControllers } from '../controllers/manager.js';
import { resources } from '../kube/resources.js';
import { isProvisionable } from '@karpenter-ts/provisioner-domain';
import type { TestContext } from './context.js';

/** Every controller of the process, running on a test context. */
export interface RunningControllers {
  /** Aborts the controllers and waits for their workers to finish. */
  stop(): Promise<void>;
}

/**
 * Runs every controller exactly as `operator.ts` wires them (`newControllers(ctx)` run by `runControllers`,
 * plus the drain's eviction queue) against the test context's fake API and FakeClock, so a unit test sees
 * the interplay of provisioner, lifecycle, termination, garbage collection and disruption.
 */
export function runAllControllers(t: TestContext): RunningControllers {
  const abort = new AbortController();
  const set = newControllers(t.ctx);
  const running = Promise.all([
    runControllers(set.registrations, { log: t.ctx.log, clock: t.clock, defaultConcurrency: t.ctx.options.reconcileConcurrency }, abort.signal),
    set.evictions.run(abort.signal),
  ]);
  return {
    async stop() {
      abort.abort();
      set.stopWatchers();
      await running;
    },
  };
}

/**
 * What KWOK and kube-controller-manager do to a new simulated node in the tests: `readyAfterMs` (FakeClock)
 * after the Node appears it turns Ready and loses the `node.kubernetes.io/not-ready` taint. Returns the
 * unsubscribe function.
 */
export function kwokReadiness(t: TestContext, readyAfterMs: number): () => void {
  const cancels: (() => void)[] = [];
  const unsubscribe = t.ctx.state.informers.nodes.on({
    onAdd: (node: Node) => {
      const name = node.metadata.name ?? '';
      cancels.push(
        t.clock.setTimer(() => {
          const current = t.client.peek<Node>(resources.nodes, name);
          if (!current) return;
          void t.client.patch(resources.nodes, name, 'merge', {
            spec: { taints: (current.spec?.taints ?? []).filter((x) => x.key !== 'node.kubernetes.io/not-ready') },
            status: { conditions: [{ type: 'Ready', status: 'True' }] },
          });
        }, readyAfterMs),
      );
    },
  });
  return () => {
    unsubscribe();
    for (const cancel of cancels) cancel();
  };
}

/**
 * A minimal kube-scheduler for the tests: binds each provisionable pod to the first Ready node without
 * NoSchedule/NoExecute taints that still has room for its CPU request (pods here select nodes by nothing
 * else). Returns how many pods it bound.
 */
export async function bindPendingPods(t: TestContext): Promise<number> {
  let bound = 0;
  const freeMillis = new Map<string, number>();
  for (const node of t.client.all<Node>(resources.nodes)) {
    const ready = (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    const tainted = (node.spec?.taints ?? []).some((x) => x.effect === 'NoSchedule' || x.effect === 'NoExecute');
    if (!ready || tainted || node.metadata.deletionTimestamp) continue;
    const used = t.client.all<Pod>(resources.pods).filter((p) => p.spec.nodeName === node.metadata.name).reduce((sum, p) => sum + cpuMillis(p), 0);
    freeMillis.set(node.metadata.name ?? '', (toResourceList(node.status?.allocatable)['cpu'] ?? 0) - used);
  }
  for (const pod of t.client.all<Pod>(resources.pods).filter(isProvisionable)) {
    const need = cpuMillis(pod);
    const target = [...freeMillis].find(([, free]) => free >= need)?.[0];
    if (!target) continue;
    freeMillis.set(target, (freeMillis.get(target) ?? 0) - need);
    await t.client.patch(resources.pods, pod.metadata.name ?? '', 'merge', { spec: { nodeName: target }, status: { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }] } }, { namespace: pod.metadata.namespace });
    bound++;
  }
  await t.settle();
  return bound;
}

function cpuMillis(pod: Pod): number {
  return pod.spec.containers.reduce((sum, c) => sum + (toResourceList(c.resources?.requests)['cpu'] ?? 0), 0);
}
