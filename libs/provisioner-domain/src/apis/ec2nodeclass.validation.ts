/**
 * EC2NodeClass cross-field rules (as the AWS provider's CRD has them), each as CEL and as a TypeScript check.
 * Where the upstream CEL reads `!self.all(...)` for "no term may combine id with other fields", this file uses
 * `!self.exists(...)`, the meaning the messages state, in both engines.
 */
import { eachItem, eachKey, HERE, type RelativePath, type Rule } from './rules.js';

const has = (v: unknown): boolean => v !== undefined;
type Tags = Record<string, string>;

/** Selector `tags`: no empty keys or values. */
export const selectorTagRules: Rule<Tags>[] = [
  {
    code: 'selector-tag-empty',
    cel: "self.all(k, k != '' && self[k] != '')",
    message: "empty tag keys or values aren't supported: give every tag a key and a value (\"*\" matches any value)",
    check: (tags) => eachKey(tags, (k) => k === '' || tags[k] === ''),
  },
];

interface TermLike {
  tags?: Tags | undefined;
  id?: string | undefined;
  name?: string | undefined;
  alias?: string | undefined;
  owner?: string | undefined;
  ownerID?: string | undefined;
  ssmParameter?: string | undefined;
  instanceMatchCriteria?: string | undefined;
}

function termRules(list: string, fields: (keyof TermLike)[], exclusive: { field: keyof TermLike; others: (keyof TermLike)[] }[]): Rule<TermLike[]>[] {
  const anyOf = fields.map((f) => `has(x.${f})`).join(' || ');
  return [
    {
      code: 'selector-term-empty',
      cel: `self.all(x, ${anyOf})`,
      message: `expected at least one, got none, [${fields.map((f) => `'${f}'`).join(', ')}]: each ${list} term needs one of these fields`,
      check: (terms) => eachItem(terms, (t) => !fields.some((f) => has(t[f]))),
    },
    ...exclusive.map(({ field, others }) => ({
      code: 'selector-term-exclusive',
      cel: `!self.exists(x, has(x.${field}) && (${others.map((o) => `has(x.${o})`).join(' || ')}))`,
      message: `'${field}' is mutually exclusive, cannot be set with a combination of other fields in ${list}: put '${field}' in a term of its own`,
      check: (terms: TermLike[]) => eachItem(terms, (t) => has(t[field]) && others.some((o) => has(t[o]))),
    })),
  ];
}

const nonEmpty = (list: string): Rule<TermLike[]> => ({
  code: 'selector-terms-empty',
  cel: 'self.size() != 0',
  message: `${list} cannot be empty: add at least one term selecting by tags or id`,
  check: (terms) => (terms.length === 0 ? HERE : []),
});

export const subnetTermListRules: Rule<TermLike[]>[] = [
  nonEmpty('subnetSelectorTerms'),
  ...termRules('subnetSelectorTerms', ['tags', 'id'], [{ field: 'id', others: ['tags'] }]),
];

export const securityGroupTermListRules: Rule<TermLike[]>[] = [
  nonEmpty('securityGroupSelectorTerms'),
  ...termRules('securityGroupSelectorTerms', ['tags', 'id', 'name'], [
    { field: 'id', others: ['tags', 'name'] },
    { field: 'name', others: ['tags', 'id'] },
  ]),
];

export const capacityReservationTermListRules: Rule<TermLike[]>[] = termRules(
  'capacityReservationSelectorTerms',
  ['tags', 'id', 'instanceMatchCriteria'],
  [{ field: 'id', others: ['tags', 'ownerID', 'instanceMatchCriteria'] }],
);

export const amiSelectorTermListRules: Rule<TermLike[]>[] = [
  ...termRules('amiSelectorTerms', ['tags', 'id', 'name', 'alias', 'ssmParameter'], [
    { field: 'id', others: ['alias', 'tags', 'name', 'owner'] },
    { field: 'alias', others: ['id', 'tags', 'name', 'owner'] },
  ]),
  {
    code: 'ami-alias-alone',
    cel: '!(self.exists(x, has(x.alias)) && self.size() != 1)',
    message: "'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms: use a single alias term, or no alias",
    check: (terms) => (terms.some((t) => has(t.alias)) && terms.length !== 1 ? HERE : []),
  },
];

/** Families an alias may name, lower-case as in `al2023@latest`. */
export const ALIAS_FAMILIES = ['al2', 'al2023', 'bottlerocket', 'windows2019', 'windows2022', 'windows2025'] as const;
const WINDOWS_ALIASES = ['windows2019', 'windows2022', 'windows2025'];

export const aliasRules: Rule<string>[] = [
  {
    code: 'ami-alias-format',
    cel: "self.matches('^[a-zA-Z0-9]+@.+$')",
    message: "'alias' is improperly formatted, must match the format 'family@version', e.g. 'al2023@latest'",
    check: (a) => (/^[a-zA-Z0-9]+@.+$/.test(a) ? [] : HERE),
  },
  {
    code: 'ami-alias-family',
    cel: `self.split('@')[0] in [${ALIAS_FAMILIES.map((f) => `'${f}'`).join(',')}]`,
    message: `family is not supported, must be one of the following: ${ALIAS_FAMILIES.map((f) => `'${f}'`).join(', ')}`,
    check: (a) => ((ALIAS_FAMILIES as readonly string[]).includes(a.split('@')[0] ?? '') ? [] : HERE),
  },
  {
    code: 'ami-alias-windows-version',
    cel: `self.split('@')[0] in [${WINDOWS_ALIASES.map((f) => `'${f}'`).join(',')}] ? self.split('@')[1] == 'latest' : true`,
    message: "windows families may only specify version 'latest': use e.g. 'windows2022@latest'",
    // CEL's split('@')[1] errors (and so rejects) when there is no '@'; the format rule reports that case.
    check: (a) => {
      const [family, version] = a.split('@');
      return WINDOWS_ALIASES.includes(family ?? '') && version !== 'latest' ? HERE : [];
    },
  },
];

/** Tag keys Karpenter sets itself. */
export const RESTRICTED_TAGS: readonly { cel: string; test: (k: string) => boolean; name: string }[] = [
  { name: 'eks:eks-cluster-name', cel: "k != 'eks:eks-cluster-name'", test: (k) => k === 'eks:eks-cluster-name' },
  { name: 'kubernetes.io/cluster/', cel: "!k.startsWith('kubernetes.io/cluster')", test: (k) => k.startsWith('kubernetes.io/cluster') },
  { name: 'karpenter.sh/nodepool', cel: "k != 'karpenter.sh/nodepool'", test: (k) => k === 'karpenter.sh/nodepool' },
  { name: 'karpenter.sh/nodeclaim', cel: "k != 'karpenter.sh/nodeclaim'", test: (k) => k === 'karpenter.sh/nodeclaim' },
  { name: 'karpenter.k8s.aws/ec2nodeclass', cel: "k != 'karpenter.k8s.aws/ec2nodeclass'", test: (k) => k === 'karpenter.k8s.aws/ec2nodeclass' },
];

export const tagRules: Rule<Tags>[] = [
  {
    code: 'tag-key-empty',
    cel: "self.all(k, k != '')",
    message: "empty tag keys aren't supported: give every tag a key",
    check: (tags) => eachKey(tags, (k) => k === ''),
  },
  ...RESTRICTED_TAGS.map((t) => ({
    code: 'tag-restricted',
    cel: `self.all(k, ${t.cel})`,
    message: `tag contains a restricted tag matching ${t.name}: Karpenter sets this tag itself; remove it`,
    check: (tags: Tags) => eachKey(tags, t.test),
  })),
];

const RESERVED_KEYS = ['cpu', 'memory', 'ephemeral-storage', 'pid'];
export const reservedMapRules: Rule<Tags>[] = [
  {
    code: 'kubelet-reserved-key',
    cel: "self.all(x, x=='cpu' || x=='memory' || x=='ephemeral-storage' || x=='pid')",
    message: "valid keys for systemReserved and kubeReserved are ['cpu','memory','ephemeral-storage','pid']",
    check: (m) => eachKey(m, (k) => !RESERVED_KEYS.includes(k)),
  },
  {
    code: 'kubelet-reserved-negative',
    cel: "self.all(x, !self[x].startsWith('-'))",
    message: 'reserved value cannot be a negative resource quantity: use a quantity such as "100m" or "1Gi"',
    check: (m) => eachKey(m, (k) => (m[k] ?? '').startsWith('-')),
  },
];

const EVICTION_SIGNALS = ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree', 'pid.available'];
export const evictionMapRules = (field: string): Rule<Tags>[] => [
  {
    code: 'kubelet-eviction-signal',
    cel: `self.all(x, x in [${EVICTION_SIGNALS.map((s) => `'${s}'`).join(',')}])`,
    message: `valid keys for ${field} are [${EVICTION_SIGNALS.map((s) => `'${s}'`).join(',')}]`,
    check: (m) => eachKey(m, (k) => !EVICTION_SIGNALS.includes(k)),
  },
];

interface KubeletLike {
  imageGCHighThresholdPercent?: number | undefined;
  imageGCLowThresholdPercent?: number | undefined;
  evictionSoft?: Tags | undefined;
  evictionSoftGracePeriod?: Tags | undefined;
}
export const kubeletRules: Rule<KubeletLike>[] = [
  {
    code: 'kubelet-image-gc-thresholds',
    cel: 'has(self.imageGCHighThresholdPercent) && has(self.imageGCLowThresholdPercent) ?  self.imageGCHighThresholdPercent > self.imageGCLowThresholdPercent  : true',
    message: 'imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent: raise the high or lower the low threshold',
    check: (k) =>
      k.imageGCHighThresholdPercent !== undefined && k.imageGCLowThresholdPercent !== undefined && !(k.imageGCHighThresholdPercent > k.imageGCLowThresholdPercent)
        ? [['imageGCHighThresholdPercent']]
        : [],
  },
  {
    code: 'kubelet-eviction-soft-grace',
    cel: 'has(self.evictionSoft) ? self.evictionSoft.all(e, (e in self.evictionSoftGracePeriod)):true',
    message: 'evictionSoft OwnerKey does not have a matching evictionSoftGracePeriod: add a grace period for every evictionSoft signal',
    check: (k) => (k.evictionSoft ? eachKey(k.evictionSoft, (e) => !(e in (k.evictionSoftGracePeriod ?? {}))).map((p) => ['evictionSoft', ...p]) : []),
  },
  {
    code: 'kubelet-eviction-grace-soft',
    cel: 'has(self.evictionSoftGracePeriod) ? self.evictionSoftGracePeriod.all(e, (e in self.evictionSoft)):true',
    message: 'evictionSoftGracePeriod OwnerKey does not have a matching evictionSoft: remove the grace period or add the evictionSoft signal',
    check: (k) =>
      k.evictionSoftGracePeriod ? eachKey(k.evictionSoftGracePeriod, (e) => !(e in (k.evictionSoft ?? {}))).map((p) => ['evictionSoftGracePeriod', ...p]) : [],
  },
];

interface EbsLike {
  snapshotID?: string | undefined;
  volumeSize?: string | undefined;
  volumeInitializationRate?: number | undefined;
}
export const ebsRules: Rule<EbsLike>[] = [
  {
    code: 'ebs-size-or-snapshot',
    cel: 'has(self.snapshotID) || has(self.volumeSize)',
    message: 'snapshotID or volumeSize must be defined: set volumeSize (e.g. "20Gi") or a snapshotID',
    check: (e) => (e.snapshotID === undefined && e.volumeSize === undefined ? HERE : []),
  },
  {
    code: 'ebs-initialization-rate',
    cel: "!has(self.volumeInitializationRate) || (has(self.snapshotID) && self.snapshotID != '')",
    message: 'snapshotID must be set when volumeInitializationRate is set: add the snapshotID or remove volumeInitializationRate',
    check: (e) => (e.volumeInitializationRate !== undefined && !e.snapshotID ? [['volumeInitializationRate']] : []),
  },
];

export const blockDeviceMappingListRules: Rule<{ rootVolume?: boolean | undefined }[]>[] = [
  {
    code: 'block-device-one-root',
    cel: 'self.filter(x, has(x.rootVolume)?x.rootVolume==true:false).size() <= 1',
    message: 'must have only one blockDeviceMappings with rootVolume: set rootVolume on one mapping at most',
    check: (m) => (m.filter((x) => x.rootVolume === true).length > 1 ? HERE : []),
  },
];

interface SpecLike {
  role?: string | undefined;
  instanceProfile?: string | undefined;
  amiFamily?: string | undefined;
  amiSelectorTerms?: { alias?: string | undefined }[] | undefined;
}

const FAMILY_OF_ALIAS: Record<string, string> = {
  al2: 'AL2',
  al2023: 'AL2023',
  bottlerocket: 'Bottlerocket',
  windows2019: 'Windows2019',
  windows2022: 'Windows2022',
  windows2025: 'Windows2025',
};
const aliasFamily = (alias: string | undefined): string | undefined => (alias === undefined ? undefined : /^[^@]+/.exec(alias)?.[0]);

export const ec2NodeClassSpecRules: Rule<SpecLike>[] = [
  {
    code: 'role-or-instance-profile',
    cel: '(has(self.role) && !has(self.instanceProfile)) || (!has(self.role) && has(self.instanceProfile))',
    message: "must specify exactly one of ['role', 'instanceProfile']: set the IAM role for the nodes, or an existing instance profile",
    check: (s) => (has(s.role) === has(s.instanceProfile) ? HERE : []),
  },
  {
    code: 'role-instance-profile-transition',
    cel: '(has(oldSelf.role) && has(self.role)) || (has(oldSelf.instanceProfile) && has(self.instanceProfile))',
    message: "changing from 'role' to 'instanceProfile' (or back) is not supported: delete and recreate this node class",
    transition: true,
  },
  ...Object.entries(FAMILY_OF_ALIAS).map(([alias, family]) => ({
    code: 'ami-family-alias-mismatch',
    cel: `!has(self.amiFamily) || (self.amiSelectorTerms.exists(x, has(x.alias) && x.alias.find('^[^@]+') == '${alias}') ? (self.amiFamily == 'Custom' || self.amiFamily == '${family}') : true)`,
    message: `if set, amiFamily must be '${family}' or 'Custom' when using an ${family} alias: change amiFamily or remove it`,
    check: (s: SpecLike): RelativePath[] =>
      s.amiFamily !== undefined &&
      (s.amiSelectorTerms ?? []).some((t) => aliasFamily(t.alias) === alias) &&
      s.amiFamily !== 'Custom' &&
      s.amiFamily !== family
        ? [['amiFamily']]
        : [],
  })),
  {
    code: 'ami-family-required',
    cel: 'self.amiSelectorTerms.exists(x, has(x.alias)) ? true : has(self.amiFamily)',
    message: "must specify amiFamily if amiSelectorTerms does not contain an alias: set amiFamily (e.g. 'AL2023') or select the AMI with an alias such as 'al2023@latest'",
    check: (s) => ((s.amiSelectorTerms ?? []).some((t) => has(t.alias)) || has(s.amiFamily) ? [] : HERE),
  },
];
