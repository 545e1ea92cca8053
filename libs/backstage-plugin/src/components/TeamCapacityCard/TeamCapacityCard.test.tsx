import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { exampleCapacityResponse } from '@karpenter-ts/capacity-api';
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { errorForStatus, karpenterCapacityApiRef, type KarpenterCapacityApi } from '../../api';
import { TeamCapacityCard } from './TeamCapacityCard';
import { teamOfEntity } from './teamOfEntity';

function entity(kind: string, name: string, annotations?: Record<string, string>): Entity {
  return { apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, ...(annotations ? { annotations } : {}) }, spec: {} };
}

async function renderCard(e: Entity, api: KarpenterCapacityApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[karpenterCapacityApiRef, api]]}>
      <EntityProvider entity={e}>
        <TeamCapacityCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('teamOfEntity', () => {
  it.each([
    [entity('Group', 'payments'), 'payments'],
    [entity('group', 'payments'), 'payments'],
    [entity('Group', 'team-payments', { 'karpenter-ts.io/team': 'payments' }), 'payments'],
    [entity('Component', 'ledger', { 'karpenter-ts.io/team': ' payments ' }), 'payments'],
    [entity('Component', 'ledger'), undefined],
    [entity('Group', 'payments', { 'karpenter-ts.io/team': '  ' }), 'payments'],
  ])('%o → %s', (e, team) => expect(teamOfEntity(e)).toBe(team));
});

describe('TeamCapacityCard', () => {
  it("shows the Group's team: nodes, cost, pending pods and CPU bar", async () => {
    const api = { getCapacity: vi.fn(async () => exampleCapacityResponse) };
    await renderCard(entity('Group', 'payments'), api);
    const card = await screen.findByTestId('team-capacity');
    expect(card).toHaveAttribute('data-team', 'payments');
    expect(card.querySelector('[data-field="nodes"]')).toHaveTextContent('1');
    expect(card.querySelector('[data-field="costPerHour"]')).toHaveTextContent('$0.16');
    expect(card.querySelector('[data-field="pendingPods"]')).toHaveTextContent('1');
    expect(screen.getByText('2 / 3.92 · 51%')).toBeInTheDocument();
  });

  it('uses the annotation over the entity name', async () => {
    const api = { getCapacity: vi.fn(async () => exampleCapacityResponse) };
    await renderCard(entity('Group', 'search-engineers', { 'karpenter-ts.io/team': 'search' }), api);
    expect(await screen.findByTestId('team-capacity')).toHaveAttribute('data-team', 'search');
  });

  it('renders nothing and calls nothing for an entity without a team', async () => {
    const api = { getCapacity: vi.fn(async () => exampleCapacityResponse) };
    const { container } = await renderCard(entity('Component', 'ledger'), api);
    expect(container).toBeEmptyDOMElement();
    expect(api.getCapacity).not.toHaveBeenCalled();
  });

  it('says how to label a team the controller does not know', async () => {
    const api = { getCapacity: vi.fn(async () => exampleCapacityResponse) };
    await renderCard(entity('Group', 'marketing'), api);
    expect(await screen.findByTestId('team-capacity-none')).toHaveTextContent('No pods or NodePools carry team=marketing');
  });

  it('shows the 403 hint', async () => {
    const api = { getCapacity: vi.fn(async () => Promise.reject(errorForStatus(403, '/karpenter-ts', undefined))) };
    await renderCard(entity('Group', 'payments'), api);
    expect(await screen.findByTestId('capacity-error')).toHaveTextContent('apiGroups: ["karpenter-ts.io"]');
  });
});
