/**
 * @karpenter-ts/local-cluster: a real Kubernetes control plane on loopback, no containers.
 * Binaries are built from the pinned Go modules in ../go and ../go-kwok and cached under
 * `${XDG_CACHE_HOME:-~/.cache}/karpenter-ts/`.
 */
export { ensureBinaries, ensureHelm, pinnedVersions, type BinPaths, type EnsureBinariesOptions } from './binaries.js';
export {
  startCluster,
  ClusterStartError,
  controllerUser,
  controllerGroup,
  defaultKwokManageAnnotation,
  type LocalCluster,
  type ComponentName,
  type StartClusterOptions,
} from './cluster.js';
export { KubeHttp, type KubeRequest, type KubeResponse } from './kube-http.js';
export { defaultLog, silentLog, type Log } from './log.js';
export { waitFor, WaitTimeoutError, type WaitOptions } from './poll.js';
export type { CertFiles } from './pki.js';
export {
  Supervisor,
  processRun,
  systemClock,
  defaultRestartPolicy,
  type RestartPolicy,
  type SupervisedRun,
  type SupervisorClock,
  type SupervisorEvent,
  type SupervisorOptions,
} from './supervisor.js';
export { logTail, type ExitInfo } from './proc.js';
