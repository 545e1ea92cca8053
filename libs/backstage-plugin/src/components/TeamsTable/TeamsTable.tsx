import { Table, type TableColumn } from '@backstage/core-components';
import { Link, Typography } from '@material-ui/core';
import type { TeamCapacity } from '@karpenter-ts/capacity-api';
import { useMemo } from 'react';
import { formatCostPerHour } from '../../format';
import { UtilisationBar } from '../UtilisationBar';
import { toTeamRow, type TeamRow } from './teamRows';

/** Props of {@link TeamsTable}. */
export interface TeamsTableProps {
  teams: readonly TeamCapacity[];
  /** Called with a team name when its name is clicked. */
  onSelectTeam: (team: string) => void;
}

const numeric = { type: 'numeric' as const, align: 'right' as const };

/**
 * Every team in one sortable, filterable table: nodes, CPU / memory / GPU requested vs allocatable with
 * utilisation bars, cost and idle cost in USD per hour, pending pods. The search box filters on the team
 * and NodePool names. Each value cell carries `data-field` for tests and tools.
 */
export function TeamsTable({ teams, onSelectTeam }: TeamsTableProps) {
  const rows = useMemo(() => teams.map(toTeamRow), [teams]);
  const columns = useMemo<TableColumn<TeamRow>[]>(
    () => [
      {
        title: 'Team',
        field: 'team',
        highlight: true,
        render: (row) => (
          <Link component="button" variant="body2" data-field="team" onClick={() => onSelectTeam(row.team)}>
            {row.team}
          </Link>
        ),
      },
      { title: 'NodePools', field: 'nodePools', render: (row) => <span data-field="nodePools">{row.nodePools || '—'}</span> },
      { title: 'Nodes', field: 'nodes', ...numeric, searchable: false, render: (row) => <span data-field="nodes">{row.nodes}</span> },
      { title: 'Pods', field: 'pods', ...numeric, searchable: false, render: (row) => <span data-field="pods">{row.pods}</span> },
      {
        title: 'CPU (cores)',
        field: 'cpuRequested',
        searchable: false,
        render: (row) => (
          <span data-field="cpu">
            <UtilisationBar usage={row.cpu} />
          </span>
        ),
      },
      {
        title: 'Memory',
        field: 'memoryRequested',
        searchable: false,
        render: (row) => (
          <span data-field="memory">
            <UtilisationBar usage={row.memory} />
          </span>
        ),
      },
      {
        title: 'GPU',
        field: 'gpuRequested',
        searchable: false,
        render: (row) =>
          row.gpus.length === 0 ? (
            <Typography variant="body2" color="textSecondary" data-field="gpu">
              —
            </Typography>
          ) : (
            <span data-field="gpu">
              {row.gpus.map((gpu) => (
                <UtilisationBar key={gpu.resource} usage={gpu} />
              ))}
            </span>
          ),
      },
      { title: '$/h', field: 'costPerHour', ...numeric, searchable: false, render: (row) => <span data-field="costPerHour">{formatCostPerHour(row.costPerHour)}</span> },
      {
        title: 'Idle $/h',
        field: 'idleCostPerHour',
        ...numeric,
        searchable: false,
        render: (row) => <span data-field="idleCostPerHour">{formatCostPerHour(row.idleCostPerHour)}</span>,
      },
      { title: 'Pending pods', field: 'pendingPods', ...numeric, searchable: false, render: (row) => <span data-field="pendingPods">{row.pendingPods}</span> },
    ],
    [onSelectTeam],
  );
  return (
    <Table<TeamRow>
      title="Teams"
      data={rows}
      columns={columns}
      options={{ paging: false, search: true, sorting: true, padding: 'dense', draggable: false }}
      localization={{ toolbar: { searchPlaceholder: 'Filter teams' } }}
    />
  );
}
