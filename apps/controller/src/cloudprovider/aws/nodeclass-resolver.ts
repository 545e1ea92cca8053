import { DescribeImagesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, type Filter, type Image } from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, GetInstanceProfileCommand } from '@aws-sdk/client-iam';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { createHash } from 'node:crypto';
import { LABEL_ARCH, amiFamilyOf, type EC2NodeClass } from '@karpenter-ts/provisioner-domain';
import type { ConditionUpdate } from '../../state/conditions.js';
import { aliasParameters, EC2_ARCH_TO_KUBE, parseAlias } from './ami-alias.js';
import type { AwsClients } from './clients.js';
import { AwsApiError, call, isNotFoundError } from './errors.js';
import { TAG_CLUSTER, TAG_EC2NODECLASS, toAwsTags } from './tags.js';

/** A subnet an EC2NodeClass selected (status.subnets). */
export interface ResolvedSubnet {
  id: string;
  zone: string;
  zoneID?: string;
  /** Free IPv4 addresses; subnets with more are preferred within a zone. */
  availableIpAddressCount: number;
}

/** An AMI an EC2NodeClass selected (status.amis): the newest first. */
export interface ResolvedAmi {
  id: string;
  name?: string;
  /** RFC 3339. */
  creationDate: string;
  requirements: { key: string; operator: 'In'; values: string[] }[];
}

/** What an EC2NodeClass resolves to, as written to its status. */
export interface ResolvedNodeClass {
  subnets: ResolvedSubnet[];
  securityGroups: { id: string; name?: string }[];
  amis: ResolvedAmi[];
  /** Instance profile name the nodes launch with. */
  instanceProfile?: string;
  /** The AMI family user data is generated for (the domain's `amiFamilyOf`: spec.amiFamily, else the alias's, else Custom). */
  amiFamily: string;
}

/** The result of one resolution: the values found and the conditions they imply. */
export interface NodeClassResolution {
  resolved: ResolvedNodeClass;
  /** SubnetsReady, SecurityGroupsReady, AMIsReady, InstanceProfileReady, then the root Ready. */
  conditions: ConditionUpdate[];
  ready: boolean;
}

export interface NodeClassResolverOptions {
  clients: AwsClients;
  clusterName: string;
  region: string;
  /** Kubernetes `major.minor` of the cluster, for AMI aliases. */
  kubernetesVersion: () => Promise<string>;
}

/** Condition types of an EC2NodeClass besides `Ready` (Karpenter AWS's). */
export const NODECLASS_CONDITIONS = ['SubnetsReady', 'SecurityGroupsReady', 'AMIsReady', 'InstanceProfileReady'] as const;

/**
 * Resolves an EC2NodeClass's selector terms against EC2, SSM and IAM (Karpenter AWS's subnet, security group,
 * AMI and instance profile providers):
 * - subnets: each term is one DescribeSubnets (tags: `tag:K`=V, or `tag-key`=K for `*`; id: `subnet-id`), union;
 * - security groups: DescribeSecurityGroups by tags, `group-id` or `group-name`;
 * - AMIs: an alias (`al2023@latest`) reads the EKS-optimized AMI ids from public SSM parameters for amd64 and
 *   arm64; ids, names (owners self and amazon unless `owner` is set), tags and `ssmParameter` are looked up with
 *   DescribeImages; each AMI gets a `kubernetes.io/arch` requirement, newest first;
 * - instance profile: `spec.instanceProfile` as given, or for `spec.role` the profile `<cluster>_<hash>` that it
 *   creates (CreateInstanceProfile, tagged with the cluster and node class) and binds to the role.
 * Selectors matching nothing give `Ready=False` with reason SubnetsNotFound, SecurityGroupsNotFound or
 * AMINotFound; AWS errors other than "not found" are thrown (the controller retries).
 */
export class NodeClassResolver {
  private readonly clients: AwsClients;
  /** Instance profiles already bound to their role: `<profile>/<role>`; bounded by node classes × roles. */
  private readonly boundProfiles = new Set<string>();

  constructor(private readonly options: NodeClassResolverOptions) {
    this.clients = options.clients;
  }

  async resolve(nodeClass: EC2NodeClass): Promise<NodeClassResolution> {
    const spec = nodeClass.spec;
    const name = nodeClass.metadata.name ?? '';
    const [subnets, securityGroups, amiResult] = await Promise.all([this.subnets(spec.subnetSelectorTerms), this.securityGroups(spec.securityGroupSelectorTerms), this.amis(spec.amiSelectorTerms)]);
    const amiFamily = amiFamilyOf(nodeClass);
    let instanceProfile: string | undefined;
    let profileError: string | undefined;
    try {
      instanceProfile = await this.instanceProfile(name, spec.role, spec.instanceProfile);
    } catch (error) {
      if (!isNotFoundError((error as { cause?: unknown }).cause)) throw error;
      profileError = (error as Error).message;
    }
    const conditions: ConditionUpdate[] = [
      subnets.length > 0
        ? { type: 'SubnetsReady', status: 'True', reason: 'SubnetsReady' }
        : { type: 'SubnetsReady', status: 'False', reason: 'SubnetsNotFound', message: 'spec.subnetSelectorTerms match no subnet: check the tags or ids of your subnets' },
      securityGroups.length > 0
        ? { type: 'SecurityGroupsReady', status: 'True', reason: 'SecurityGroupsReady' }
        : { type: 'SecurityGroupsReady', status: 'False', reason: 'SecurityGroupsNotFound', message: 'spec.securityGroupSelectorTerms match no security group: check their tags, ids or names' },
      amiResult.amis.length > 0
        ? { type: 'AMIsReady', status: 'True', reason: 'AMIsReady' }
        : { type: 'AMIsReady', status: 'False', reason: 'AMINotFound', message: `spec.amiSelectorTerms match no AMI${amiResult.problem ? `: ${amiResult.problem}` : ''}` },
      instanceProfile
        ? { type: 'InstanceProfileReady', status: 'True', reason: 'InstanceProfileReady' }
        : { type: 'InstanceProfileReady', status: 'False', reason: 'InstanceProfileNotFound', message: profileError ?? 'set spec.role or spec.instanceProfile' },
    ];
    const failed = conditions.find((c) => c.status !== 'True');
    conditions.push(failed ? { type: 'Ready', status: 'False', reason: failed.reason, message: failed.message ?? '' } : { type: 'Ready', status: 'True', reason: 'Ready' });
    return {
      resolved: { subnets, securityGroups, amis: amiResult.amis, ...(instanceProfile ? { instanceProfile } : {}), amiFamily },
      conditions,
      ready: !failed,
    };
  }

  private async subnets(terms: EC2NodeClass['spec']['subnetSelectorTerms']): Promise<ResolvedSubnet[]> {
    const byId = new Map<string, ResolvedSubnet>();
    for (const filters of termFilters(terms, { id: 'subnet-id' })) {
      const out = await call('DescribeSubnets', () => this.clients.ec2.send(new DescribeSubnetsCommand({ Filters: filters })));
      for (const s of out.Subnets ?? []) {
        if (!s.SubnetId || !s.AvailabilityZone || (s.State && s.State !== 'available')) continue;
        byId.set(s.SubnetId, { id: s.SubnetId, zone: s.AvailabilityZone, ...(s.AvailabilityZoneId ? { zoneID: s.AvailabilityZoneId } : {}), availableIpAddressCount: s.AvailableIpAddressCount ?? 0 });
      }
    }
    return [...byId.values()].sort((a, b) => b.availableIpAddressCount - a.availableIpAddressCount || a.id.localeCompare(b.id));
  }

  private async securityGroups(terms: EC2NodeClass['spec']['securityGroupSelectorTerms']): Promise<{ id: string; name?: string }[]> {
    const byId = new Map<string, { id: string; name?: string }>();
    for (const filters of termFilters(terms, { id: 'group-id', name: 'group-name' })) {
      const out = await call('DescribeSecurityGroups', () => this.clients.ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters })));
      for (const g of out.SecurityGroups ?? []) if (g.GroupId) byId.set(g.GroupId, { id: g.GroupId, ...(g.GroupName ? { name: g.GroupName } : {}) });
    }
    return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  private async amis(terms: EC2NodeClass['spec']['amiSelectorTerms']): Promise<{ amis: ResolvedAmi[]; problem?: string }> {
    const images = new Map<string, Image>();
    const idsFromParameters: string[] = [];
    let problem: string | undefined;
    for (const term of terms) {
      if (term.alias) {
        let parameters: ReturnType<typeof aliasParameters>;
        try {
          parameters = aliasParameters(parseAlias(term.alias), await this.options.kubernetesVersion());
        } catch (error) {
          problem = (error as Error).message;
          continue;
        }
        for (const p of parameters) {
          const id = await this.parameter(p.name);
          if (id) idsFromParameters.push(id);
          else problem ??= `SSM parameter ${p.name} of alias ${term.alias} not found`;
        }
        continue;
      }
      if (term.ssmParameter) {
        const id = await this.parameter(term.ssmParameter);
        if (id) idsFromParameters.push(id);
        else problem ??= `SSM parameter ${term.ssmParameter} not found`;
        continue;
      }
      const filters: Filter[] = [];
      if (term.id) filters.push({ Name: 'image-id', Values: [term.id] });
      if (term.name) filters.push({ Name: 'name', Values: [term.name] });
      filters.push(...tagFilters(term.tags));
      const owners = term.owner ? [term.owner] : term.name ? ['self', 'amazon'] : undefined;
      for (const image of await this.describeImages(filters, owners)) if (image.ImageId) images.set(image.ImageId, image);
    }
    if (idsFromParameters.length > 0) {
      for (const image of await this.describeImages([{ Name: 'image-id', Values: [...new Set(idsFromParameters)] }])) if (image.ImageId) images.set(image.ImageId, image);
    }
    const amis = [...images.values()]
      .filter((i) => i.ImageId && (!i.State || i.State === 'available') && EC2_ARCH_TO_KUBE[i.Architecture ?? ''])
      .map((i) => ({
        id: i.ImageId ?? '',
        ...(i.Name ? { name: i.Name } : {}),
        creationDate: i.CreationDate ?? '',
        requirements: [{ key: LABEL_ARCH, operator: 'In' as const, values: [EC2_ARCH_TO_KUBE[i.Architecture ?? ''] ?? 'amd64'] }],
      }))
      .sort((a, b) => b.creationDate.localeCompare(a.creationDate) || a.id.localeCompare(b.id));
    return problem ? { amis, problem } : { amis };
  }

  private async describeImages(filters: Filter[], owners?: string[]): Promise<Image[]> {
    const out = await call('DescribeImages', () => this.clients.ec2.send(new DescribeImagesCommand({ Filters: filters, ...(owners ? { Owners: owners } : {}) })));
    return out.Images ?? [];
  }

  private async parameter(name: string): Promise<string | undefined> {
    try {
      const out = await this.clients.ssm.send(new GetParameterCommand({ Name: name }));
      return out.Parameter?.Value;
    } catch (error) {
      if (isNotFoundError(error)) return undefined;
      throw AwsApiError.from('GetParameter', error);
    }
  }

  /** The instance profile name for a node class: given, or created for its role. */
  private async instanceProfile(nodeClassName: string, role: string | undefined, given: string | undefined): Promise<string | undefined> {
    if (given) return given;
    if (!role) return undefined;
    const { clusterName, region } = this.options;
    const profile = instanceProfileName(clusterName, region, nodeClassName);
    const key = `${profile}/${role}`;
    if (this.boundProfiles.has(key)) return profile;
    let roles: string[] = [];
    try {
      const out = await this.clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profile }));
      roles = (out.InstanceProfile?.Roles ?? []).map((r) => r.RoleName ?? '');
    } catch (error) {
      if (!isNotFoundError(error)) throw AwsApiError.from('GetInstanceProfile', error);
      await call('CreateInstanceProfile', () =>
        this.clients.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: profile, Tags: toAwsTags({ [TAG_CLUSTER]: clusterName, [TAG_EC2NODECLASS]: nodeClassName }) })),
      );
    }
    if (!roles.includes(role)) {
      await call('AddRoleToInstanceProfile', () => this.clients.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: profile, RoleName: role })));
    }
    this.boundProfiles.add(key);
    return profile;
  }
}

/** `<cluster>_<16 hex of sha256(region/nodeclass)>`: stable, unique per cluster, region and node class. */
export function instanceProfileName(clusterName: string, region: string, nodeClassName: string): string {
  return `${clusterName}_${createHash('sha256').update(`${region}/${nodeClassName}`).digest('hex').slice(0, 16)}`.slice(0, 128);
}

/** EC2 filters of `tags`: `tag:K`=V, or `tag-key`=K when V is `*`. */
function tagFilters(tags: Readonly<Record<string, string>> | undefined): Filter[] {
  return Object.entries(tags ?? {}).map(([k, v]) => (v === '*' ? { Name: 'tag-key', Values: [k] } : { Name: `tag:${k}`, Values: [v] }));
}

/** One filter list per selector term (terms are ORed, a term's fields ANDed). */
function termFilters(terms: readonly { tags?: Record<string, string> | undefined; id?: string | undefined; name?: string | undefined }[], names: { id: string; name?: string }): Filter[][] {
  return terms.map((t) => {
    const filters = tagFilters(t.tags);
    if (t.id) filters.push({ Name: names.id, Values: [t.id] });
    if (t.name && names.name) filters.push({ Name: names.name, Values: [t.name] });
    return filters;
  }).filter((f) => f.length > 0);
}
