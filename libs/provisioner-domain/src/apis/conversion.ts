/**
 * v1alpha5 → v1: a Provisioner (with its inline `provider` or the AWSNodeTemplate its `providerRef` names)
 * becomes a NodePool and, when there is something to carry, an EC2NodeClass. Every field whose meaning
 * changes, or that cannot be carried, yields a `ConversionWarning`.
 *
 * Mirrors Karpenter's v1 migration: ttlSecondsAfterEmpty N → consolidationPolicy WhenEmpty + consolidateAfter
 * "Ns"; consolidation.enabled → WhenEmptyOrUnderutilized (consolidateAfter 0s); neither → consolidateAfter
 * Never; ttlSecondsUntilExpired N → expireAfter "Ns" (absent → "Never", since v1 would default to 720h);
 * limits.resources → limits; labels/annotations → template.metadata; kubeletConfiguration → EC2NodeClass
 * kubelet; provider/providerRef → nodeClassRef {group: karpenter.k8s.aws, kind: EC2NodeClass, name}.
 */
import type { AWSNodeTemplate, AWSProvider } from './awsnodetemplate.js';
import type { Requirement } from './common.js';
import type { EC2NodeClass, KubeletConfiguration } from './ec2nodeclass.js';
import { amiSelectorToTerms, idOrTagSelectorToTerms, type SelectorConversion } from './conversion.selectors.js';
import { formatPath } from './validate/validate.js';
import { formatDuration } from './duration.js';
import { ANNOTATION_DO_NOT_CONSOLIDATE, ANNOTATION_DO_NOT_DISRUPT, AWS_GROUP, LABEL_ARCH, LABEL_CAPACITY_TYPE, LABEL_NODEPOOL, LABEL_OS, LABEL_PROVISIONER_NAME } from './labels.js';
import type { NodePool } from './nodepool.js';
import type { Provisioner } from './provisioner.js';

/** A field whose meaning changes or that is dropped by the conversion. `path` is in the source object. */
export interface ConversionWarning {
  /** Stable code, e.g. `conversion-launch-template-dropped`. */
  code: string;
  /** Field path in the source object, e.g. `spec.provider.launchTemplate` or `spec.amiSelector["aws::ids"]`. */
  path: string;
  /** The same path as segments (map keys with dots stay whole), for locating the field in the source text. */
  fieldPath: (string | number)[];
  message: string;
}

/** Builds a warning from a path given as segments. */
export function conversionWarning(code: string, fieldPath: (string | number)[], message: string): ConversionWarning {
  return { code, path: formatPath(fieldPath), fieldPath, message };
}

/** Options of `provisionerToNodePool`. */
export interface ConversionOptions {
  /**
   * The AWSNodeTemplates of the same input; the one `providerRef` names becomes the EC2NodeClass (with the
   * Provisioner's kubelet settings). Without it the providerRef is not resolved (and not reported missing): the
   * caller places the kubelet settings itself (`ConversionResult.kubelet`, see `conversion.kubelet.ts`).
   */
  nodeTemplates?: readonly AWSNodeTemplate[];
  /** Cluster name for discovery tags when the provider had no selectors; default `"REPLACE-WITH-CLUSTER-NAME"`. */
  clusterName?: string;
}

/** The result of converting one Provisioner. */
export interface ConversionResult {
  nodePool: NodePool;
  /** From the inline `provider`, or from the AWSNodeTemplate of `options.nodeTemplates` that providerRef names. */
  nodeClass?: EC2NodeClass;
  /** The v1 kubelet settings of the Provisioner (without `containerRuntime`), wherever they were placed. */
  kubelet?: KubeletConfiguration;
  warnings: ConversionWarning[];
}

/** v1alpha5's IMDS defaults (hop limit 2), written out so the converted node class keeps them (v1 defaults to 1). */
const V1ALPHA5_METADATA_OPTIONS = { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 2, httpTokens: 'required' } as const;

/** An object's name, labels and annotations for its converted form (without kubectl's last-applied annotation). */
export const convertedMeta = (m: { name?: string | undefined; labels?: Record<string, string> | undefined; annotations?: Record<string, string> | undefined }) => {
  const annotations = { ...(m.annotations ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  return {
    name: m.name,
    ...(m.labels && Object.keys(m.labels).length ? { labels: { ...m.labels } } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
};

/**
 * Converts a v1alpha5 Provisioner into a v1 NodePool (+ EC2NodeClass). Pure; never throws on a Provisioner
 * that passed `provisionerSchema`. The NodePool's `nodeClassRef.name` is the providerRef's name, or the
 * Provisioner's name when an inline provider (or nothing) was given.
 */
export function provisionerToNodePool(p: Provisioner, options: ConversionOptions = {}): ConversionResult {
  const warnings: ConversionWarning[] = [];
  const warn = (code: string, path: string, message: string) => warnings.push(conversionWarning(code, path.split('.'), message));
  const spec = p.spec;
  const name = p.metadata.name ?? 'default';

  const requirements: Requirement[] = (spec.requirements ?? []).map((r) => {
    if (r.key === LABEL_PROVISIONER_NAME) {
      warn('conversion-provisioner-name-label', 'spec.requirements', `requirement on "${LABEL_PROVISIONER_NAME}" became "${LABEL_NODEPOOL}"`);
      return { ...r, key: LABEL_NODEPOOL };
    }
    return { ...r };
  });
  const hasKey = (k: string) => requirements.some((r) => r.key === k);
  const added: string[] = [];
  for (const [key, value] of [[LABEL_CAPACITY_TYPE, 'on-demand'], [LABEL_ARCH, 'amd64'], [LABEL_OS, 'linux']] as const) {
    if (hasKey(key)) continue;
    requirements.push({ key, operator: 'In', values: [value] });
    added.push(`${key} In [${value}]`);
  }
  if (added.length) {
    warn('conversion-default-requirement', 'spec.requirements', `v1alpha5 defaulted these labels when no requirement named them; added ${added.join(', ')} to keep that meaning (v1 has no such defaults)`);
  }

  // Disruption
  let disruption: NonNullable<NodePool['spec']['disruption']>;
  if (spec.ttlSecondsAfterEmpty !== undefined) {
    disruption = { consolidationPolicy: 'WhenEmpty', consolidateAfter: `${spec.ttlSecondsAfterEmpty}s` };
  } else if (spec.consolidation?.enabled === true) {
    disruption = { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '0s' };
  } else {
    disruption = { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: 'Never' };
    warn('conversion-no-consolidation', 'spec', 'neither ttlSecondsAfterEmpty nor consolidation.enabled was set: the NodePool gets consolidateAfter "Never" (no consolidation), as before');
  }

  const expireAfter = spec.ttlSecondsUntilExpired !== undefined ? formatDuration(spec.ttlSecondsUntilExpired * 1000) : 'Never';
  if (spec.ttlSecondsUntilExpired === undefined) {
    warn('conversion-expire-after-never', 'spec.ttlSecondsUntilExpired', 'ttlSecondsUntilExpired was not set: expireAfter is set to "Never" to keep nodes from expiring (v1 would default to 720h)');
  }

  // Node class
  let nodeClassName = name;
  let nodeClass: EC2NodeClass | undefined;
  if (spec.providerRef) {
    nodeClassName = spec.providerRef.name;
    if (spec.providerRef.kind !== undefined && spec.providerRef.kind !== 'AWSNodeTemplate') {
      warn('conversion-provider-ref-kind', 'spec.providerRef.kind', `providerRef kind "${spec.providerRef.kind}" is not AWSNodeTemplate; nodeClassRef points to an EC2NodeClass of the same name`);
    }
    const template = options.nodeTemplates?.find((t) => t.metadata.name === nodeClassName);
    if (template) {
      nodeClass = awsNodeTemplateToEC2NodeClass(template, options, warnings);
    } else if (options.nodeTemplates) {
      warn('conversion-node-template-missing', 'spec.providerRef', `AWSNodeTemplate "${nodeClassName}" was not in the input: convert it too, or create EC2NodeClass "${nodeClassName}"`);
    }
  } else if (spec.provider) {
    nodeClass = providerToEC2NodeClass(name, spec.provider as AWSProvider, 'spec.provider', options, warnings);
  } else {
    warn('conversion-no-provider', 'spec', `neither provider nor providerRef was set: nodeClassRef points to EC2NodeClass "${name}", which must exist`);
  }

  let kubelet: KubeletConfiguration | undefined;
  if (spec.kubeletConfiguration) {
    const { containerRuntime, ...rest } = spec.kubeletConfiguration;
    kubelet = rest as KubeletConfiguration;
    if (containerRuntime !== undefined) warn('conversion-container-runtime-dropped', 'spec.kubeletConfiguration.containerRuntime', 'containerRuntime has no v1 equivalent (containerd is the only runtime): dropped');
    if (nodeClass) {
      nodeClass.spec.kubelet = kubelet;
      warn('conversion-kubelet-moved', 'spec.kubeletConfiguration', `kubeletConfiguration moved to EC2NodeClass "${nodeClassName}" spec.kubelet`);
    } else if (options.nodeTemplates) {
      warn('conversion-kubelet-dropped', 'spec.kubeletConfiguration', `kubeletConfiguration belongs in EC2NodeClass "${nodeClassName}" spec.kubelet in v1: add it there`);
    } else {
      warn('conversion-kubelet-moved', 'spec.kubeletConfiguration', `kubeletConfiguration moves to spec.kubelet of the EC2NodeClass this NodePool refers to ("${nodeClassName}", or a copy of it when the pools sharing it differ in kubelet settings)`);
    }
  }

  // v1beta1 replaced the node annotation do-not-consolidate with do-not-disrupt (do-not-evict was a pod annotation).
  let annotations = spec.annotations ? { ...spec.annotations } : undefined;
  if (annotations?.[ANNOTATION_DO_NOT_CONSOLIDATE] !== undefined) {
    const { [ANNOTATION_DO_NOT_CONSOLIDATE]: value, ...rest } = annotations;
    annotations = { ...rest, [ANNOTATION_DO_NOT_DISRUPT]: rest[ANNOTATION_DO_NOT_DISRUPT] ?? value };
    warn(
      'conversion-do-not-disrupt',
      'spec.annotations',
      `the node annotation ${ANNOTATION_DO_NOT_CONSOLIDATE} is ${ANNOTATION_DO_NOT_DISRUPT} since v1beta1: renamed it (it now blocks every voluntary disruption of the nodes, drift included, not only consolidation)`,
    );
  }
  const templateMetadata = {
    ...(spec.labels ? { labels: { ...spec.labels } } : {}),
    ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
  };

  const nodePool: NodePool = {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: convertedMeta(p.metadata),
    spec: {
      template: {
        ...(Object.keys(templateMetadata).length ? { metadata: templateMetadata } : {}),
        spec: {
          ...(spec.taints ? { taints: spec.taints.map((t) => ({ ...t })) } : {}),
          ...(spec.startupTaints ? { startupTaints: spec.startupTaints.map((t) => ({ ...t })) } : {}),
          requirements,
          nodeClassRef: { group: AWS_GROUP, kind: 'EC2NodeClass', name: nodeClassName },
          expireAfter,
        },
      },
      disruption,
      ...(spec.limits?.resources ? { limits: { ...spec.limits.resources } } : {}),
      ...(spec.weight !== undefined ? { weight: spec.weight } : {}),
    },
  };
  return { nodePool, ...(nodeClass ? { nodeClass } : {}), ...(kubelet ? { kubelet } : {}), warnings };
}

/**
 * Converts a v1alpha1 AWSNodeTemplate into a v1 EC2NodeClass of the same name. Warnings are appended to
 * `warnings` (and returned through it).
 */
export function awsNodeTemplateToEC2NodeClass(t: AWSNodeTemplate, options: ConversionOptions = {}, warnings: ConversionWarning[] = []): EC2NodeClass {
  const nc = providerToEC2NodeClass(t.metadata.name ?? 'default', t.spec, 'spec', options, warnings);
  nc.metadata = convertedMeta(t.metadata);
  return nc;
}

/** Ubuntu's default root volume, which Karpenter writes when it moves an Ubuntu node class to AL2 (v1 conversion). */
export const UBUNTU_ROOT_VOLUME = { deviceName: '/dev/sda1', rootVolume: true, ebs: { encrypted: true, volumeType: 'gp3' as const, volumeSize: '20Gi' } };

function providerToEC2NodeClass(name: string, provider: AWSProvider, base: string, options: ConversionOptions, warnings: ConversionWarning[]): EC2NodeClass {
  const basePath = base.split('.');
  const warn = (code: string, path: (string | number)[], message: string) => warnings.push(conversionWarning(code, [...basePath, ...path], message));
  const report = (field: string, r: SelectorConversion) => {
    for (const f of r.findings) warn(f.code, f.key ? [field, f.key] : [field], f.message);
    return r.terms;
  };
  const discovery = { 'karpenter.sh/discovery': options.clusterName ?? 'REPLACE-WITH-CLUSTER-NAME' };

  let subnetSelectorTerms = report('subnetSelector', idOrTagSelectorToTerms(provider.subnetSelector, 'subnetSelectorTerms'));
  if (!subnetSelectorTerms.length) {
    subnetSelectorTerms = [{ tags: { ...discovery } }];
    warn('conversion-subnet-selector-missing', ['subnetSelector'], `subnetSelector was not set: added subnetSelectorTerms selecting tag karpenter.sh/discovery=${discovery['karpenter.sh/discovery']}; adjust it to your subnets`);
  }
  let securityGroupSelectorTerms = report('securityGroupSelector', idOrTagSelectorToTerms(provider.securityGroupSelector, 'securityGroupSelectorTerms'));
  if (!securityGroupSelectorTerms.length) {
    securityGroupSelectorTerms = [{ tags: { ...discovery } }];
    if (provider.launchTemplate === undefined) {
      warn('conversion-security-group-selector-missing', ['securityGroupSelector'], `securityGroupSelector was not set: added securityGroupSelectorTerms selecting tag karpenter.sh/discovery=${discovery['karpenter.sh/discovery']}; adjust it`);
    }
  }

  const family = provider.amiFamily ?? 'AL2';
  let amiFamily: EC2NodeClass['spec']['amiFamily'];
  let amiSelectorTerms: EC2NodeClass['spec']['amiSelectorTerms'] = report('amiSelector', amiSelectorToTerms(provider.amiSelector));
  let blockDeviceMappings = provider.blockDeviceMappings?.map((b) => ({ ...b }));
  if (family === 'Ubuntu') {
    // Karpenter's v1 conversion: Ubuntu bootstraps like AL2; its AMIs must be selected explicitly.
    amiFamily = 'AL2';
    if (!blockDeviceMappings) blockDeviceMappings = [{ ...UBUNTU_ROOT_VOLUME, ebs: { ...UBUNTU_ROOT_VOLUME.ebs } }];
    if (!amiSelectorTerms.length) {
      amiSelectorTerms = [{ name: 'REPLACE-WITH-UBUNTU-EKS-AMI-NAME', owner: '099720109477' }];
      warn('conversion-ubuntu-ami-placeholder', ['amiFamily'], 'amiFamily Ubuntu is not supported in v1 and nothing selected the AMIs: wrote amiFamily AL2 (same bootstrap) and a placeholder amiSelectorTerms name with Canonical\'s owner id; set the Ubuntu EKS AMI name (or id) before applying');
    } else {
      warn('conversion-ubuntu-to-al2', ['amiFamily'], 'amiFamily Ubuntu is not supported in v1: wrote amiFamily AL2 (same user data format) with your amiSelector terms' + (provider.blockDeviceMappings ? '' : ' and Ubuntu\'s default root volume (/dev/sda1, 20Gi gp3, encrypted)'));
    }
  } else {
    amiFamily = family;
  }
  if (!amiSelectorTerms.length) {
    if (amiFamily === 'Custom') {
      warn('conversion-custom-ami-missing', ['amiSelector'], 'amiFamily Custom needs amiSelectorTerms: add the AMI id or tags');
      amiSelectorTerms = [{ tags: { ...discovery } }];
    } else {
      amiSelectorTerms = [{ alias: `${amiFamily.toLowerCase()}@latest` }];
      warn('conversion-ami-alias', ['amiSelector'], `no amiSelector: selecting the latest EKS-optimized ${amiFamily} AMI with alias ${amiFamily.toLowerCase()}@latest (pin a version for production)`);
      amiFamily = undefined;
    }
  }

  if (provider.launchTemplate !== undefined) {
    warn('conversion-launch-template-dropped', ['launchTemplate'], 'launchTemplate is not supported in v1: move its settings (security groups, user data, block devices, metadata options) into the EC2NodeClass');
  }
  let instanceProfile = provider.instanceProfile;
  if (instanceProfile === undefined) {
    instanceProfile = 'REPLACE-WITH-INSTANCE-PROFILE';
    warn('conversion-instance-profile-missing', ['instanceProfile'], 'instanceProfile was not set (v1alpha5 used the global default): set spec.role or spec.instanceProfile on the EC2NodeClass');
  }
  if (provider.metadataOptions === undefined) {
    warn('conversion-metadata-options', ['metadataOptions'], 'v1alpha5 defaulted httpPutResponseHopLimit to 2 and v1 defaults to 1: wrote v1alpha5 defaults explicitly');
  }

  const spec: EC2NodeClass['spec'] = {
    subnetSelectorTerms,
    securityGroupSelectorTerms,
    amiSelectorTerms,
    ...(amiFamily !== undefined ? { amiFamily } : {}),
    instanceProfile,
    ...(provider.userData !== undefined ? { userData: provider.userData } : {}),
    ...(provider.tags !== undefined ? { tags: { ...provider.tags } } : {}),
    ...(blockDeviceMappings !== undefined ? { blockDeviceMappings } : {}),
    ...(provider.detailedMonitoring !== undefined ? { detailedMonitoring: provider.detailedMonitoring } : {}),
    metadataOptions: { ...V1ALPHA5_METADATA_OPTIONS, ...(provider.metadataOptions ?? {}) },
    ...(provider.context !== undefined ? { context: provider.context } : {}),
  };
  return { apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', metadata: { name }, spec };
}
