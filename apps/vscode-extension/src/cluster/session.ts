/**
 * The live connection to one cluster: list + watch of pods (all namespaces), karpenter.sh/v1 NodePools and the names of
 * karpenter.k8s.aws/v1 EC2NodeClasses (for the language server's nodeClassRef check), with
 * `@kubernetes/client-node` informers, restarted with jittered backoff after an error. Its state is always one
 * plain sentence; it never throws into the extension host.
 */
import { CoreV1Api, CustomObjectsApi, makeInformer, type Informer, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import { applyNodePoolDefaults, type NodePool, type Pod } from '@karpenter-ts/provisioner-domain';
import { plainClusterError } from './errors.js';
import { loadKubeConfig, type LoadedKubeConfig } from './kubeconfig.js';
import type { ApiAccess, ClusterObjects, ClusterSessionOptions, ClusterSessionPort, ConnectionState } from './session-port.js';
import type { HttpGetOptions } from './controller-api.js';

type WatchedInformer = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

/** JSON as the API server sends it (client-node's list turns timestamps into Dates). */
const plain = <T>(o: unknown): T => JSON.parse(JSON.stringify(o)) as T;

export class ClusterSession implements ClusterSessionPort {
  private informers: WatchedInformer[] = [];
  private stateValue: ConnectionState = { kind: 'error', message: 'Not connected to a cluster yet.' };
  private loaded: LoadedKubeConfig | undefined;
  private notifyTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private generation = 0;
  private nodePoolsMissing = false;
  /** The EC2NodeClass API is absent (404) or forbidden to this user (403): its names are unknown, not empty. */
  private ec2NodeClassesUnknown = false;

  constructor(private readonly options: ClusterSessionOptions) {}

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Context names of the kubeconfig last read (for the switch-context picker). */
  get contexts(): string[] {
    return this.loaded?.contexts ?? [];
  }

  /** (Re)connects to `context`, or to the kubeconfig's current context. Resolves once the first lists are in or failed. */
  async connect(context?: string): Promise<void> {
    this.stop();
    const generation = ++this.generation;
    const loaded = loadKubeConfig(this.options.kubeconfigPath(), context);
    this.loaded = loaded;
    if (!loaded.ok) {
      this.setState({ kind: 'error', message: loaded.message });
      return;
    }
    const { kubeConfig, context: ctx, server } = loaded;
    this.setState({ kind: 'connecting', context: ctx, server, message: `Connecting to ${server} (context "${ctx}")…` });
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const pods = makeInformer(kubeConfig, '/api/v1/pods', () => core.listPodForAllNamespaces()) as WatchedInformer;
    const nodePools = makeInformer(kubeConfig, '/apis/karpenter.sh/v1/nodepools', () =>
      custom.listClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools' }),
    ) as WatchedInformer;
    const nodeClasses = makeInformer(kubeConfig, '/apis/karpenter.k8s.aws/v1/ec2nodeclasses', () =>
      custom.listClusterCustomObject({ group: 'karpenter.k8s.aws', version: 'v1', plural: 'ec2nodeclasses' }),
    ) as WatchedInformer;
    this.informers = [pods, nodePools, nodeClasses];
    this.nodePoolsMissing = false;
    this.ec2NodeClassesUnknown = false;
    for (const informer of this.informers) {
      for (const verb of ['add', 'update', 'delete'] as const) informer.on(verb, () => this.scheduleNotify());
      informer.on('error', (err: unknown) => this.failed(generation, err, informer === nodePools ? 'nodePools' : informer === nodeClasses ? 'ec2NodeClasses' : undefined));
    }
    // An informer reports list and watch failures through its 'error' callbacks (start() still resolves).
    await pods.start();
    if (generation !== this.generation) return;
    await nodePools.start();
    if (generation !== this.generation) return;
    await nodeClasses.start();
    if (generation !== this.generation) return;
    this.failures = 0;
    const note = this.nodePoolsMissing ? ' The cluster has no karpenter.sh/v1 NodePool API; pods are shown without NodePools.' : '';
    this.setState({ kind: 'connected', context: ctx, server, message: `Connected to ${server} (context "${ctx}").${note}` });
  }

  /** The cluster's objects as last listed/watched; empty when not connected. */
  objects(): ClusterObjects {
    const [pods, nodePools] = this.informers;
    if (!pods || this.stateValue.kind !== 'connected') return { pods: [], nodePools: [] };
    const pools = this.nodePoolsMissing || !nodePools ? [] : nodePools.list().map((o) => applyNodePoolDefaults(plain<NodePool>(o)));
    return { pods: pods.list().map((o) => plain<Pod>(o)), nodePools: pools };
  }

  ec2NodeClassNames(): string[] | undefined {
    const nodeClasses = this.informers[2];
    if (!nodeClasses || this.stateValue.kind !== 'connected' || this.ec2NodeClassesUnknown) return undefined;
    return nodeClasses
      .list()
      .map((o) => o.metadata?.name)
      .filter((n): n is string => typeof n === 'string')
      .sort();
  }

  async apiAccess(): Promise<ApiAccess | undefined> {
    const loaded = this.loaded;
    if (!loaded?.ok || this.stateValue.kind !== 'connected') return undefined;
    const request: { headers?: Record<string, unknown>; auth?: string } & Omit<HttpGetOptions, 'headers'> = {};
    try {
      await loaded.kubeConfig.applyToHTTPSOptions(request);
    } catch {
      // An exec plugin or token file that fails now fails the informers too; they report it.
      return undefined;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers ?? {})) if (typeof v === 'string' || typeof v === 'number') headers[k] = String(v);
    if (request.auth) headers['Authorization'] = `Basic ${Buffer.from(request.auth).toString('base64')}`;
    const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = request;
    const tls = Object.fromEntries(Object.entries({ ca, cert, key, pfx, passphrase, rejectUnauthorized, servername }).filter(([, v]) => v !== undefined)) as Omit<HttpGetOptions, 'headers'>;
    return { context: loaded.context, server: loaded.server, options: { ...tls, headers } };
  }

  dispose(): void {
    this.generation++;
    this.stop();
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
  }

  private statusOf(err: unknown): unknown {
    const e = err as { code?: unknown; statusCode?: unknown } | undefined;
    return e?.code ?? e?.statusCode;
  }

  private failed(generation: number, err: unknown, optional?: 'nodePools' | 'ec2NodeClasses'): void {
    if (generation !== this.generation || !this.loaded?.ok) return;
    if (optional === 'nodePools' && this.statusOf(err) === 404) {
      // A cluster without Karpenter's CRDs still has pending pods to show.
      this.nodePoolsMissing = true;
      return;
    }
    if (optional === 'ec2NodeClasses' && (this.statusOf(err) === 404 || this.statusOf(err) === 403)) {
      // Without the AWS provider's CRD (e.g. a kwok cluster), or without the right to list it, the names stay unknown.
      this.ec2NodeClassesUnknown = true;
      this.scheduleNotify();
      return;
    }
    const { context, server } = this.loaded;
    // Invalidates the connect() in flight, if any; the retry below starts a new one.
    this.generation++;
    this.stop();
    this.setState({ kind: 'error', context, server, message: plainClusterError(err, server, context) });
    const base = this.options.retryBaseMs ?? 1000;
    const delay = Math.min(30_000, base * 2 ** this.failures++) * (0.8 + Math.random() * 0.4);
    this.retryTimer = setTimeout(() => void this.connect(context), delay);
  }

  private stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (const informer of this.informers) {
      informer.stop().catch(() => undefined);
    }
    this.informers = [];
  }

  private setState(state: ConnectionState): void {
    this.stateValue = state;
    this.scheduleNotify();
  }

  private scheduleNotify(): void {
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.options.onChange();
    }, this.options.notifyDelayMs ?? 150);
  }
}
