/**
 * AMI aliases of EC2NodeClass `amiSelectorTerms[].alias` (`family@version`) to the public SSM parameters that
 * name the EKS-optimized AMI of each architecture, as Karpenter AWS resolves them. Pure.
 */

/** EC2 architecture → `kubernetes.io/arch`. */
export const EC2_ARCH_TO_KUBE: Readonly<Record<string, string>> = { x86_64: 'amd64', arm64: 'arm64' };

/** An alias split into its family (lowercase: `al2023`, `al2`, `bottlerocket`) and version (`latest`, `v20240807`). */
export interface AmiAlias {
  family: string;
  version: string;
}

export function parseAlias(alias: string): AmiAlias {
  const at = alias.indexOf('@');
  return at < 0 ? { family: alias.toLowerCase(), version: 'latest' } : { family: alias.slice(0, at).toLowerCase(), version: alias.slice(at + 1) };
}


/**
 * The SSM parameter names of an alias for Kubernetes `kubernetesVersion` (`major.minor`, e.g. `1.35`), one per
 * EC2 architecture. Throws an Error naming the field when the family is not one the provider supports.
 */
export function aliasParameters(alias: AmiAlias, kubernetesVersion: string): { architecture: 'x86_64' | 'arm64'; name: string }[] {
  const k8s = kubernetesVersion;
  const v = alias.version;
  const latest = v === 'latest';
  switch (alias.family) {
    case 'al2023':
      return (['x86_64', 'arm64'] as const).map((architecture) => ({
        architecture,
        name: latest
          ? `/aws/service/eks/optimized-ami/${k8s}/amazon-linux-2023/${architecture}/standard/recommended/image_id`
          : `/aws/service/eks/optimized-ami/${k8s}/amazon-linux-2023/${architecture}/standard/amazon-eks-node-al2023-${architecture}-standard-${k8s}-${v}/image_id`,
      }));
    case 'al2':
      return [
        { architecture: 'x86_64', name: latest ? `/aws/service/eks/optimized-ami/${k8s}/amazon-linux-2/recommended/image_id` : `/aws/service/eks/optimized-ami/${k8s}/amazon-linux-2/amazon-eks-node-${k8s}-${v}/image_id` },
        { architecture: 'arm64', name: latest ? `/aws/service/eks/optimized-ami/${k8s}/amazon-linux-2-arm64/recommended/image_id` : `/aws/service/eks/optimized-ami/${k8s}/amazon-linux-2-arm64/amazon-eks-arm64-node-${k8s}-${v}/image_id` },
      ];
    case 'bottlerocket':
      return (['x86_64', 'arm64'] as const).map((architecture) => ({
        architecture,
        name: `/aws/service/bottlerocket/aws-k8s-${k8s}/${architecture}/${latest ? 'latest' : v.replace(/^v/, '')}/image_id`,
      }));
    default:
      throw new Error(`spec.amiSelectorTerms alias family "${alias.family}" is not supported: use al2023, al2 or bottlerocket, or select AMIs by id, name or tags`);
  }
}
