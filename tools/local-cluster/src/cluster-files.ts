import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { kwokConfiguration, schedulerConfig, type ClusterLayout } from './components.js';
import { writeKubeconfig } from './kubeconfig.js';
import { stagesDir } from './paths.js';
import { createPki, type CertFiles, type ClientIdentity } from './pki.js';
import { freePorts } from './ports.js';

/** Identity the karpenter-ts controller authenticates as (no RBAC is granted here). */
export const controllerUser = 'karpenter-ts-controller';
/** Group of {@link controllerUser}. */
export const controllerGroup = 'karpenter-ts';

/** Everything {@link writeClusterFiles} produced: component layout and what clients need. */
export interface ClusterFiles {
  layout: ClusterLayout;
  serverUrl: string;
  adminKubeconfig: string;
  controllerKubeconfig: string;
  caFile: string;
  adminCert: CertFiles;
}

function pickAdvertiseAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '192.0.2.1'; // TEST-NET-1: never dialled (no kubelets, no in-cluster clients)
}

async function writeKwokConfig(path: string): Promise<string> {
  const files = readdirSync(stagesDir).filter((f) => f.endsWith('.yaml')).sort();
  const stages = await Promise.all(files.map((f) => readFile(join(stagesDir, f), 'utf8')));
  await writeFile(path, [kwokConfiguration(), ...stages].map((d) => d.trim()).join('\n---\n') + '\n');
  return path;
}

const clientIdentities = (perControllerCredentials: boolean): ClientIdentity[] => [
  { name: 'admin', commonName: 'karpenter-ts-admin', organizations: ['system:masters'] },
  { name: 'controller', commonName: controllerUser, organizations: [controllerGroup] },
  { name: 'kube-controller-manager', commonName: 'system:kube-controller-manager', organizations: perControllerCredentials ? [] : ['system:masters'] },
  { name: 'kube-scheduler', commonName: 'system:kube-scheduler' },
  { name: 'kwok', commonName: 'kwok-controller', organizations: ['system:masters'] },
];

/**
 * Chooses free loopback ports and writes into `workDir` the PKI (pki/), one kubeconfig per
 * identity (admin, controller, kube-controller-manager, kube-scheduler, kwok) and the KWOK stages
 * file. Pure file work: starts no process. Throws CommandFailedError when openssl fails.
 */
export async function writeClusterFiles(workDir: string, perControllerCredentials: boolean): Promise<ClusterFiles> {
  const [etcdClient = 0, etcdPeer = 0, apiserver = 0, controllerManager = 0, scheduler = 0, kwok = 0] = await freePorts(6);
  const advertiseAddress = pickAdvertiseAddress();
  const serverUrl = `https://127.0.0.1:${apiserver}`;
  const pki = await createPki({
    dir: join(workDir, 'pki'),
    servingIps: ['127.0.0.1', '10.96.0.1', advertiseAddress],
    servingDnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
    clients: clientIdentities(perControllerCredentials),
  });
  const client = (name: string): CertFiles => {
    const files = pki.clients[name];
    if (files === undefined) throw new Error(`no client certificate ${name}`);
    return files;
  };
  const kubeconfig = (name: string, userName: string): Promise<string> =>
    writeKubeconfig({ path: join(workDir, `${name}.kubeconfig`), serverUrl, caFile: pki.ca.cert, client: client(name), userName });
  const [adminKubeconfig, controllerKubeconfig, kcmKubeconfig, schedulerKubeconfig, kwokKubeconfig, kwokConfig] = await Promise.all([
    kubeconfig('admin', 'karpenter-ts-admin'),
    kubeconfig('controller', controllerUser),
    kubeconfig('kube-controller-manager', 'system:kube-controller-manager'),
    kubeconfig('kube-scheduler', 'system:kube-scheduler'),
    kubeconfig('kwok', 'kwok-controller'),
    writeKwokConfig(join(workDir, 'kwok.yaml')),
  ]);
  const schedulerConfigFile = join(workDir, 'kube-scheduler.config.yaml');
  await writeFile(schedulerConfigFile, schedulerConfig(schedulerKubeconfig));
  const layout: ClusterLayout = {
    workDir,
    ports: { etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok },
    advertiseAddress,
    serviceCidr: '10.96.0.0/16',
    podCidr: '10.244.0.0/16',
    perControllerCredentials,
    files: {
      caCert: pki.ca.cert,
      caKey: pki.ca.key,
      servingCert: pki.serving.cert,
      servingKey: pki.serving.key,
      frontProxyCaCert: pki.frontProxyCa.cert,
      frontProxyClientCert: pki.frontProxyClient.cert,
      frontProxyClientKey: pki.frontProxyClient.key,
      saPrivateKey: pki.serviceAccount.privateKey,
      saPublicKey: pki.serviceAccount.publicKey,
      controllerManagerKubeconfig: kcmKubeconfig,
      schedulerKubeconfig,
    schedulerConfig: schedulerConfigFile,
      kwokKubeconfig,
      kwokConfig,
    },
  };
  return { layout, serverUrl, adminKubeconfig, controllerKubeconfig, caFile: pki.ca.cert, adminCert: client('admin') };
}
