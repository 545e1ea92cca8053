/**
 * The seed stories as objects (from ../shared/scenarios/seed-inflate.yaml and seed-provisioner.yaml), for
 * e2e tests and demos. `consolidateAfter` / `ttlSecondsAfterEmpty` are parameters so tests can shorten the
 * 30 s of the story. The Provisioner's requirements are narrowed to the simulated catalog: the article's
 * m5.large (2 vCPU, 8 GiB) and m5.2xlarge (8 vCPU, 32 GiB) become the catalog's `s-2x-*` and `s-8x-*`
 * (4 GiB per vCPU), its us-east-1a/b become test-zone-a/b.
 */

/** The `default` NodePool of the inflate story (WhenEmpty); Ready once {@link defaultEC2NodeClass} exists. */
export function defaultNodePool(consolidateAfter = '30s'): Record<string, unknown> {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'default' },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements: [
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
          ],
        },
      },
      disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter },
    },
  };
}

/**
 * The EC2NodeClass `default` the `default` NodePool references. The simulated provider manages EC2NodeClass
 * and needs only the object to exist (no subnets or AMIs are resolved), so the selectors are placeholders; the
 * object passes the CRD's validation.
 */
export function defaultEC2NodeClass(): Record<string, unknown> {
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'default' },
    spec: {
      role: 'KarpenterNodeRole-local',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'local' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'local' } }],
    },
  };
}

/** The seed article's v1alpha5 Provisioner, requirements narrowed to the simulated catalog. */
export function seedProvisioner(ttlSecondsAfterEmpty = 30): Record<string, unknown> {
  return {
    apiVersion: 'karpenter.sh/v1alpha5',
    kind: 'Provisioner',
    metadata: { name: 'default' },
    spec: {
      requirements: [
        { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['s-2x-amd64-linux', 's-8x-amd64-linux', 's-2x-arm64-linux', 's-8x-arm64-linux'] },
        { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['test-zone-a', 'test-zone-b'] },
        { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64', 'amd64'] },
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
      ],
      provider: { instanceProfile: 'KarpenterNodeInstanceProfile-eks-karpenter-demo' },
      ttlSecondsAfterEmpty,
    },
  };
}

/** A Deployment of pause pods requesting `cpu` each (the `inflate` deployment of the story). */
export function pauseDeployment(name: string, replicas: number, cpu = '1', namespace = 'default'): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name, image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.2', resources: { requests: { cpu } } }],
        },
      },
    },
  };
}

/** A PodDisruptionBudget over `app: <app>` pods. */
export function podDisruptionBudget(name: string, app: string, maxUnavailable: number, namespace = 'default'): Record<string, unknown> {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace },
    spec: { maxUnavailable, selector: { matchLabels: { app } } },
  };
}
