import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { exampleCapacityResponse, type CapacityResponse } from '@karpenter-ts/capacity-api';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { errorForStatus, karpenterCapacityApiRef, type KarpenterCapacityApi } from '../../api';
import { CapacityPage } from './CapacityPage';

function apiReturning(result: () => Promise<CapacityResponse>): KarpenterCapacityApi {
  return { getCapacity: vi.fn(result) };
}

async function renderPage(api: KarpenterCapacityApi, routeEntries?: string[]) {
  return renderInTestApp(
    <TestApiProvider apis={[[karpenterCapacityApiRef, api]]}>
      <CapacityPage />
    </TestApiProvider>,
    routeEntries ? { routeEntries } : undefined,
  );
}

describe('CapacityPage', () => {
  it('shows progress while loading', async () => {
    await renderPage(apiReturning(() => new Promise(() => undefined)));
    expect(screen.getByText('Node capacity')).toBeInTheDocument();
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('lists the teams with the totals', async () => {
    await renderPage(apiReturning(async () => exampleCapacityResponse));
    expect(await screen.findByText('payments', { selector: '[data-field="team"]' })).toBeInTheDocument();
    expect(screen.getByText('search', { selector: '[data-field="team"]' })).toBeInTheDocument();
    expect(screen.getByText('unassigned', { selector: '[data-field="team"]' })).toBeInTheDocument();
    expect(screen.getByTestId('capacity-totals')).toHaveTextContent('2 nodes');
    expect(screen.getByTestId('capacity-totals')).toHaveTextContent('$0.32 per hour');
  });

  it('opens a team detail and goes back', async () => {
    await renderPage(apiReturning(async () => exampleCapacityResponse));
    fireEvent.click(await screen.findByText('payments', { selector: '[data-field="team"]' }));
    const detail = await screen.findByTestId('team-detail');
    expect(detail).toHaveAttribute('data-team', 'payments');
    expect(screen.getByText('cpu: 12 of 16 left')).toBeInTheDocument();
    expect(screen.getByText('no instance type of NodePool "payments" has 8 CPUs free after overhead')).toBeInTheDocument();
    fireEvent.click(screen.getByText('← All teams'));
    await waitFor(() => expect(screen.queryByTestId('team-detail')).toBeNull());
    expect(screen.getByText('search', { selector: '[data-field="team"]' })).toBeInTheDocument();
  });

  it('says so when the linked team does not exist', async () => {
    await renderPage(apiReturning(async () => exampleCapacityResponse), ['/?team=nope']);
    expect(await screen.findByText('Info: No team named "nope"')).toBeInTheDocument();
  });

  it('shows the empty state naming the team label', async () => {
    const empty: CapacityResponse = { ...exampleCapacityResponse, teams: [], nodes: [], nodePools: [] };
    await renderPage(apiReturning(async () => empty));
    expect(await screen.findByText('No team capacity yet')).toBeInTheDocument();
    expect(screen.getByText(/Label namespaces and NodePool templates with team=<team>/)).toBeInTheDocument();
  });

  it('401: names the proxy Authorization header', async () => {
    await renderPage(apiReturning(async () => Promise.reject(errorForStatus(401, '/karpenter-ts', 'token rejected by TokenReview'))));
    expect(await screen.findByText('Error: Not signed in to the karpenter-ts controller (401)')).toBeInTheDocument();
    expect(screen.getByTestId('capacity-error')).toHaveTextContent("proxy.endpoints['/karpenter-ts'].headers.Authorization");
    expect(screen.getByTestId('capacity-error')).toHaveTextContent('token rejected by TokenReview');
  });

  it('403: names the RBAC rule, and Retry loads again', async () => {
    let calls = 0;
    const api = apiReturning(async () => {
      calls += 1;
      if (calls === 1) throw errorForStatus(403, '/karpenter-ts', 'forbidden');
      return exampleCapacityResponse;
    });
    await renderPage(api);
    expect(await screen.findByText('Error: Not allowed to read capacity (403)')).toBeInTheDocument();
    expect(screen.getByTestId('capacity-error')).toHaveTextContent('resources: ["capacity"], verbs: ["get"]');
    fireEvent.click(screen.getByText('Retry'));
    expect(await screen.findByText('payments', { selector: '[data-field="team"]' })).toBeInTheDocument();
    expect(api.getCapacity).toHaveBeenCalledTimes(2);
  });

  it('shows any other error message', async () => {
    await renderPage(apiReturning(async () => Promise.reject(new Error('boom'))));
    expect(await screen.findByText('Error: Could not load node capacity')).toBeInTheDocument();
    expect(screen.getByTestId('capacity-error')).toHaveAttribute('data-code', 'Unknown');
    expect(screen.getByText('boom')).toBeInTheDocument();
  });
});
