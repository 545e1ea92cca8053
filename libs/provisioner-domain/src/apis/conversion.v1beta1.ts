/**
 * v1beta1 → v1, as Karpenter v1.0's conversion webhooks do it (kubernetes-sigs/karpenter pkg/apis/v1
 * nodepool_conversion.go `ConvertFrom`, aws/karpenter-provider-aws pkg/apis/v1 ec2nodeclass_conversion.go
 * `ConvertFrom`), with a warning for every meaning change:
 * - NodePool: `consolidationPolicy: WhenUnderutilized` (also the v1beta1 default) → `WhenEmptyOrUnderutilized` with
 *   `consolidateAfter: 0s` (v1 requires consolidateAfter); `disruption.expireAfter` → `template.spec.expireAfter`;
 *   `template.spec.kubelet` → the EC2NodeClass's `spec.kubelet` (placed by the caller, see `conversion.kubelet.ts`);
 *   `nodeClassRef.apiVersion` → `nodeClassRef.group` (kind defaulting to EC2NodeClass); `template.spec.resources`
 *   dropped (v1 NodePools have none; v1beta1 ignored it). Expiration becomes forceful in v1.
 * - NodeClaim: the same nodeClassRef change; `kubelet` dropped (it lives on the EC2NodeClass); `expireAfter` taken
 *   from its NodePool when that is in the input.
 * - EC2NodeClass: `amiFamily` without `amiSelectorTerms` → an `alias` term `<family>@latest` (amiFamily dropped);
 *   Ubuntu → AL2 with Ubuntu's default root volume and the given AMI terms; a given `metadataOptions` without a hop
 *   limit gets v1beta1's field default (2) written out, since v1's field default is 1 (an absent one defaults to 1 in
 *   both versions).
 * Pure; never throws on values that passed the v1beta1 schemas.
 */
import { AWS_GROUP } from './labels.js';
import { conversionWarning, convertedMeta, UBUNTU_ROOT_VOLUME, type ConversionWarning } from './conversion.js';
import type { EC2NodeClass, KubeletConfiguration } from './ec2nodeclass.js';
import type { NodeClaim } from './nodeclaim.js';
import type { NodePool } from './nodepool.js';
import { V1BETA1_METADATA_OPTION_FIELD_DEFAULTS, type V1beta1EC2NodeClass, type V1beta1NodeClaim, type V1beta1NodeClaimSpec, type V1beta1NodePool } from './v1beta1.js';

/** The v1 NodePool of a v1beta1 NodePool, the kubelet settings to place on its EC2NodeClass, and warnings. */
export interface V1beta1NodePoolConversion {
  nodePool: NodePool;
  kubelet?: KubeletConfiguration;
  warnings: ConversionWarning[];
}

function nodeClassRefToV1(ref: V1beta1NodeClaimSpec['nodeClassRef'], at: (string | number)[], warnings: ConversionWarning[]) {
  const group = ref.apiVersion ? (ref.apiVersion.split('/')[0] ?? AWS_GROUP) : AWS_GROUP;
  if (group !== AWS_GROUP) {
    warnings.push(conversionWarning('conversion-node-class-group', [...at, 'apiVersion'], `nodeClassRef apiVersion "${ref.apiVersion}" is not in group ${AWS_GROUP}: kept group "${group}"; Karpenter's AWS provider only serves ${AWS_GROUP}`));
  }
  return { group, kind: ref.kind || 'EC2NodeClass', name: ref.name };
}

/** Converts a v1beta1 NodePool; see the module doc. */
export function v1beta1NodePoolToV1(np: V1beta1NodePool): V1beta1NodePoolConversion {
  const warnings: ConversionWarning[] = [];
  const warn = (code: string, path: (string | number)[], message: string) => warnings.push(conversionWarning(code, path, message));
  const t = np.spec.template;
  const d = np.spec.disruption ?? {};
  const policy = d.consolidationPolicy ?? 'WhenUnderutilized';
  let disruption: NonNullable<NodePool['spec']['disruption']>;
  if (policy === 'WhenUnderutilized') {
    disruption = { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '0s' };
    warn(
      'conversion-consolidation-policy',
      d.consolidationPolicy ? ['spec', 'disruption', 'consolidationPolicy'] : ['spec'],
      `consolidationPolicy ${d.consolidationPolicy ? 'WhenUnderutilized' : 'defaulted to WhenUnderutilized and'} is WhenEmptyOrUnderutilized in v1, which requires consolidateAfter: wrote consolidateAfter "0s" (consolidate as soon as possible, as before)${d.consolidateAfter === 'Never' ? '; the consolidateAfter "Never" that v1beta1 ignored with this policy is not kept' : ''}`,
    );
  } else {
    disruption = { consolidationPolicy: 'WhenEmpty', consolidateAfter: d.consolidateAfter ?? '0s' };
  }
  if (d.budgets) disruption.budgets = d.budgets.map((b) => ({ ...b }));
  if (d.expireAfter !== undefined) {
    warn('conversion-expire-after-moved', ['spec', 'disruption', 'expireAfter'], `disruption.expireAfter moved to spec.template.spec.expireAfter ("${d.expireAfter}")`);
  }
  const expireAfter = d.expireAfter ?? '720h';
  if (expireAfter !== 'Never') {
    warn(
      'conversion-expiration-forceful',
      d.expireAfter !== undefined ? ['spec', 'disruption', 'expireAfter'] : ['spec'],
      `nodes expire after ${expireAfter}${d.expireAfter === undefined ? ' (the default)' : ''}, and in v1 expiration is forceful: an expired node is drained without waiting for a replacement or for blocking PodDisruptionBudgets; set spec.template.spec.terminationGracePeriod to bound the drain, or expireAfter "Never"`,
    );
  }
  let kubelet: KubeletConfiguration | undefined;
  if (t.spec.kubelet && Object.keys(t.spec.kubelet).length) {
    kubelet = { ...t.spec.kubelet };
    warn('conversion-kubelet-moved', ['spec', 'template', 'spec', 'kubelet'], `kubelet moved to EC2NodeClass "${t.spec.nodeClassRef.name}" spec.kubelet (v1 keeps kubelet settings on the node class)`);
  }
  if (t.spec.resources !== undefined) {
    warn('conversion-resources-dropped', ['spec', 'template', 'spec', 'resources'], 'template.spec.resources has no v1 NodePool equivalent (v1beta1 ignored it on NodePools): dropped');
  }
  const nodePool: NodePool = {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: convertedMeta(np.metadata),
    spec: {
      template: {
        ...(t.metadata ? { metadata: { ...t.metadata } } : {}),
        spec: {
          ...(t.spec.taints ? { taints: t.spec.taints.map((x) => ({ ...x })) } : {}),
          ...(t.spec.startupTaints ? { startupTaints: t.spec.startupTaints.map((x) => ({ ...x })) } : {}),
          requirements: t.spec.requirements.map((r) => ({ ...r })),
          nodeClassRef: nodeClassRefToV1(t.spec.nodeClassRef, ['spec', 'template', 'spec', 'nodeClassRef'], warnings),
          ...(d.expireAfter !== undefined ? { expireAfter: d.expireAfter } : {}),
        },
      },
      disruption,
      ...(np.spec.limits ? { limits: { ...np.spec.limits } } : {}),
      ...(np.spec.weight !== undefined ? { weight: np.spec.weight } : {}),
    },
  };
  return { nodePool, ...(kubelet ? { kubelet } : {}), warnings };
}

/**
 * Converts a v1beta1 NodeClaim. `expireAfter` is its NodePool's (v1beta1 `disruption.expireAfter`) when known; v1
 * NodeClaims carry it themselves.
 */
export function v1beta1NodeClaimToV1(nc: V1beta1NodeClaim, options: { expireAfter?: string } = {}): { nodeClaim: NodeClaim; warnings: ConversionWarning[] } {
  const warnings: ConversionWarning[] = [];
  const s = nc.spec;
  if (s.kubelet !== undefined) {
    warnings.push(conversionWarning('conversion-kubelet-dropped', ['spec', 'kubelet'], `kubelet is not a v1 NodeClaim field (it lives on EC2NodeClass "${s.nodeClassRef.name}" spec.kubelet): dropped`));
  }
  if (options.expireAfter === undefined) {
    warnings.push(conversionWarning('conversion-nodeclaim-expire-after', ['spec'], 'v1 NodeClaims carry expireAfter (default 720h) and its NodePool was not in the input: set spec.expireAfter to the NodePool\'s if it is not 720h'));
  }
  const nodeClaim: NodeClaim = {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: { ...nc.metadata },
    spec: {
      ...(s.taints ? { taints: s.taints.map((x) => ({ ...x })) } : {}),
      ...(s.startupTaints ? { startupTaints: s.startupTaints.map((x) => ({ ...x })) } : {}),
      requirements: s.requirements.map((r) => ({ ...r })),
      ...(s.resources ? { resources: { ...s.resources } } : {}),
      nodeClassRef: nodeClassRefToV1(s.nodeClassRef, ['spec', 'nodeClassRef'], warnings),
      ...(options.expireAfter !== undefined ? { expireAfter: options.expireAfter } : {}),
    },
  };
  return { nodeClaim, warnings };
}

/** Converts a v1beta1 EC2NodeClass (kubelet settings are placed by the caller). */
export function v1beta1EC2NodeClassToV1(nc: V1beta1EC2NodeClass): { nodeClass: EC2NodeClass; warnings: ConversionWarning[] } {
  const warnings: ConversionWarning[] = [];
  const warn = (code: string, path: (string | number)[], message: string) => warnings.push(conversionWarning(code, path, message));
  const s = nc.spec;
  const terms = (s.amiSelectorTerms ?? []).map((t) => ({ ...t }));
  let amiFamily: EC2NodeClass['spec']['amiFamily'];
  let amiSelectorTerms: EC2NodeClass['spec']['amiSelectorTerms'] = terms;
  let blockDeviceMappings = s.blockDeviceMappings?.map((b) => ({ ...b }));
  switch (s.amiFamily) {
    case 'Ubuntu':
      amiFamily = 'AL2';
      if (!blockDeviceMappings) blockDeviceMappings = [{ ...UBUNTU_ROOT_VOLUME, ebs: { ...UBUNTU_ROOT_VOLUME.ebs } }];
      if (!terms.length) {
        amiSelectorTerms = [{ name: 'REPLACE-WITH-UBUNTU-EKS-AMI-NAME', owner: '099720109477' }];
        warn('conversion-ubuntu-ami-placeholder', ['spec', 'amiFamily'], 'amiFamily Ubuntu is not supported in v1 and no amiSelectorTerms selected the AMIs: wrote amiFamily AL2 (same bootstrap) and a placeholder AMI name with Canonical\'s owner id; set the Ubuntu EKS AMI name (or id) before applying (Karpenter marks such a node class incompatible)');
      } else {
        warn('conversion-ubuntu-to-al2', ['spec', 'amiFamily'], `amiFamily Ubuntu is not supported in v1: wrote amiFamily AL2 (same user data format) with your amiSelectorTerms${s.blockDeviceMappings ? '' : " and Ubuntu's default root volume (/dev/sda1, 20Gi gp3, encrypted)"}`);
      }
      break;
    case 'Custom':
      amiFamily = 'Custom';
      break;
    default:
      if (!terms.length) {
        const alias = `${s.amiFamily.toLowerCase()}@latest`;
        amiSelectorTerms = [{ alias }];
        warn('conversion-ami-alias', ['spec', 'amiFamily'], `amiFamily ${s.amiFamily} without amiSelectorTerms became amiSelectorTerms alias ${alias} (amiFamily is implied); pin a version such as ${s.amiFamily.toLowerCase()}@v20240807 for production`);
      } else {
        amiFamily = s.amiFamily;
      }
  }
  if (!amiSelectorTerms.length) {
    warn('conversion-custom-ami-missing', ['spec', 'amiSelectorTerms'], 'amiFamily Custom needs amiSelectorTerms in v1: add the AMI id, name or tags');
  }
  // An absent metadataOptions defaults alike in both versions (hop limit 1); a given one without a hop limit does not.
  const metadataOptions = s.metadataOptions ? { ...V1BETA1_METADATA_OPTION_FIELD_DEFAULTS, ...s.metadataOptions } : undefined;
  if (s.metadataOptions && s.metadataOptions.httpPutResponseHopLimit === undefined) {
    warn('conversion-metadata-options', ['spec', 'metadataOptions'], 'v1beta1 defaulted httpPutResponseHopLimit to 2 in a given metadataOptions, and v1 defaults it to 1: wrote the v1beta1 defaults explicitly');
  }
  const nodeClass: EC2NodeClass = {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: convertedMeta(nc.metadata),
    spec: {
      subnetSelectorTerms: s.subnetSelectorTerms.map((t) => ({ ...t })),
      securityGroupSelectorTerms: s.securityGroupSelectorTerms.map((t) => ({ ...t })),
      ...(s.associatePublicIPAddress !== undefined ? { associatePublicIPAddress: s.associatePublicIPAddress } : {}),
      amiSelectorTerms,
      ...(amiFamily !== undefined ? { amiFamily } : {}),
      ...(s.userData !== undefined ? { userData: s.userData } : {}),
      ...(s.role !== undefined ? { role: s.role } : {}),
      ...(s.instanceProfile !== undefined ? { instanceProfile: s.instanceProfile } : {}),
      ...(s.tags !== undefined ? { tags: { ...s.tags } } : {}),
      ...(blockDeviceMappings !== undefined ? { blockDeviceMappings } : {}),
      ...(s.instanceStorePolicy !== undefined ? { instanceStorePolicy: s.instanceStorePolicy } : {}),
      ...(s.detailedMonitoring !== undefined ? { detailedMonitoring: s.detailedMonitoring } : {}),
      ...(metadataOptions ? { metadataOptions } : {}),
      ...(s.context !== undefined ? { context: s.context } : {}),
    },
  };
  return { nodeClass, warnings };
}
