import {
  CreateLaunchTemplateCommand,
  DeleteLaunchTemplateCommand,
  DescribeLaunchTemplatesCommand,
  type RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import { createHash } from 'node:crypto';
import type { AwsClients } from './clients.js';
import { AwsApiError, awsErrorCode, call, isNotFoundError } from './errors.js';
import { TAG_CLUSTER, TAG_EC2NODECLASS, toAwsTags } from './tags.js';

/** Prefix of every launch template name the provider creates (Karpenter AWS's). */
export const LAUNCH_TEMPLATE_PREFIX = 'karpenter.k8s.aws/';

/** A launch template to use: its content and who it belongs to. */
export interface LaunchTemplateSpec {
  nodeClassName: string;
  data: RequestLaunchTemplateData;
  /** Extra tags for the template itself (the node class's `spec.tags`). */
  tags?: Readonly<Record<string, string>>;
}

/**
 * Launch templates per node class, AMI and configuration (Karpenter AWS's launch template provider): the name
 * is `karpenter.k8s.aws/<sha256 of cluster + data>`, so the same configuration reuses one template and any
 * change (AMI, user data, security groups, instance profile, disks, metadata options) makes a new one.
 * `ensure` answers from memory, else DescribeLaunchTemplates by name, else CreateLaunchTemplate (tagged
 * with the cluster and node class). `deleteForNodeClass` removes a node class's templates once it is gone.
 * The memory holds one entry per template in use and forgets a node class's entries on cleanup.
 */
export class LaunchTemplates {
  private readonly ids = new Map<string, { id: string; nodeClassName: string }>();

  constructor(
    private readonly clients: AwsClients,
    private readonly clusterName: string,
  ) {}

  /** The name a spec's template has. */
  nameOf(spec: LaunchTemplateSpec): string {
    return `${LAUNCH_TEMPLATE_PREFIX}${createHash('sha256').update(JSON.stringify([this.clusterName, spec.nodeClassName, spec.data, spec.tags ?? {}])).digest('hex').slice(0, 32)}`;
  }

  /** The template's name and id, created when it does not exist yet. Throws AwsApiError on AWS failures. */
  async ensure(spec: LaunchTemplateSpec): Promise<{ name: string; id: string }> {
    const name = this.nameOf(spec);
    const known = this.ids.get(name);
    if (known) return { name, id: known.id };
    let id = await this.find(name);
    if (!id) {
      try {
        const out = await this.clients.ec2.send(
          new CreateLaunchTemplateCommand({
            LaunchTemplateName: name,
            LaunchTemplateData: spec.data,
            TagSpecifications: [{ ResourceType: 'launch-template', Tags: toAwsTags({ ...(spec.tags ?? {}), [TAG_CLUSTER]: this.clusterName, [TAG_EC2NODECLASS]: spec.nodeClassName }) }],
          }),
        );
        id = out.LaunchTemplate?.LaunchTemplateId;
      } catch (error) {
        // Another launch created it meanwhile.
        if (awsErrorCode(error) !== 'InvalidLaunchTemplateName.AlreadyExistsException') throw AwsApiError.from('CreateLaunchTemplate', error);
        id = await this.find(name);
      }
    }
    if (!id) throw new Error(`launch template ${name} has no id after creation`);
    this.ids.set(name, { id, nodeClassName: spec.nodeClassName });
    return { name, id };
  }

  /** Forgets a template (e.g. deleted behind our back: the next `ensure` recreates it). */
  invalidate(name: string): void {
    this.ids.delete(name);
  }

  /** Deletes every template of the cluster tagged with this node class; returns how many. */
  async deleteForNodeClass(nodeClassName: string): Promise<number> {
    const out = await call('DescribeLaunchTemplates', () =>
      this.clients.ec2.send(
        new DescribeLaunchTemplatesCommand({
          Filters: [
            { Name: `tag:${TAG_CLUSTER}`, Values: [this.clusterName] },
            { Name: `tag:${TAG_EC2NODECLASS}`, Values: [nodeClassName] },
          ],
        }),
      ),
    );
    let deleted = 0;
    for (const lt of out.LaunchTemplates ?? []) {
      if (!lt.LaunchTemplateId) continue;
      try {
        await this.clients.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: lt.LaunchTemplateId }));
        deleted++;
      } catch (error) {
        if (!isNotFoundError(error)) throw AwsApiError.from('DeleteLaunchTemplate', error);
      }
      if (lt.LaunchTemplateName) this.ids.delete(lt.LaunchTemplateName);
    }
    for (const [name, entry] of this.ids) if (entry.nodeClassName === nodeClassName) this.ids.delete(name);
    return deleted;
  }

  private async find(name: string): Promise<string | undefined> {
    try {
      const out = await this.clients.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] }));
      return out.LaunchTemplates?.[0]?.LaunchTemplateId;
    } catch (error) {
      if (isNotFoundError(error) || awsErrorCode(error) === 'InvalidLaunchTemplateName.MalformedException') return undefined;
      throw AwsApiError.from('DescribeLaunchTemplates', error);
    }
  }
}
