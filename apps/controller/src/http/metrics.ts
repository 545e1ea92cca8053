import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Buckets for durations in seconds, as Karpenter's `DurationBuckets()`. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 25, 30, 40, 50, 60, 90, 120, 150, 180, 240, 300, 600];

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
    help: 'Number of nodeclaims terminated in total by Karpenter. Labeled by the owning nodepool.',
    labelNames: ['nodepool', 'capacity_type'] as const,
    registers: [this.registry],
  });
  readonly nodeClaimsDisrupted = new Counter({
    name: 'karpenter_nodeclaims_disrupted_total',
    help: 'Number of nodeclaims disrupted in total by Karpenter. Labeled by reason the nodeclaim was disrupted and the owning nodepool.',
    labelNames: ['reason', 'nodepool', 'capacity_type'] as const,
    registers: [this.registry],
  });
  readonly nodesCreated = new Counter({
    name: 'karpenter_nodes_created_total',
    help: 'Number of nodes created in total by Karpenter. Labeled by owning nodepool.',
    labelNames: ['nodepool'] as const,
    registers: [this.registry],
  });
  readonly nodesTerminated = new Counter({
    name: 'karpenter_nodes_terminated_total',
    help: 'Number of nodes terminated in total by Karpenter. Labeled by owning nodepool.',
    labelNames: ['nodepool'] as const,
    registers: [this.registry],
  });
  readonly nodesTerminationDuration = new Histogram({
    name: 'karpenter_nodes_termination_duration_seconds',
    help: 'The time taken between a node\'s deletion request and the removal of its finalizer',
    labelNames: ['nodepool'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly evictionRequests = new Counter({
    name: 'karpenter_nodes_eviction_requests_total',
    help: 'The total number of eviction requests made by Karpenter',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly schedulingDuration = new Histogram({
    name: 'karpenter_provisioner_scheduling_duration_seconds',
    help: 'Duration of scheduling simulations used for deprovisioning and provisioning in seconds.',
    labelNames: ['controller'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly schedulingQueueDepth = new Gauge({
    name: 'karpenter_provisioner_scheduling_queue_depth',
    help: 'The number of pods currently waiting to be scheduled.',
    labelNames: ['controller'] as const,
    registers: [this.registry],
  });
  readonly podsStartupDuration = new Histogram({
    name: 'karpenter_pods_startup_duration_seconds',
    help: 'The time from pod creation until the pod is running.',
    buckets: DURATION_BUCKETS,
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
    labelNames: ['controller', 'method', 'provider', 'error'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly leaderElectionMaster = new Gauge({
    name: 'leader_election_master_status',
    help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });

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
