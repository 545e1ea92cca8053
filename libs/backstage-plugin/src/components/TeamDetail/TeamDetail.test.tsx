import { renderInTestApp } from '@backstage/test-utils';
import { exampleCapacityResponse, type CapacityResponse, type NodeCapacity, type TeamCapacity } from '@karpenter-ts/capacity-api';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TeamDetail } from './TeamDetail';
import { nodesOfTeam, nodeState } from './teamNodes';

const [payments, search] = exampleCapacityResponse.teams as [TeamCapacity, TeamCapacity, TeamCapacity];
const [sharedNode, paymentsNode] = exampleCapacityResponse.nodes as [NodeCapacity, NodeCapacity];

describe('nodesOfTeam', () => {
  it('takes the nodes of its NodePools as dedicated', () => {
    expect(nodesOfTeam(exampleCapacityResponse, payments)).toEqual([{ node: paymentsNode, dedicated: true }]);
  });

  it('takes the shared nodes its pods run on', () => {
    expect(nodesOfTeam(exampleCapacityResponse, search)).toEqual([{ node: sharedNode, dedicated: false }]);
  });

  it('orders by instance type, zone, capacity type, name', () => {
    const mk = (name: string, instanceType: string, zone: string, capacityType: string): NodeCapacity => ({ ...paymentsNode, name, instanceType, zone, capacityType });
    const response: CapacityResponse = {
      ...exampleCapacityResponse,
      nodes: [mk('d', 'm', 'b', 'spot'), mk('c', 'm', 'a', 'spot'), mk('b', 'm', 'a', 'on-demand'), mk('a', 'c', 'b', 'spot')],
    };
    expect(nodesOfTeam(response, payments).map((n) => n.node.name)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('nodeState', () => {
  it.each([
    [{ deleting: true, cordoned: true, ready: false }, 'Deleting'],
    [{ deleting: false, cordoned: true, ready: true }, 'Cordoned'],
    [{ deleting: false, cordoned: false, ready: false }, 'NotReady'],
    [{ deleting: false, cordoned: false, ready: true }, 'Ready'],
  ])('%o → %s', (flags, state) => expect(nodeState({ ...paymentsNode, ...flags })).toBe(state));
});

describe('TeamDetail', () => {
  it('shows NodePools with headroom, nodes with bars and state, and pending pods with reasons', async () => {
    const cordoned: CapacityResponse = { ...exampleCapacityResponse, nodes: [sharedNode, { ...paymentsNode, cordoned: true }] };
    await renderInTestApp(<TeamDetail response={cordoned} team={payments} />);
    const pool = document.querySelector('[data-nodepool="payments"]') as HTMLElement;
    expect(within(pool).getByText('cpu: 12 of 16 left')).toBeInTheDocument();
    expect(within(pool).getByText('$0.16')).toBeInTheDocument();
    const node = document.querySelector('[data-node="payments-fghij"]') as HTMLElement;
    expect(within(node).getByText('c-4x')).toBeInTheDocument();
    expect(within(node).getByText('2 / 3.92 · 51%')).toBeInTheDocument();
    expect(within(node).getByText('Cordoned')).toBeInTheDocument();
    expect(within(node).getByText(/dedicated/)).toBeInTheDocument();
    expect(document.querySelector('[data-node="default-abcde"]')).toBeNull();
    expect(screen.getByText('1 × c-4x · zone-a · on-demand · $0.16/h')).toBeInTheDocument();
    const pending = document.querySelector('[data-pending-pod="payments/ledger-0"]') as HTMLElement;
    expect(within(pending).getByText('NodePool payments: no instance type satisfies the resources cpu=8')).toBeInTheDocument();
    expect(within(pending).getByText('cpu 8, memory 1 GiB, pods 1')).toBeInTheDocument();
  });

  it('says when a team has no NodePool and no pending pods', async () => {
    await renderInTestApp(<TeamDetail response={exampleCapacityResponse} team={search} />);
    expect(screen.getByText('This team has no NodePool of its own; its pods run on shared capacity.')).toBeInTheDocument();
    expect(screen.getByText('No pod of this team waits for capacity.')).toBeInTheDocument();
    expect(within(document.querySelector('[data-node="default-abcde"]') as HTMLElement).getByText(/shared/)).toBeInTheDocument();
  });
});
