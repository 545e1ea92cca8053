/** Stable codes of what the plan validator can find wrong with a scheduling result. */
export type PlanViolationCode =
  /** An input pod (or a pod that must leave a node marked for deletion) is neither placed, unschedulable nor skipped. */
  | 'pod-missing'
  /** A skipped pod is one Karpenter provisions for. */
  | 'wrongly-skipped'
  /** A pod appears more than once across nodeClaims, existingNodes and unschedulable. */
  | 'pod-duplicated'
  /** The result names a pod that is not in the snapshot's pods. */
  | 'pod-unknown'
  /** An unschedulable entry without a reason. */
  | 'missing-reason'
  | 'empty-nodeclaim'
  | 'unknown-node'
  | 'node-marked-for-deletion'
  | 'unknown-nodepool'
  | 'unknown-instance-type'
  /** The launch choice is not among `instanceTypeOptions`, or an option is not offered to the pool. */
  | 'launch-not-an-option'
  /** The launch's zone/capacity type is not an available offering of its type at that price. */
  | 'offering'
  /** The launched node would break a requirement of its NodePool. */
  | 'nodepool-requirements'
  /** The launched node would break a requirement written on the NodeClaim itself. */
  | 'nodeclaim-requirements'
  /** An instance type option that could not take the NodeClaim's pods (resources, labels or offerings). */
  | 'option-unfit'
  /** `requests` smaller than the sum of the pods' requests. */
  | 'requests-understated'
  /** nodeSelector / required node affinity does not hold on the node. */
  | 'node-selection'
  | 'taint'
  /** Pods + DaemonSet overhead above allocatable. */
  | 'resources'
  | 'host-port'
  /** A pod's volumes cannot be used on the node: no term of a bound PV's node affinity (or of a WaitForFirstConsumer class's allowedTopologies) holds, or a claim/volume is missing. */
  | 'volume-topology'
  | 'pod-anti-affinity'
  | 'pod-affinity'
  | 'topology-spread'
  /** A NodePool limit exceeded by the launch choices. */
  | 'limit'
  /** A NodePool limit that would be exceeded if each NodeClaim launched its largest option (Karpenter's rule). */
  | 'limit-worst-case';

/** One thing wrong with a plan. `pod` is `namespace/name`; `node` an existing node name or `nodeClaims[i]`. */
export interface PlanViolation {
  code: PlanViolationCode;
  message: string;
  pod?: string;
  node?: string;
}
