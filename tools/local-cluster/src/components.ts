/**
 * Command lines of the control-plane components. Pure functions of a {@link ClusterLayout}, so
 * flags can be reviewed and unit-tested without starting anything.
 */
import { frontProxyClientName } from './pki.js';

/** Everything the components' flags depend on. Ports are TCP ports on 127.0.0.1. */
export interface ClusterLayout {
  workDir: string;
  ports: { etcdClient: number; etcdPeer: number; apiserver: number; controllerManager: number; scheduler: number; kwok: number };
  /** Non-loopback IPv4 written into the `kubernetes` Endpoints (apiserver rejects loopback there). */
  advertiseAddress: string;
  /** Service ClusterIP range; its first IP is the `kubernetes` Service's IP. */
  serviceCidr: string;
  /** Range KWOK assigns fake pod IPs from. */
  podCidr: string;
  /**
   * true: each KCM controller uses its own ServiceAccount (as kubeadm; ~5 s slower start).
   * false: all controllers share KCM's identity, which must then be in system:masters.
   */
  perControllerCredentials: boolean;
  files: {
    caCert: string;
    caKey: string;
    servingCert: string;
    servingKey: string;
    frontProxyCaCert: string;
    frontProxyClientCert: string;
    frontProxyClientKey: string;
    saPrivateKey: string;
    saPublicKey: string;
    controllerManagerKubeconfig: string;
    schedulerKubeconfig: string;
    /** KubeSchedulerConfiguration written by {@link schedulerConfig}. */
    schedulerConfig: string;
    kwokKubeconfig: string;
    /** Multi-document YAML: KwokConfiguration ({@link kwokConfiguration}) and the Stage objects. */
    kwokConfig: string;
  };
}

const loopback = '127.0.0.1';

/**
 * Client rate limits of KCM and the scheduler, raised from upstream defaults (KCM 20 QPS / 30
 * burst, scheduler 50 / 100) so that bursts of ~1,000 pods are not throttled client-side, as large
 * clusters tune them.
 */
export const clientQps = 200;
export const clientBurst = 400;

/** etcd: single member, plain HTTP on loopback, no fsync (data is throw-away). */
export function etcdArgs(l: ClusterLayout): string[] {
  const client = `http://${loopback}:${l.ports.etcdClient}`;
  const peer = `http://${loopback}:${l.ports.etcdPeer}`;
  return [
    '--name=default',
    `--data-dir=${l.workDir}/etcd`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=default=${peer}`,
    '--unsafe-no-fsync=true',
    '--quota-backend-bytes=8589934592',
    '--auto-compaction-mode=periodic',
    '--auto-compaction-retention=5m',
    '--log-level=warn',
  ];
}

/** kube-apiserver: loopback only, client-cert authn, Node+RBAC authz, default admission plugins. */
export function apiserverArgs(l: ClusterLayout): string[] {
  const f = l.files;
  return [
    `--etcd-servers=http://${loopback}:${l.ports.etcdClient}`,
    `--bind-address=${loopback}`,
    `--secure-port=${l.ports.apiserver}`,
    `--advertise-address=${l.advertiseAddress}`,
    `--service-cluster-ip-range=${l.serviceCidr}`,
    `--cert-dir=${l.workDir}/apiserver-certs`,
    `--tls-cert-file=${f.servingCert}`,
    `--tls-private-key-file=${f.servingKey}`,
    `--client-ca-file=${f.caCert}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${f.saPublicKey}`,
    `--service-account-signing-key-file=${f.saPrivateKey}`,
    `--requestheader-client-ca-file=${f.frontProxyCaCert}`,
    `--requestheader-allowed-names=${frontProxyClientName}`,
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${f.frontProxyClientCert}`,
    `--proxy-client-key-file=${f.frontProxyClientKey}`,
    '--authorization-mode=Node,RBAC',
    '--anonymous-auth=true', // /readyz, /livez, /healthz stay reachable for probes (system:public-info-viewer)
    '--allow-privileged=true',
    '--profiling=false',
    '--v=1',
  ];
}

/** kube-controller-manager: all default controllers, no leader election; credentials per {@link ClusterLayout.perControllerCredentials}. */
export function controllerManagerArgs(l: ClusterLayout): string[] {
  const f = l.files;
  return [
    `--kubeconfig=${f.controllerManagerKubeconfig}`,
    `--authentication-kubeconfig=${f.controllerManagerKubeconfig}`,
    `--authorization-kubeconfig=${f.controllerManagerKubeconfig}`,
    `--bind-address=${loopback}`,
    `--secure-port=${l.ports.controllerManager}`,
    `--cert-dir=${l.workDir}/kcm-certs`,
    '--leader-elect=false',
    '--controllers=*',
    `--use-service-account-credentials=${l.perControllerCredentials}`,
    `--service-account-private-key-file=${f.saPrivateKey}`,
    `--root-ca-file=${f.caCert}`,
    `--cluster-signing-cert-file=${f.caCert}`,
    `--cluster-signing-key-file=${f.caKey}`,
    `--service-cluster-ip-range=${l.serviceCidr}`,
    '--node-monitor-period=5s',
    `--kube-api-qps=${clientQps}`,
    `--kube-api-burst=${clientBurst}`,
    '--profiling=false',
    '--v=1',
  ];
}

/** KubeSchedulerConfiguration (YAML) for `kubeconfig`: default profile, no leader election, raised client limits. */
export function schedulerConfig(kubeconfig: string): string {
  return `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: ${JSON.stringify(kubeconfig)}
  qps: ${clientQps}
  burst: ${clientBurst}
leaderElection:
  leaderElect: false
`;
}

/** kube-scheduler: configured by {@link schedulerConfig}; serves /healthz on loopback. */
export function schedulerArgs(l: ClusterLayout): string[] {
  const kubeconfig = l.files.schedulerKubeconfig;
  return [
    `--config=${l.files.schedulerConfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    `--bind-address=${loopback}`,
    `--secure-port=${l.ports.scheduler}`,
    `--cert-dir=${l.workDir}/scheduler-certs`,
    '--profiling=false',
    '--v=1',
  ];
}

/**
 * KwokConfiguration document (YAML): more parallel stage workers than KWOK's default of 4, which
 * otherwise makes KWOK the bottleneck when ~1,000 pods are bound at once.
 */
export function kwokConfiguration(): string {
  return `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  podPlayStageParallelism: 16
  nodePlayStageParallelism: 8
  nodeLeaseParallelism: 8
`;
}

/**
 * KWOK: manages only Nodes whose annotations match `annotationSelector` (e.g.
 * `kwok.x-k8s.io/node=fake`) and the pods bound to them; renews node Leases (40 s duration, so
 * every 10 s); serves /healthz on loopback.
 */
export function kwokArgs(l: ClusterLayout, annotationSelector: string): string[] {
  return [
    `--kubeconfig=${l.files.kwokKubeconfig}`,
    `--config=${l.files.kwokConfig}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${annotationSelector}`,
    `--cidr=${l.podCidr}`,
    `--node-ip=${l.advertiseAddress}`,
    '--node-lease-duration-seconds=40',
    `--server-address=${loopback}:${l.ports.kwok}`,
  ];
}
