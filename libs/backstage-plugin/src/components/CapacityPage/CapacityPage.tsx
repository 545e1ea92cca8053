import { Content, ContentHeader, EmptyState, Header, Page, Progress, SupportButton, WarningPanel } from '@backstage/core-components';
import { Box, Button, Link, Typography } from '@material-ui/core';
import type { CapacityResponse } from '@karpenter-ts/capacity-api';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import { formatCostPerHour } from '../../format';
import { useCapacity } from '../../hooks';
import { CapacityError } from '../CapacityError';
import { TeamDetail } from '../TeamDetail';
import { TeamsTable } from '../TeamsTable';

/** The query parameter that selects a team's detail view (`?team=payments`), so a team's view is linkable. */
export const TEAM_QUERY_PARAM = 'team';

function Totals({ response }: { response: CapacityResponse }) {
  const { totals } = response;
  return (
    <Box display="flex" flexWrap="wrap" mb={2} style={{ gap: 24 }} data-testid="capacity-totals">
      <Typography variant="body2">
        <strong data-field="totalNodes">{totals.nodes}</strong> nodes
      </Typography>
      <Typography variant="body2">
        <strong>{totals.pods}</strong> pods
      </Typography>
      <Typography variant="body2">
        <strong data-field="totalCostPerHour">{formatCostPerHour(totals.costPerHour)}</strong> per hour
      </Typography>
      <Typography variant="body2">
        <strong>{formatCostPerHour(response.idle.costPerHour)}</strong> per hour idle on shared capacity
      </Typography>
      <Typography variant="body2">
        <strong>{totals.pendingPods}</strong> pending pods
      </Typography>
      <Typography variant="body2" color="textSecondary">
        as of {response.generatedAt}
      </Typography>
    </Box>
  );
}

/**
 * The body of the "Node capacity" page without the page frame: loading, error (with the hint for 401/403),
 * empty state, the teams table, or one team's detail when `?team=NAME` is set. Used by the legacy page and
 * the new frontend system's PageBlueprint (which draws its own header).
 */
export function CapacityContent() {
  const { loading, error, value, retry } = useCapacity();
  const [params, setParams] = useSearchParams();
  const selected = params.get(TEAM_QUERY_PARAM);
  const select = useCallback(
    (team: string | undefined) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (team === undefined) next.delete(TEAM_QUERY_PARAM);
        else next.set(TEAM_QUERY_PARAM, team);
        return next;
      }),
    [setParams],
  );

  if (error) return <CapacityError error={error} onRetry={retry} />;
  if (!value) return loading ? <Progress /> : null;
  if (value.teams.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No team capacity yet"
        description={`The controller sees no pods and no nodes of any team. Label namespaces and NodePool templates with ${value.teamLabelKey}=<team> to group capacity, usage and cost by team.`}
        action={
          <Button variant="outlined" onClick={retry}>
            Refresh
          </Button>
        }
      />
    );
  }
  if (selected !== null) {
    const team = value.teams.find((t) => t.team === selected);
    return (
      <>
        <Box mb={2}>
          <Link component="button" variant="body2" onClick={() => select(undefined)}>
            ← All teams
          </Link>
        </Box>
        {team ? (
          <TeamDetail response={value} team={team} />
        ) : (
          <WarningPanel severity="info" title={`No team named "${selected}"`}>
            No pod or NodePool carries the label {value.teamLabelKey}={selected}.
          </WarningPanel>
        )}
      </>
    );
  }
  return (
    <>
      <Totals response={value} />
      <TeamsTable teams={value.teams} onSelectTeam={select} />
    </>
  );
}

/** The legacy routable page: header "Node capacity" over {@link CapacityContent}. */
export function CapacityPage() {
  return (
    <Page themeId="tool">
      <Header title="Node capacity" subtitle="Per-team nodes, requests, cost and pending pods from karpenter-ts" />
      <Content>
        <ContentHeader title="Teams">
          <SupportButton>Capacity, usage and cost per team, from the karpenter-ts controller's read-only API.</SupportButton>
        </ContentHeader>
        <CapacityContent />
      </Content>
    </Page>
  );
}
