import { describe, expect, it } from 'vitest';
import {
  CapacityResponseSchema,
  ErrorResponseSchema,
  InstanceTypesResponseSchema,
  PendingResponseSchema,
  SimulateResponseSchema,
  exampleCapacityResponse,
  exampleInstanceTypesResponse,
  examplePendingResponse,
} from './index.js';

/** Equal to the cent: the amounts differ by less than half a cent (rounding each to whole cents could split a pair straddling a half cent). */
const expectToTheCent = (actual: number, expected: number): void => expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThan(0.005);

describe('capacity API schemas', () => {
  it('accept the examples', () => {
    expect(CapacityResponseSchema.parse(exampleCapacityResponse)).toEqual(exampleCapacityResponse);
    expect(PendingResponseSchema.parse(examplePendingResponse)).toEqual(examplePendingResponse);
    expect(InstanceTypesResponseSchema.parse(exampleInstanceTypesResponse)).toEqual(exampleInstanceTypesResponse);
  });

  it('the capacity example reconciles: teams + idle = totals = sum of node prices, to the cent', () => {
    const r = exampleCapacityResponse;
    const teams = r.teams.reduce((s, t) => s + t.costPerHour, 0);
    expectToTheCent(teams + r.idle.costPerHour, r.totals.costPerHour);
    expectToTheCent(r.nodes.reduce((s, n) => s + n.pricePerHour, 0), r.totals.costPerHour);
  });

  it('rejects a capacity answer with a negative cost or a team without a name', () => {
    const negative = JSON.parse(JSON.stringify(exampleCapacityResponse)) as typeof exampleCapacityResponse;
    negative.idle.costPerHour = -1;
    expect(CapacityResponseSchema.safeParse(negative).success).toBe(false);
    const nameless = JSON.parse(JSON.stringify(exampleCapacityResponse)) as typeof exampleCapacityResponse as unknown as { teams: Record<string, unknown>[] };
    delete nameless.teams[0]?.['team'];
    expect(CapacityResponseSchema.safeParse(nameless).success).toBe(false);
  });

  it('accepts the DESIGN §4.2 simulate JSON and an error body', () => {
    const simulate = {
      nodeClaims: [
        {
          nodePool: 'default',
          instanceType: 'c-8x',
          instanceTypeOptions: ['c-8x', 'm-8x'],
          capacityType: 'on-demand',
          zone: 'zone-a',
          pricePerHour: 0.32,
          pods: ['default/p-1'],
          requests: { cpu: '4200m', memory: '9816Mi', pods: '4' },
        },
      ],
      existingNodes: [{ name: 'node-1', pods: ['default/p-2'] }],
      unschedulable: [{ pod: 'default/b', reason: 'text for a person', nodePools: { gpu: 'why not this pool' } }],
      totalPricePerHour: 0.32,
    };
    expect(SimulateResponseSchema.parse(simulate)).toEqual(simulate);
    expect(ErrorResponseSchema.safeParse({ error: { status: 401, reason: 'Unauthorized', message: 'no bearer token' } }).success).toBe(true);
    expect(ErrorResponseSchema.safeParse({ message: 'no' }).success).toBe(false);
  });
});
