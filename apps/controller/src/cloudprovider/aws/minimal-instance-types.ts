import { DescribeInstanceTypeOfferingsCommand, DescribeInstanceTypesCommand, type InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { toResourceList, type InstanceType } from '@karpenter-ts/provisioner-domain';
import type { InstanceTypeSource } from './aws.js';
import type { AwsClients } from './clients.js';
import { call } from './errors.js';

/** Share of memory the VM keeps (Karpenter AWS's VM_MEMORY_OVERHEAD_PERCENT default). */
const VM_MEMORY_OVERHEAD = 0.075;
/** Placeholder on-demand price per vCPU-hour, USD, while no price list is wired (see the class doc). */
const PLACEHOLDER_PRICE_PER_VCPU_HOUR = 0.048;

/**
 * A minimal instance-type source for the AWS provider: DescribeInstanceTypeOfferings (by availability zone)
 * and DescribeInstanceTypes, mapped to capacity (vCPU, memory less 7.5%, pods from the ENI formula),
 * architecture/OS/family/size labels and one on-demand offering per zone priced in proportion to vCPUs
 * (a placeholder: the full discovery with the Pricing API, spot prices and well-known labels replaces this
 * source). Loaded once, then served from memory.
 */
export class MinimalInstanceTypes implements InstanceTypeSource {
  private loaded: Promise<InstanceType[]> | undefined;

  constructor(private readonly clients: AwsClients) {}

  instanceTypes(): Promise<readonly InstanceType[]> {
    this.loaded ??= this.load().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  private async load(): Promise<InstanceType[]> {
    const zonesOf = new Map<string, string[]>();
    let token: string | undefined;
    do {
      const page = await call('DescribeInstanceTypeOfferings', () => this.clients.ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', ...(token ? { NextToken: token } : {}) })));
      for (const o of page.InstanceTypeOfferings ?? []) if (o.InstanceType && o.Location) zonesOf.set(o.InstanceType, [...(zonesOf.get(o.InstanceType) ?? []), o.Location]);
      token = page.NextToken;
    } while (token);
    const infos: InstanceTypeInfo[] = [];
    token = undefined;
    do {
      const page = await call('DescribeInstanceTypes', () => this.clients.ec2.send(new DescribeInstanceTypesCommand({ ...(token ? { NextToken: token } : {}) })));
      infos.push(...(page.InstanceTypes ?? []));
      token = page.NextToken;
    } while (token);
    return infos.flatMap((info) => {
      const name = info.InstanceType ?? '';
      const zones = zonesOf.get(name);
      const vcpu = info.VCpuInfo?.DefaultVCpus ?? 0;
      const memoryMiB = info.MemoryInfo?.SizeInMiB ?? 0;
      if (!zones || vcpu === 0 || memoryMiB === 0) return [];
      const arch = info.ProcessorInfo?.SupportedArchitectures?.includes('arm64') ? 'arm64' : 'amd64';
      const enis = info.NetworkInfo?.MaximumNetworkInterfaces ?? 1;
      const ips = info.NetworkInfo?.Ipv4AddressesPerInterface ?? 2;
      const pods = Math.max(1, enis * (ips - 1) + 2);
      const [family = '', size = ''] = name.split('.');
      return [
        {
          name,
          labels: {
            'node.kubernetes.io/instance-type': name,
            'kubernetes.io/arch': arch,
            'kubernetes.io/os': 'linux',
            'karpenter.k8s.aws/instance-family': family,
            'karpenter.k8s.aws/instance-size': size,
            'karpenter.k8s.aws/instance-category': family.replace(/[0-9].*$/, ''),
            'karpenter.k8s.aws/instance-cpu': String(vcpu),
            'karpenter.k8s.aws/instance-memory': String(memoryMiB),
          },
          capacity: toResourceList({ cpu: String(vcpu), memory: `${Math.floor(memoryMiB * (1 - VM_MEMORY_OVERHEAD))}Mi`, pods: String(pods), 'ephemeral-storage': '20Gi' }),
          overhead: {
            kubeReserved: toResourceList({ cpu: `${60 + 10 * Math.min(vcpu, 1) + 5 * Math.max(0, Math.min(vcpu, 4) - 2)}m`, memory: `${11 * pods + 255}Mi` }),
            systemReserved: {},
            evictionThreshold: toResourceList({ memory: '100Mi' }),
          },
          offerings: [...new Set(zones)].sort().map((zone) => ({ zone, capacityType: 'on-demand' as const, pricePerHour: Number((vcpu * PLACEHOLDER_PRICE_PER_VCPU_HOUR).toFixed(4)), available: true })),
        },
      ];
    });
  }
}
