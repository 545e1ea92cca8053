import { LABEL_ARCH, LABEL_INSTANCE_TYPE, LABEL_OS } from '../scheduling/well-known-labels.js';
import type { CapacityType, InstanceType, Offering } from './types.js';

/** Labels of Karpenter's kwok provider (`karpenter.kwok.sh/…`), selectable in NodePool requirements. */
export const KWOK_LABEL_INSTANCE_FAMILY = 'karpenter.kwok.sh/instance-family';
export const KWOK_LABEL_INSTANCE_SIZE = 'karpenter.kwok.sh/instance-size';
export const KWOK_LABEL_INSTANCE_CPU = 'karpenter.kwok.sh/instance-cpu';
export const KWOK_LABEL_INSTANCE_MEMORY = 'karpenter.kwok.sh/instance-memory';

/** Zones of the simulated provider. */
export const DEFAULT_CATALOG_ZONES: readonly string[] = ['test-zone-a', 'test-zone-b', 'test-zone-c', 'test-zone-d'];
/** vCPU sizes of the simulated provider. */
export const DEFAULT_CATALOG_CPUS: readonly number[] = [1, 2, 4, 8, 16, 32, 48, 64, 96, 128, 192, 256];
/** Memory per vCPU in GiB, by family: c (compute) 2, s (standard) 4, m (memory) 8. */
export const DEFAULT_CATALOG_FAMILIES: readonly { family: string; gibPerCpu: number }[] = [
  { family: 'c', gibPerCpu: 2 },
  { family: 's', gibPerCpu: 4 },
  { family: 'm', gibPerCpu: 8 },
];
/** USD per vCPU-hour, on demand. */
export const DEFAULT_PRICE_PER_CPU_HOUR = 0.025;
/** USD per GiB-hour of memory, on demand. */
export const DEFAULT_PRICE_PER_GIB_HOUR = 0.001;
/** Spot price as a fraction of on-demand. */
export const DEFAULT_SPOT_DISCOUNT = 0.7;

const GIB = 2 ** 30;
const MIB = 2 ** 20;

/**
 * The simulated cloud provider's catalog, shaped like Karpenter's kwok provider: CPU sizes 1…256 ×
 * families c/s/m (2/4/8 GiB per vCPU) × linux/windows × amd64/arm64 = 144 types named
 * `<family>-<cpu>x-<arch>-<os>` (e.g. `c-4x-amd64-linux`). Each has capacity cpu, memory, pods = min(16 × vCPU,
 * 1024) and ephemeral-storage 20Gi; kube-reserved 100m CPU and 10Mi memory (kwok's overhead); labels
 * instance-type, arch, os and `karpenter.kwok.sh/instance-{family,size,cpu,memory}` (size and cpu are the
 * vCPU count, memory e.g. `8Gi`); offerings in test-zone-a…d, spot and on-demand, all available, priced
 * 0.025 USD per vCPU-hour + 0.001 USD per GiB-hour on demand and 0.7× that for spot (kwok prices memory per
 * 10^9 bytes; issue 2 fixes GiB, which is what this uses). Prices are rounded to 1e-9 USD.
 * Returns a fresh array each call, ordered by CPU, family, OS, architecture.
 */
export function defaultCatalog(): InstanceType[] {
  const out: InstanceType[] = [];
  for (const cpu of DEFAULT_CATALOG_CPUS) {
    for (const { family, gibPerCpu } of DEFAULT_CATALOG_FAMILIES) {
      for (const os of ['linux', 'windows']) {
        for (const arch of ['amd64', 'arm64']) {
          const memoryGib = cpu * gibPerCpu;
          const name = `${family}-${cpu}x-${arch}-${os}`;
          const onDemand = roundPrice(DEFAULT_PRICE_PER_CPU_HOUR * cpu + DEFAULT_PRICE_PER_GIB_HOUR * memoryGib);
          const offerings: Offering[] = [];
          for (const zone of DEFAULT_CATALOG_ZONES) {
            for (const capacityType of ['spot', 'on-demand'] as CapacityType[]) {
              offerings.push({ zone, capacityType, pricePerHour: capacityType === 'spot' ? roundPrice(onDemand * DEFAULT_SPOT_DISCOUNT) : onDemand, available: true });
            }
          }
          out.push({
            name,
            labels: {
              [LABEL_INSTANCE_TYPE]: name,
              [LABEL_ARCH]: arch,
              [LABEL_OS]: os,
              [KWOK_LABEL_INSTANCE_FAMILY]: family,
              [KWOK_LABEL_INSTANCE_SIZE]: String(cpu),
              [KWOK_LABEL_INSTANCE_CPU]: String(cpu),
              [KWOK_LABEL_INSTANCE_MEMORY]: `${memoryGib}Gi`,
            },
            capacity: { cpu: cpu * 1000, memory: memoryGib * GIB, pods: Math.min(16 * cpu, 1024), 'ephemeral-storage': 20 * GIB },
            overhead: { kubeReserved: { cpu: 100, memory: 10 * MIB }, systemReserved: {}, evictionThreshold: {} },
            offerings,
          });
        }
      }
    }
  }
  return out;
}

function roundPrice(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}
