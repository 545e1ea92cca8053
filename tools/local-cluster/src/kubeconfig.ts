import { readFile, writeFile } from 'node:fs/promises';
import type { CertFiles } from './pki.js';

/** Inputs of {@link writeKubeconfig}. */
export interface KubeconfigSpec {
  /** Output path (written with mode 0600). */
  path: string;
  /** e.g. https://127.0.0.1:6443 */
  serverUrl: string;
  /** CA certificate file that signed the apiserver's serving certificate. */
  caFile: string;
  client: CertFiles;
  /** User entry name (informational; the identity is the certificate's CN/O). */
  userName: string;
  /** Cluster and context name. Default "karpenter-ts-local". */
  clusterName?: string;
}

const b64 = async (file: string): Promise<string> => (await readFile(file)).toString('base64');

/**
 * Writes a self-contained kubeconfig (certificates embedded as base64) with one cluster, user and
 * context, and makes that context current. Resolves with `spec.path`.
 */
export async function writeKubeconfig(spec: KubeconfigSpec): Promise<string> {
  const cluster = spec.clusterName ?? 'karpenter-ts-local';
  const [ca, cert, key] = await Promise.all([b64(spec.caFile), b64(spec.client.cert), b64(spec.client.key)]);
  const text = `apiVersion: v1
kind: Config
clusters:
- name: ${cluster}
  cluster:
    server: ${spec.serverUrl}
    certificate-authority-data: ${ca}
users:
- name: ${spec.userName}
  user:
    client-certificate-data: ${cert}
    client-key-data: ${key}
contexts:
- name: ${cluster}
  context:
    cluster: ${cluster}
    user: ${spec.userName}
    namespace: default
current-context: ${cluster}
`;
  await writeFile(spec.path, text, { mode: 0o600 });
  return spec.path;
}
