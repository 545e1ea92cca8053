import { describe, expect, it } from 'vitest';
import { allocatable, totalOverhead } from './allocatable.js';
import { cheapestOffering } from './offerings.js';
import type { Offering } from './types.js';

describe('allocatable', () => {
  it.each([
    [
      'capacity minus all three reservations',
      { cpu: 2000, memory: 4096, pods: 20 },
      { kubeReserved: { cpu: 100, memory: 10 }, systemReserved: { cpu: 50 }, evictionThreshold: { memory: 100 } },
      { cpu: 1850, memory: 3986, pods: 20 },
    ],
    ['never negative', { cpu: 50 }, { kubeReserved: { cpu: 100 }, systemReserved: {}, evictionThreshold: {} }, { cpu: 0 }],
    ['reservations of absent resources are ignored', { cpu: 1000 }, { kubeReserved: { memory: 10 }, systemReserved: {}, evictionThreshold: {} }, { cpu: 1000 }],
  ])('%s', (_name, capacity, overhead, expected) => {
    expect(allocatable({ capacity, overhead })).toEqual(expected);
  });

  it('sums the overhead', () => {
    expect(totalOverhead({ kubeReserved: { cpu: 1 }, systemReserved: { cpu: 2 }, evictionThreshold: { memory: 3 } })).toEqual({ cpu: 3, memory: 3 });
  });
});

describe('cheapestOffering', () => {
  const offerings: Offering[] = [
    { zone: 'b', capacityType: 'on-demand', pricePerHour: 1, available: true },
    { zone: 'a', capacityType: 'spot', pricePerHour: 0.5, available: false },
    { zone: 'c', capacityType: 'spot', pricePerHour: 0.7, available: true },
    { zone: 'a', capacityType: 'spot', pricePerHour: 0.7, available: true },
  ];
  it('picks the lowest available price, ties by capacity type then zone', () => {
    expect(cheapestOffering(offerings)).toEqual(offerings[3]);
  });
  it('honours a filter', () => {
    expect(cheapestOffering(offerings, (o) => o.capacityType === 'on-demand')).toEqual(offerings[0]);
    expect(cheapestOffering(offerings, (o) => o.zone === 'z')).toBeUndefined();
  });
});
