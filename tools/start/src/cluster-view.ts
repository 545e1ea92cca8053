/**
 * What `npm start` needs to do to and read from the local cluster, through `@kubernetes/client-node` with the
 * admin kubeconfig: apply manifests (server-side apply), scale and delete the deployment, wait for pods and
 * for launched nodes to appear or go, and list launched nodes for the summary with their catalog price.
 */
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { defaultCatalog, type InstanceType } from '@karpenter-ts/provisioner-domain';
import type { LaunchedNodeRow } from './summary.js';
import { waitFor } from '@karpenter-ts/local-cluster';

const NODEPOOL_LABEL = 'karpenter.sh/nodepool';
const FIELD_MANAGER = 'karpenter-ts-start';

export interface WaitOptions {
  timeoutMs: number;
  onProgress?: (progress: string) => void;
}

export class ClusterView {
  private readonly core: k8s.CoreV1Api;
  private readonly apps: k8s.AppsV1Api;
  private readonly objects: k8s.KubernetesObjectApi;
  private readonly custom: k8s.CustomObjectsApi;
  private readonly catalog: readonly InstanceType[] = defaultCatalog();

  constructor(kubeconfigPath: string) {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.apps = kc.makeApiClient(k8s.AppsV1Api);
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
    this.objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  }

  /** Server-side applies every document of a multi-document YAML text. Throws on a YAML error or an API rejection. */
  async apply(yamlText: string): Promise<void> {
    for (const doc of parseAllDocuments(yamlText)) {
      if (doc.errors.length > 0) throw new Error(`bad manifest: ${doc.errors[0]?.message}`);
      const object = doc.toJS() as k8s.KubernetesObject | null;
      if (!object) continue;
      await this.objects.patch(object, undefined, undefined, FIELD_MANAGER, true, k8s.PatchStrategy.ServerSideApply);
    }
  }

  async scaleDeployment(namespace: string, name: string, replicas: number): Promise<void> {
    await this.apps.replaceNamespacedDeploymentScale({ name, namespace, body: { metadata: { name, namespace }, spec: { replicas } } });
  }

  async deleteDeployment(namespace: string, name: string): Promise<void> {
    await this.apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Foreground' });
  }

  /** Resolves when `count` pods matching `labelSelector` are Running on a node. Throws WaitTimeoutError. */
  async waitForRunningPods(namespace: string, labelSelector: string, count: number, options: WaitOptions): Promise<void> {
    const progress = progressReporter(options.onProgress);
    await waitFor(
      async () => {
        const pods = (await this.core.listNamespacedPod({ namespace, labelSelector })).items;
        const running = pods.filter((p) => p.status?.phase === 'Running' && p.spec?.nodeName).length;
        const pending = pods.filter((p) => !p.spec?.nodeName).length;
        progress(`${running}/${count} pods Running, ${pending} waiting for a node`);
        return running >= count;
      },
      { description: `${count} running pods (${labelSelector})`, timeoutMs: options.timeoutMs, intervalMs: 250 },
    );
  }

  /** Resolves when no node and no NodeClaim launched by karpenter-ts remains. Throws WaitTimeoutError. */
  async waitForNoLaunchedNodes(options: WaitOptions): Promise<void> {
    const progress = progressReporter(options.onProgress);
    await waitFor(
      async () => {
        const nodes = (await this.core.listNode({ labelSelector: NODEPOOL_LABEL })).items.length;
        const claims = (await this.listNodeClaims()).length;
        progress(`${nodes} launched node(s), ${claims} nodeclaim(s) remaining`);
        return nodes === 0 && claims === 0;
      },
      { description: 'launched nodes to be removed', timeoutMs: options.timeoutMs, intervalMs: 500 },
    );
  }

  /** Every node carrying `karpenter.sh/nodepool`, with its pods and the catalog price of its offering. */
  async launchedNodes(): Promise<LaunchedNodeRow[]> {
    const nodes = (await this.core.listNode({ labelSelector: NODEPOOL_LABEL })).items;
    const pods = (await this.core.listPodForAllNamespaces()).items;
    return nodes
      .map((node) => {
        const labels = node.metadata?.labels ?? {};
        const name = node.metadata?.name ?? '';
        const instanceType = labels['node.kubernetes.io/instance-type'] ?? '?';
        const zone = labels['topology.kubernetes.io/zone'] ?? '?';
        const capacityType = labels['karpenter.sh/capacity-type'] ?? '?';
        const offering = this.catalog
          .find((it) => it.name === instanceType)
          ?.offerings.find((o) => o.zone === zone && o.capacityType === capacityType);
        return {
          name,
          instanceType,
          zone,
          capacityType,
          pods: pods.filter((p) => p.spec?.nodeName === name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length,
          pricePerHour: offering?.pricePerHour,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private async listNodeClaims(): Promise<unknown[]> {
    const list = (await this.custom.listClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodeclaims' })) as { items?: unknown[] };
    return list.items ?? [];
  }
}

/** Calls `onProgress` only when the text changes, so a poll loop reports each step once. */
function progressReporter(onProgress: ((progress: string) => void) | undefined): (progress: string) => void {
  let last = '';
  return (progress) => {
    if (progress === last) return;
    last = progress;
    onProgress?.(progress);
  };
}
