import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { customParts, renderUserData, type UserDataInput } from './userdata.js';

const base: UserDataInput = {
  amiFamily: 'AL2023',
  clusterName: 'demo',
  clusterEndpoint: 'https://api.demo.example',
  clusterCABundle: 'Q0E=',
  labels: { 'karpenter.sh/nodepool': 'default', team: 'a' },
  taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
  maxPods: 58,
};

describe('renderUserData', () => {
  it('AL2023: a MIME document whose nodeadm NodeConfig joins the cluster with the labels, taints and maxPods; the user part first', () => {
    const text = renderUserData({ ...base, custom: '#!/bin/bash\necho hi' });
    expect(text).toMatch(/^MIME-Version: 1.0\nContent-Type: multipart\/mixed; boundary="\/\/"/);
    const parts = customParts(text);
    expect(parts.map((p) => p.contentType)).toEqual(['text/x-shellscript; charset="us-ascii"', 'application/node.eks.aws']);
    const config = parse(parts[1]?.body ?? '') as { kind: string; spec: { cluster: unknown; kubelet: { config: { maxPods: number }; flags: string[] } } };
    expect(config.kind).toBe('NodeConfig');
    expect(config.spec.cluster).toEqual({ name: 'demo', apiServerEndpoint: 'https://api.demo.example', certificateAuthority: 'Q0E=' });
    expect(config.spec.kubelet.config.maxPods).toBe(58);
    expect(config.spec.kubelet.flags).toEqual(['--node-labels=karpenter.sh/nodepool=default,team=a', '--register-with-taints=dedicated=gpu:NoSchedule']);
  });

  it('Bottlerocket: TOML settings, keeping what the user set', () => {
    const text = renderUserData({ ...base, amiFamily: 'Bottlerocket', custom: '[settings.kubernetes]\nmax-pods = 110\n' });
    expect(text).toContain('[settings.kubernetes]\napi-server = "https://api.demo.example"');
    expect(text).toContain('max-pods = 110');
    expect(text).not.toContain('max-pods = 58');
    expect(text).toContain('[settings.kubernetes.node-labels]\n"karpenter.sh/nodepool" = "default"');
    expect(text).toContain('[settings.kubernetes.node-taints]\n"dedicated" = ["gpu:NoSchedule"]');
    expect(text.match(/\[settings\.kubernetes\]/g)?.length).toBe(1);
  });

  it('Custom: the user data unchanged', () => {
    expect(renderUserData({ ...base, amiFamily: 'Custom', custom: 'raw' })).toBe('raw');
  });
});
