import type { LaunchTemplateBlockDeviceMappingRequest, RequestLaunchTemplateData } from '@aws-sdk/client-ec2';
import { DEFAULT_METADATA_OPTIONS, toCanonicalAmount, type EC2NodeClass } from '@karpenter-ts/provisioner-domain';
import type { ResolvedNodeClass } from './nodeclass-resolver.js';

const GIB = 1024 ** 3;

/** Default block devices per AMI family when `spec.blockDeviceMappings` is empty (Karpenter AWS's). */
function defaultBlockDevices(amiFamily: string): LaunchTemplateBlockDeviceMappingRequest[] {
  const ebs = (gib: number) => ({ VolumeSize: gib, VolumeType: 'gp3' as const, Encrypted: true, DeleteOnTermination: true });
  if (amiFamily === 'Bottlerocket') return [{ DeviceName: '/dev/xvda', Ebs: ebs(4) }, { DeviceName: '/dev/xvdb', Ebs: ebs(20) }];
  if (amiFamily === 'Custom') return [];
  if (amiFamily.startsWith('Windows')) return [{ DeviceName: '/dev/sda1', Ebs: ebs(50) }];
  return [{ DeviceName: '/dev/xvda', Ebs: ebs(20) }];
}

/**
 * The launch template data of a node class for one AMI (Karpenter AWS's launch template): image, base64 user
 * data, instance profile, security groups (on the primary network interface when
 * `associatePublicIPAddress` is set), IMDS options (default IMDSv2 required, hop limit 1), block devices
 * (volume sizes in GiB, rounded up), detailed monitoring. Pure.
 */
export function launchTemplateData(nodeClass: EC2NodeClass, resolved: ResolvedNodeClass, amiId: string, userData: string): RequestLaunchTemplateData {
  const spec = nodeClass.spec;
  const metadata = { ...DEFAULT_METADATA_OPTIONS, ...(spec.metadataOptions ?? {}) };
  const groups = resolved.securityGroups.map((g) => g.id);
  const blockDevices = (spec.blockDeviceMappings ?? []).length > 0
    ? (spec.blockDeviceMappings ?? []).map((m) => ({
        ...(m.deviceName ? { DeviceName: m.deviceName } : {}),
        ...(m.ebs
          ? {
              Ebs: {
                ...(m.ebs.volumeSize ? { VolumeSize: Math.ceil(toCanonicalAmount('ephemeral-storage', m.ebs.volumeSize) / GIB) } : {}),
                ...(m.ebs.volumeType ? { VolumeType: m.ebs.volumeType } : {}),
                ...(m.ebs.iops !== undefined ? { Iops: m.ebs.iops } : {}),
                ...(m.ebs.throughput !== undefined ? { Throughput: m.ebs.throughput } : {}),
                ...(m.ebs.encrypted !== undefined ? { Encrypted: m.ebs.encrypted } : {}),
                ...(m.ebs.kmsKeyID ? { KmsKeyId: m.ebs.kmsKeyID } : {}),
                ...(m.ebs.snapshotID ? { SnapshotId: m.ebs.snapshotID } : {}),
                DeleteOnTermination: m.ebs.deleteOnTermination ?? true,
              },
            }
          : {}),
      }))
    : defaultBlockDevices(resolved.amiFamily);
  return {
    ImageId: amiId,
    ...(userData ? { UserData: Buffer.from(userData, 'utf8').toString('base64') } : {}),
    ...(resolved.instanceProfile ? { IamInstanceProfile: { Name: resolved.instanceProfile } } : {}),
    ...(spec.associatePublicIPAddress !== undefined
      ? { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: spec.associatePublicIPAddress, Groups: groups }] }
      : { SecurityGroupIds: groups }),
    MetadataOptions: {
      HttpEndpoint: metadata.httpEndpoint,
      HttpProtocolIpv6: metadata.httpProtocolIPv6,
      HttpPutResponseHopLimit: metadata.httpPutResponseHopLimit,
      HttpTokens: metadata.httpTokens,
    },
    ...(blockDevices.length > 0 ? { BlockDeviceMappings: blockDevices } : {}),
    Monitoring: { Enabled: spec.detailedMonitoring ?? false },
  };
}
