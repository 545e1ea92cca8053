import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.js';

/** A PEM certificate and its PEM private key, as file paths. */
export interface CertFiles {
  cert: string;
  key: string;
}

/** A client identity: CN becomes the Kubernetes user name, each O a group. */
export interface ClientIdentity {
  /** File name stem, e.g. "admin". */
  name: string;
  commonName: string;
  organizations?: readonly string[];
}

/** Inputs of {@link createPki}. */
export interface PkiSpec {
  /** Directory to write into (created). */
  dir: string;
  /** subjectAltNames of the apiserver serving certificate: IPs and DNS names. */
  servingIps: readonly string[];
  servingDnsNames: readonly string[];
  clients: readonly ClientIdentity[];
}

/** Paths written by {@link createPki}. */
export interface Pki {
  ca: CertFiles;
  serving: CertFiles;
  /** Separate CA for the aggregation layer's request-header authentication (as kubeadm does). */
  frontProxyCa: CertFiles;
  /** Client certificate the apiserver presents to aggregated API servers (CN {@link frontProxyClientName}). */
  frontProxyClient: CertFiles;
  /** Keyed by {@link ClientIdentity.name}. */
  clients: Record<string, CertFiles>;
  /** ServiceAccount token signing key pair (private PKCS#8 PEM, public SPKI PEM). */
  serviceAccount: { privateKey: string; publicKey: string };
}

// Own config so the result does not depend on the distribution's openssl.cnf.
const opensslConfig = `[req]
distinguished_name = dn
prompt = no
[dn]
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = @sans
[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
`;

/** CN of the front-proxy client certificate (`--requestheader-allowed-names`). */
export const frontProxyClientName = 'front-proxy-client';

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function subject(commonName: string, organizations: readonly string[] = []): string {
  const escape = (v: string): string => v.replace(/[/\\]/g, '\\$&');
  return [...organizations.map((o) => `/O=${escape(o)}`), `/CN=${escape(commonName)}`].join('');
}

async function createCa(dir: string, name: string, commonName: string, config: string): Promise<CertFiles> {
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  await run(['openssl', 'req', '-x509', ...ecKey, '-config', config, '-extensions', 'v3_ca', '-days', '3650', '-sha256',
    '-subj', `/CN=${commonName}`, '-keyout', files.key, '-out', files.cert]);
  return files;
}

async function signLeaf(ca: CertFiles, dir: string, name: string, subj: string, extension: 'server' | 'client', config: string): Promise<CertFiles> {
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  await run(['openssl', 'req', '-new', ...ecKey, '-config', config, '-keyout', files.key, '-subj', subj, '-out', csr]);
  await run([
    'openssl', 'x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key,
    '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', '3650', '-sha256',
    '-extfile', config, '-extensions', extension, '-out', files.cert,
  ]);
  return files;
}

/**
 * Creates a throw-away PKI with the openssl CLI (ECDSA P-256 keys, 10-year validity): a CA, an
 * apiserver serving certificate for `servingIps`/`servingDnsNames`, one client certificate per
 * identity, a front-proxy CA + client certificate, and a ServiceAccount signing key pair. Takes a few hundred milliseconds.
 * Throws CommandFailedError when openssl fails or is missing.
 */
export async function createPki(spec: PkiSpec): Promise<Pki> {
  const { dir } = spec;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const sans = [...spec.servingIps.map((ip, i) => `IP.${i + 1} = ${ip}`), ...spec.servingDnsNames.map((d, i) => `DNS.${i + 1} = ${d}`)];
  const config = join(dir, 'openssl.cnf');
  await writeFile(config, `${opensslConfig}[sans]\n${sans.join('\n')}\n`);
  const saKey = join(dir, 'sa.key');
  const saPub = join(dir, 'sa.pub');
  const [ca, frontProxyCa] = await Promise.all([
    createCa(dir, 'ca', 'karpenter-ts-local-ca', config),
    createCa(dir, 'front-proxy-ca', 'karpenter-ts-local-front-proxy-ca', config),
    run(['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', saKey])
      .then(() => run(['openssl', 'pkey', '-in', saKey, '-pubout', '-out', saPub])),
  ]);
  const [serving, frontProxyClient, ...clientFiles] = await Promise.all([
    signLeaf(ca, dir, 'apiserver', '/CN=kube-apiserver', 'server', config),
    signLeaf(frontProxyCa, dir, 'front-proxy-client', `/CN=${frontProxyClientName}`, 'client', config),
    ...spec.clients.map((c) => signLeaf(ca, dir, c.name, subject(c.commonName, c.organizations), 'client', config)),
  ]);
  if (serving === undefined || frontProxyClient === undefined) throw new Error('unreachable: certificate missing');
  const clients: Record<string, CertFiles> = {};
  spec.clients.forEach((c, i) => {
    const files = clientFiles[i];
    if (files !== undefined) clients[c.name] = files;
  });
  return { ca, serving, frontProxyCa, frontProxyClient, clients, serviceAccount: { privateKey: saKey, publicKey: saPub } };
}
