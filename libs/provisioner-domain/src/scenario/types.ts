import type { EC2NodeClass, NodePool } from '../apis/index.js';
import type {
  DaemonSet,
  LimitRange,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  StorageClass,
} from '../core/types.js';
import type { CatalogSource } from '../instancetypes/catalog-coverage.js';
import type { InstanceType } from '../instancetypes/types.js';

/** One input file: a name for messages (usually its path) and its text. */
export interface ScenarioFile {
  name: string;
  text: string;
}

/**
 * A problem in a scenario file. `document` is the 0-based index of the YAML document in its file (as in
 * `validate`'s issues; people read it 1-based, see the CLI); `line` and `column` are 1-based as editors show them and point at the offending key or value (or at the nearest
 * enclosing one that exists, for a missing field); `path` is the field path inside the document, e.g.
 * `spec.template.spec.requirements[2].values`, `''` for the document itself. `message` says what is wrong and
 * how to fix it. Warnings do not stop a simulation; errors do.
 */
export interface ScenarioIssue {
  severity: 'error' | 'warning';
  /** Stable, e.g. `yaml-syntax`, `required`, `invalid-type`, `unknown-field`, `invalid-quantity`, `unknown-kind` (a warning), `duplicate-object`, `unknown-node` (the codes of `validate` where the mistake is the same). */
  code: string;
  file: string;
  document: number;
  path: string;
  line: number;
  column: number;
  message: string;
}

/**
 * A scenario (docs/scenario.md), read and checked: the objects of every file, with NodePools defaulted, Provisioners
 * converted, workloads expanded to their pods and the instance-type catalog resolved.
 */
export interface Scenario {
  /** karpenter.sh/v1 NodePools with Karpenter's defaults applied, Provisioners converted, in input order. */
  nodePools: NodePool[];
  /** EC2NodeClasses given, then those converted from Provisioners / AWSNodeTemplates. Not used by scheduling. */
  nodeClasses: EC2NodeClass[];
  /** The InstanceTypeCatalog documents' types (merged, in order), or `defaultCatalog()` when there is none. */
  instanceTypes: InstanceType[];
  catalogSource: 'document' | 'default';
  /** Where the catalog comes from, for people: `built-in simulated` or the files of its documents (see `describeCatalog`). */
  catalog: CatalogSource;
  /**
   * Every pod: Pod documents and the pods of Deployments, ReplicaSets, StatefulSets and Jobs, in input order,
   * each with a namespace, a uid and a creationTimestamp. Pods with `spec.nodeName` run on that Node; the
   * others are pending. Pods in phase Succeeded or Failed are kept: `toSchedulingSnapshot` leaves bound ones off
   * their node and the scheduler lists pending ones as skipped.
   */
  pods: Pod[];
  daemonSets: DaemonSet[];
  nodes: Node[];
  persistentVolumes: PersistentVolume[];
  /** PVCs given, plus those a StatefulSet's volumeClaimTemplates make for its pods (unless given). */
  persistentVolumeClaims: PersistentVolumeClaim[];
  storageClasses: StorageClass[];
  podDisruptionBudgets: PodDisruptionBudget[];
  namespaces: Namespace[];
  /** LimitRanges: their Container defaults are applied to pending pods and DaemonSet templates when scheduling. */
  limitRanges: LimitRange[];
  /** Warnings found while loading (unknown kinds, conversion notes, nodes without allocatable, ...). */
  warnings: ScenarioIssue[];
}

/** Options of `loadScenario`. */
export interface LoadScenarioOptions {
  /**
   * Files of InstanceTypeCatalog documents only (the CLI's `--catalog FILE`), read before the scenario files;
   * any other document in them is an error. Their types join those of catalog documents in the scenario.
   */
  catalogFiles?: readonly ScenarioFile[];
}

/** `loadScenario`'s result: the scenario (with warnings), or every issue found (errors and warnings). */
export type LoadScenarioResult = { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] };
