import { renderInTestApp } from '@backstage/test-utils';
import { exampleCapacityResponse, type TeamCapacity } from '@karpenter-ts/capacity-api';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { TeamsTable } from './TeamsTable';
import { toTeamRow } from './teamRows';

const teams = exampleCapacityResponse.teams;

function teamOrder(): string[] {
  return Array.from(document.querySelectorAll('[data-field="team"]')).map((e) => e.textContent ?? '');
}

function cell(team: string, field: string): string {
  const row = screen.getByText(team, { selector: '[data-field="team"]' }).closest('tr');
  if (!row) throw new Error(`no row for ${team}`);
  return row.querySelector(`[data-field="${field}"]`)?.textContent ?? '';
}

describe('toTeamRow', () => {
  it('flattens a team into canonical units and sort keys', () => {
    const row = toTeamRow(teams[0] as TeamCapacity);
    expect(row).toMatchObject({ team: 'payments', nodePools: 'payments', nodes: 1, pods: 2, cpuRequested: 2000, memoryRequested: 2 ** 31, gpuRequested: 0, pendingPods: 1 });
    expect(row.cpu).toEqual({ resource: 'cpu', requested: 2000, allocatable: 3920, utilisation: 0.5102 });
    expect(row.idleCostPerHour).toBeCloseTo(0.078367, 9);
  });

  it('counts idle as the dedicated idle plus the share of shared idle', () => {
    const team = { ...(teams[1] as TeamCapacity), idleCostPerHour: 0.01, sharedIdleCostPerHour: 0.02 };
    expect(toTeamRow(team).idleCostPerHour).toBeCloseTo(0.03, 9);
  });

  it('collects GPU resources', () => {
    const team = { ...(teams[0] as TeamCapacity), requested: { 'nvidia.com/gpu': '2' }, allocatable: { 'nvidia.com/gpu': '8' }, utilisation: { 'nvidia.com/gpu': 0.25 } };
    expect(toTeamRow(team).gpus).toEqual([{ resource: 'nvidia.com/gpu', requested: 2, allocatable: 8, utilisation: 0.25 }]);
    expect(toTeamRow(team).gpuRequested).toBe(2);
  });
});

describe('TeamsTable', () => {
  it('shows one row per team with nodes, CPU, cost and pending pods', async () => {
    await renderInTestApp(<TeamsTable teams={teams} onSelectTeam={() => undefined} />);
    expect(teamOrder()).toEqual(['payments', 'search', 'unassigned']);
    expect(cell('payments', 'nodes')).toBe('1');
    expect(cell('payments', 'cpu')).toBe('2 / 3.92 · 51%');
    expect(cell('payments', 'costPerHour')).toBe('$0.16');
    expect(cell('payments', 'idleCostPerHour')).toBe('$0.078');
    expect(cell('payments', 'pendingPods')).toBe('1');
    expect(cell('search', 'cpu')).toBe('1 requested');
    expect(cell('unassigned', 'memory')).toBe('512 MiB requested');
    expect(cell('search', 'gpu')).toBe('—');
  });

  it('sorts by a column when its header is clicked', async () => {
    const cheapFirst = [
      { ...(teams[0] as TeamCapacity), team: 'a-expensive', costPerHour: 3 },
      { ...(teams[1] as TeamCapacity), team: 'b-cheap', costPerHour: 1 },
      { ...(teams[2] as TeamCapacity), team: 'c-middle', costPerHour: 2 },
    ];
    await renderInTestApp(<TeamsTable teams={cheapFirst} onSelectTeam={() => undefined} />);
    fireEvent.click(screen.getByText('$/h', { selector: 'th *' }));
    await waitFor(() => expect(teamOrder()).toEqual(['b-cheap', 'c-middle', 'a-expensive']));
    fireEvent.click(screen.getByText('$/h', { selector: 'th *' }));
    await waitFor(() => expect(teamOrder()).toEqual(['a-expensive', 'c-middle', 'b-cheap']));
  });

  it('filters teams by the search box', async () => {
    await renderInTestApp(<TeamsTable teams={teams} onSelectTeam={() => undefined} />);
    fireEvent.change(screen.getByPlaceholderText('Filter teams'), { target: { value: 'sea' } });
    await waitFor(() => expect(teamOrder()).toEqual(['search']));
  });

  it('reports the clicked team', async () => {
    const onSelectTeam = vi.fn();
    await renderInTestApp(<TeamsTable teams={teams} onSelectTeam={onSelectTeam} />);
    fireEvent.click(within(screen.getByText('search', { selector: '[data-field="team"]' })).getByText('search'));
    expect(onSelectTeam).toHaveBeenCalledWith('search');
  });
});
