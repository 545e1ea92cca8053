import { stringify } from 'yaml';
import type { KubeletConfiguration } from '@karpenter-ts/provisioner-domain';

/** What a node's user data configures: how it joins the cluster, and the labels, taints and kubelet settings. */
export interface UserDataInput {
  /** `AL2023` (nodeadm NodeConfig in MIME), `Bottlerocket` (TOML), `AL2` (bootstrap.sh), `Custom` (the user's as is). */
  amiFamily: string;
  clusterName: string;
  /** API server URL, e.g. `https://ABC.gr7.us-west-2.eks.amazonaws.com`. */
  clusterEndpoint: string;
  /** Base64 PEM of the cluster CA. */
  clusterCABundle: string;
  /** The EC2NodeClass's `spec.userData`: merged (MIME parts first, TOML keys win) or, for Custom, used alone. */
  custom?: string | undefined;
  labels: Readonly<Record<string, string>>;
  taints: readonly { key: string; value?: string | undefined; effect: string }[];
  kubelet?: KubeletConfiguration | undefined;
  /** Kubelet maxPods; unset = the AMI's default. */
  maxPods?: number | undefined;
}

const BOUNDARY = '//';

/**
 * The user data (plain text; the launch template base64-encodes it) that makes an instance join the cluster,
 * as Karpenter AWS generates it per AMI family:
 * - AL2023: a MIME multi-part document whose `application/node.eks.aws` part is a nodeadm `NodeConfig`
 *   (cluster name, endpoint, CA; kubelet config and `--node-labels` / `--register-with-taints` flags); the
 *   user's MIME parts, shell script or NodeConfig come first.
 * - Bottlerocket: TOML `[settings.kubernetes]` (api-server, cluster-certificate, cluster-name, max-pods,
 *   node-labels, node-taints); keys the user's TOML already sets are kept as the user wrote them.
 * - AL2: a MIME document with a shell part calling `/etc/eks/bootstrap.sh`.
 * - Custom: the user's user data unchanged (empty when unset).
 */
export function renderUserData(input: UserDataInput): string {
  switch (input.amiFamily) {
    case 'Custom':
      return input.custom ?? '';
    case 'Bottlerocket':
      return bottlerocket(input);
    case 'AL2':
      return mime([...customParts(input.custom), { contentType: 'text/x-shellscript; charset="us-ascii"', body: al2Bootstrap(input) }]);
    default:
      return mime([...customParts(input.custom), { contentType: 'application/node.eks.aws', body: nodeConfig(input) }]);
  }
}

function nodeConfig(input: UserDataInput): string {
  const k = input.kubelet;
  const config: Record<string, unknown> = {};
  if (input.maxPods !== undefined) config['maxPods'] = input.maxPods;
  if (k?.clusterDNS) config['clusterDNS'] = k.clusterDNS;
  if (k?.systemReserved) config['systemReserved'] = k.systemReserved;
  if (k?.kubeReserved) config['kubeReserved'] = k.kubeReserved;
  if (k?.evictionHard) config['evictionHard'] = k.evictionHard;
  if (k?.evictionSoft) config['evictionSoft'] = k.evictionSoft;
  if (k?.imageGCHighThresholdPercent !== undefined) config['imageGCHighThresholdPercent'] = k.imageGCHighThresholdPercent;
  if (k?.imageGCLowThresholdPercent !== undefined) config['imageGCLowThresholdPercent'] = k.imageGCLowThresholdPercent;
  const flags = [`--node-labels=${labelList(input.labels)}`];
  if (input.taints.length > 0) flags.push(`--register-with-taints=${taintList(input.taints)}`);
  return stringify({
    apiVersion: 'node.eks.aws/v1alpha1',
    kind: 'NodeConfig',
    spec: {
      cluster: { name: input.clusterName, apiServerEndpoint: input.clusterEndpoint, certificateAuthority: input.clusterCABundle },
      kubelet: { config, flags },
    },
  });
}

function al2Bootstrap(input: UserDataInput): string {
  const extra = [`--node-labels=${labelList(input.labels)}`];
  if (input.taints.length > 0) extra.push(`--register-with-taints=${taintList(input.taints)}`);
  if (input.maxPods !== undefined) extra.push(`--max-pods=${input.maxPods}`);
  return [
    '#!/bin/bash -xe',
    `/etc/eks/bootstrap.sh '${input.clusterName}' --apiserver-endpoint '${input.clusterEndpoint}' --b64-cluster-ca '${input.clusterCABundle}' \\`,
    `  ${input.maxPods !== undefined ? '--use-max-pods false ' : ''}--kubelet-extra-args '${extra.join(' ')}'`,
    '',
  ].join('\n');
}

function bottlerocket(input: UserDataInput): string {
  const custom = input.custom ?? '';
  const has = (key: string): boolean => new RegExp(`^\\s*"?${key.replace(/[.-]/g, '\\$&')}"?\\s*=`, 'm').test(custom);
  const kube: string[] = [];
  if (!has('api-server')) kube.push(`api-server = ${toml(input.clusterEndpoint)}`);
  if (!has('cluster-certificate')) kube.push(`cluster-certificate = ${toml(input.clusterCABundle)}`);
  if (!has('cluster-name')) kube.push(`cluster-name = ${toml(input.clusterName)}`);
  if (input.maxPods !== undefined && !has('max-pods')) kube.push(`max-pods = ${input.maxPods}`);
  if (input.kubelet?.clusterDNS?.[0] && !has('cluster-dns-ip')) kube.push(`cluster-dns-ip = ${toml(input.kubelet.clusterDNS[0])}`);
  const header = '[settings.kubernetes]';
  let out = custom.includes(header) ? custom.replace(header, [header, ...kube].join('\n')) : `${custom}${custom && !custom.endsWith('\n') ? '\n' : ''}${[header, ...kube].join('\n')}\n`;
  if (!out.includes('[settings.kubernetes.node-labels]')) {
    out += `\n[settings.kubernetes.node-labels]\n${Object.keys(input.labels).sort().map((k) => `${toml(k)} = ${toml(input.labels[k] ?? '')}`).join('\n')}\n`;
  }
  if (input.taints.length > 0 && !out.includes('[settings.kubernetes.node-taints]')) {
    const byKey = new Map<string, string[]>();
    for (const t of input.taints) byKey.set(t.key, [...(byKey.get(t.key) ?? []), `${t.value ?? ''}:${t.effect}`]);
    out += `\n[settings.kubernetes.node-taints]\n${[...byKey].map(([k, v]) => `${toml(k)} = [${v.map(toml).join(', ')}]`).join('\n')}\n`;
  }
  return out;
}

const toml = (s: string): string => JSON.stringify(s);
const labelList = (labels: Readonly<Record<string, string>>): string =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`)
    .join(',');
const taintList = (taints: UserDataInput['taints']): string => taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(',');

interface MimePart {
  contentType: string;
  body: string;
}

function mime(parts: MimePart[]): string {
  const lines = ['MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`, ''];
  for (const p of parts) lines.push(`--${BOUNDARY}`, `Content-Type: ${p.contentType}`, '', p.body.replace(/\n$/, ''), '');
  lines.push(`--${BOUNDARY}--`, '');
  return lines.join('\n');
}

/** The user's user data as MIME parts: its own parts when it is MIME, else one part of the detected type. */
export function customParts(custom: string | undefined): MimePart[] {
  if (!custom || custom.trim() === '') return [];
  const boundary = /boundary="?([^"\r\n;]+)"?/i.exec(custom)?.[1];
  if (/^MIME-Version:/im.test(custom) && boundary) {
    return custom
      .split(`--${boundary}`)
      .slice(1)
      .filter((chunk) => !chunk.startsWith('--'))
      .map((chunk) => {
        const text = chunk.replace(/^\r?\n/, '');
        const split = text.search(/\r?\n\r?\n/);
        const headers = split < 0 ? text : text.slice(0, split);
        const body = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
        return { contentType: /Content-Type:\s*(.+)/i.exec(headers)?.[1]?.trim() ?? 'text/x-shellscript', body: body.replace(/\s+$/, '') };
      })
      .filter((p) => p.body !== '');
  }
  if (/^\s*apiVersion:\s*node\.eks\.aws/m.test(custom)) return [{ contentType: 'application/node.eks.aws', body: custom }];
  return [{ contentType: 'text/x-shellscript; charset="us-ascii"', body: custom }];
}
