import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';

/** Buckets for durations in seconds, as Karpenter's `DurationBuckets()`. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 25, 30, 40, 50, 60, 90, 120, 150, 180, 240, 300, 600];

/** Quantiles of Karpenter's Summary metrics (`metrics.SummaryObjectives()`): min, median, p90, p99, max. */
const SUMMARY_PERCENTILES = [0, 0.5, 0.9, 0.99, 1];

/** One series of a gauge: its labels and value. */
export interface MetricSeries {
  labels: Record<string, string>;
  value: number;
}

/** Series of the state gauges, computed from the cluster state when Prometheus scrapes (see `controllers/metrics/state.ts`). */
export interface StateMetricsSource {
  nodePoolsUsage(): MetricSeries[];
  nodePoolsLimit(): MetricSeries[];
  nodesAllocatable(): MetricSeries[];
  nodesTotalPodRequests(): MetricSeries[];
  nodesTotalDaemonRequests(): MetricSeries[];
  clusterUtilizationPercent(): MetricSeries[];
  nodeCount(): number;
  synced(): boolean;
}

/** Labels of `karpenter_nodepools_usage` / `_limit`. */
export const NODEPOOL_LABELS = ['resource_type', 'nodepool'] as const;

/**
 * Labels of the per-node resource gauges (Karpenter's `metrics.node`): the node's name, phase and whether
 * Karpenter manages it, the resource type, and the well-known node labels, named by the part after the `/`
 * in snake_case (`topology.kubernetes.io/zone` → `zone`, `karpenter.sh/capacity-type` → `capacity_type`).
 */
export const NODE_RESOURCE_LABELS = ['node_name', 'phase', 'managed', 'resource_type', 'nodepool', 'zone', 'region', 'instance_type', 'arch', 'os', 'capacity_type'] as const;

/**
 * The controller's Prometheus metrics, Karpenter's names and labels (`karpenter_` prefix), in one registry
 * per process (no global state, so tests can build several).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly nodeClaimsCreated = new Counter({
    name: 'karpenter_nodeclaims_created_total',
    help: 'Number of nodeclaims created in total by Karpenter. Labeled by reason the nodeclaim was created and the owning nodepool.',
    labelNames: ['reason', 'nodepool', 'min_values_relaxed'] as const,
    registers: [this.registry],
  });
  // issue 13 (helper awsb): the AWS provider's interruption queue (Karpenter AWS's names).
  readonly interruptionReceivedMessages = new Counter({
    name: 'karpenter_interruption_received_messages_total',
    help: 'Count of messages received from the SQS queue. Broken down by message type.',
    labelNames: ['message_type'] as const,
    registers: [this.registry],
  });
  readonly interruptionDeletedMessages = new Counter({
    name: 'karpenter_interruption_deleted_messages_total',
    help: 'Count of messages deleted from the SQS queue.',
    registers: [this.registry],
  });
  // issue 13 (helper awsp): AWS offering prices, only with AWS_OFFERING_PRICE_METRICS (one series per type × zone × capacity type).
  readonly instanceTypeOfferingPriceEstimate = new Gauge({
    name: 'karpenter_cloudprovider_instance_type_offering_price_estimate',
    help: 'Instance type offering estimated hourly price in USD used when making informed decisions on node cost calculation, based on instance type, capacity type, and zone.',
    labelNames: ['instance_type', 'capacity_type', 'zone'] as const,
    registers: [this.registry],
  });
  readonly nodeClaimsLaunched = new Counter({
    name: 'karpenter_nodeclaims_launched_total',
    help: 'Number of nodeclaims launched in total by Karpenter. Labeled by the owning nodepool.',
    labelNames: ['nodepool'] as const,
    registers: [this.registry],
  });
  readonly nodeClaimsRegistered = new Counter({
    name: 'karpenter_nodeclaims_registered_total',
    help: 'Number of nodeclaims registered in total by Karpenter. Labeled by the owning nodepool.',
    labelNames: ['nodepool'] as const,
    registers: [this.registry],
  });
  readonly nodeClaimsInitialized = new Counter({
    name: 'karpenter_nodeclaims_initialized_total',
    help: 'Number of nodeclaims initialized in total by Karpenter. Labeled by the owning nodepool.',
    labelNames: ['nodepool'] as const,
    registers: [this.registry],
  });
  readonly nodeClaimsTerminated = new Counter({
    name: 'karpenter_nodeclaims_terminated_total',
    help: 'NodeClaims whose termination finished, by NodePool, capacity type and zone.',
    labelNames: ['nodepool', 'capacity_type', 'zone'] as const,
    registers: [this.registry],
  });
  readonly nodeClaimsDisrupted = new Counter({
    name: 'karpenter_nodeclaims_disrupted_total',
    help: 'NodeClaims disrupted, by reason, NodePool, capacity type, the pool\'s consolidation policy and the termination mode (graceful, eventual, forceful).',
    labelNames: ['reason', 'nodepool', 'capacity_type', 'consolidation_policy', 'termination_mode'] as const,
    registers: [this.registry],
  });
  readonly nodesCreated = new Counter({
    name: 'karpenter_nodes_created_total',
    help: 'Nodes that registered for a NodeClaim, by NodePool and zone.',
    labelNames: ['nodepool', 'zone'] as const,
    registers: [this.registry],
  });
  readonly nodesTerminated = new Counter({
    name: 'karpenter_nodes_terminated_total',
    help: 'Nodes whose termination finalizer was removed, by NodePool and zone.',
    labelNames: ['nodepool', 'zone'] as const,
    registers: [this.registry],
  });
  /** A Summary, as Karpenter's (quantile series, `quantile="0.9"`). */
  readonly nodesTerminationDuration = new Summary({
    name: 'karpenter_nodes_termination_duration_seconds',
    help: 'The time taken between a node\'s deletion request and the removal of its finalizer',
    labelNames: ['nodepool'] as const,
    percentiles: SUMMARY_PERCENTILES,
    registers: [this.registry],
  });
  readonly evictionRequests = new Counter({
    name: 'karpenter_pods_eviction_requests_total',
    help: 'Eviction API requests for pods, by HTTP response code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly schedulingDuration = new Histogram({
    name: 'karpenter_scheduler_scheduling_duration_seconds',
    help: 'Duration of scheduling simulations used for deprovisioning and provisioning in seconds.',
    labelNames: ['controller'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly schedulingQueueDepth = new Gauge({
    name: 'karpenter_scheduler_queue_depth',
    help: 'The number of pods currently waiting to be scheduled.',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  /** A Summary, as Karpenter's. */
  readonly podsStartupDuration = new Summary({
    name: 'karpenter_pods_startup_duration_seconds',
    help: 'The time from pod creation until the pod is running.',
    percentiles: SUMMARY_PERCENTILES,
    registers: [this.registry],
  });
  // issue 12 (helper dexec): the disruption loop, Karpenter's voluntary disruption metrics.
  readonly disruptionDecisions = new Counter({
    name: 'karpenter_voluntary_disruption_decisions_total',
    help: 'Number of disruption decisions performed. Labeled by disruption decision, reason and consolidation type.',
    labelNames: ['decision', 'reason', 'consolidation_type'] as const,
    registers: [this.registry],
  });
  readonly disruptionEligibleNodes = new Gauge({
    name: 'karpenter_voluntary_disruption_eligible_nodes',
    help: 'Number of nodes eligible for disruption by Karpenter. Labeled by disruption reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly nodePoolAllowedDisruptions = new Gauge({
    name: 'karpenter_nodepools_allowed_disruptions',
    help: 'The number of nodes for a given NodePool that can be concurrently disrupting at a point in time. Labeled by NodePool and reason.',
    labelNames: ['nodepool', 'reason'] as const,
    registers: [this.registry],
  });
  readonly reconcileTotal = new Counter({
    name: 'controller_runtime_reconcile_total',
    help: 'Total number of reconciliations per controller',
    labelNames: ['controller', 'result'] as const,
    registers: [this.registry],
  });
  readonly reconcileDuration = new Histogram({
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Length of time per reconciliation per controller',
    labelNames: ['controller'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly cloudProviderDuration = new Histogram({
    name: 'karpenter_cloudprovider_duration_seconds',
    help: 'Duration of cloud provider method calls. Labeled by the controller, method name and provider.',
    labelNames: ['controller', 'method', 'provider'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  /** `error`: the CloudProvider error's class (`InsufficientCapacityError`, `NodeClassNotReadyError`, ...) or `unknown`. */
  readonly cloudProviderErrors = new Counter({
    name: 'karpenter_cloudprovider_errors_total',
    help: 'CloudProvider calls that failed, by controller, method, provider and error type.',
    labelNames: ['controller', 'method', 'provider', 'error'] as const,
    registers: [this.registry],
  });
  readonly leaderElectionMaster = new Gauge({
    name: 'leader_election_master_status',
    help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });

  // issue 14 (helper obs): what an operator dashboards (Karpenter's names, labels and units: cpu in cores,
  // memory and storage in bytes). The gauges are computed at scrape time from the source `setStateSource` installs.
  readonly podsProvisioningBoundDuration = new Histogram({
    name: 'karpenter_pods_provisioning_bound_duration_seconds',
    help: 'Seconds from the provisioner\'s first decision that a pod fits (a new NodeClaim or an existing node) until the pod is bound; measured in memory, not from the pod\'s creation.',
    labelNames: ['dynamic_resources'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly nodeClaimsInstanceTerminationDuration = new Histogram({
    name: 'karpenter_nodeclaims_instance_termination_duration_seconds',
    help: 'Seconds from the first accepted CloudProvider delete of a NodeClaim\'s instance until the provider reports it gone.',
    labelNames: ['nodepool'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly nodeClaimsTerminationDuration = new Histogram({
    name: 'karpenter_nodeclaims_termination_duration_seconds',
    help: 'Seconds from a NodeClaim\'s deletion timestamp until its termination finalizer is removed.',
    labelNames: ['nodepool'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private stateSource: StateMetricsSource | undefined;
  /** The gauges computed from cluster state at scrape time. */
  readonly stateGauges = [
    this.stateGauge('karpenter_nodepools_usage', 'Resources a NodePool has provisioned (its status.resources), by NodePool and resource type; cpu in cores, memory in bytes.', NODEPOOL_LABELS, (s) => s.nodePoolsUsage()),
    this.stateGauge('karpenter_nodepools_limit', 'A NodePool\'s spec.limits, by NodePool and resource type; cpu in cores, memory in bytes.', NODEPOOL_LABELS, (s) => s.nodePoolsLimit()),
    this.stateGauge('karpenter_nodes_allocatable', 'A node\'s status.allocatable, by node and resource type; cpu in cores, memory in bytes.', NODE_RESOURCE_LABELS, (s) => s.nodesAllocatable()),
    this.stateGauge('karpenter_nodes_total_pod_requests', 'Sum of the requests of the pods bound to a node (DaemonSet pods included, finished pods not), by node and resource type.', NODE_RESOURCE_LABELS, (s) => s.nodesTotalPodRequests()),
    this.stateGauge('karpenter_nodes_total_daemon_requests', 'Sum of the requests of the DaemonSet pods bound to a node, by node and resource type.', NODE_RESOURCE_LABELS, (s) => s.nodesTotalDaemonRequests()),
    this.stateGauge('karpenter_cluster_utilization_percent', 'Percent of the allocatable of all nodes that pods request, by resource type.', ['resource_type'], (s) => s.clusterUtilizationPercent()),
    this.stateGauge('karpenter_cluster_state_node_count', 'Nodes the controller tracks: Nodes plus NodeClaims that have no Node yet.', [], (s) => [{ labels: {}, value: s.nodeCount() }]),
    this.stateGauge('karpenter_cluster_state_synced', '1 when the controller\'s view is complete (every informer listed, every NodeClaim launched), else 0.', [], (s) => [{ labels: {}, value: s.synced() ? 1 : 0 }]),
  ];

  /**
   * Installs (or, with `undefined`, removes) what the state gauges read at scrape time; without a source they
   * export no series (a follower, or before the controllers start).
   */
  setStateSource(source: StateMetricsSource | undefined): void {
    this.stateSource = source;
  }

  private stateGauge(name: string, help: string, labelNames: readonly string[], series: (source: StateMetricsSource) => readonly MetricSeries[]): Gauge {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const metrics = this;
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        const source = metrics.stateSource;
        if (source) for (const s of series(source)) this.set(s.labels, s.value);
      },
    });
  }

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Registers a gauge computed at scrape time (e.g. `karpenter_pods_state` from the pod cache), so its series
   * always mirror the cache and never outlive the objects they describe. Registering a name again (a new
   * leadership term starts its controllers again) replaces the earlier collector.
   */
  collectedGauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect: (set: (labels: Record<L, string>, value: number) => void) => void): Gauge<L> {
    if (this.registry.getSingleMetric(name)) this.registry.removeSingleMetric(name);
    return new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        collect((labels, value) => this.set(labels as Partial<Record<L, string | number>>, value));
      },
    });
  }
}
