import { InfoCard, Progress } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { useEntity } from '@backstage/plugin-catalog-react';
import { formatCostPerHour, gpuUsages, usageOf } from '../../format';
import { useCapacity } from '../../hooks';
import { CapacityError } from '../CapacityError';
import { UtilisationBar } from '../UtilisationBar';
import { teamOfEntity, TEAM_ANNOTATION } from './teamOfEntity';

function Figure({ label, value, field }: { label: string; value: string | number; field: string }) {
  return (
    <Box mr={3} mb={1}>
      <Typography variant="caption" color="textSecondary" display="block">
        {label}
      </Typography>
      <Typography variant="body1" data-field={field}>
        {value}
      </Typography>
    </Box>
  );
}

/** The card's body for a known team name (exported for the tests and the dev app). */
export function TeamCapacityCardContent({ team }: { team: string }) {
  const { loading, error, value, retry } = useCapacity();
  if (error) return <CapacityError error={error} onRetry={retry} />;
  if (!value) return loading ? <Progress /> : null;
  const capacity = value.teams.find((t) => t.team === team);
  if (!capacity) {
    return (
      <Typography variant="body2" data-testid="team-capacity-none">
        No pods or NodePools carry {value.teamLabelKey}={team}. Label the team's namespaces (and its NodePool templates) to see its
        capacity here, or set the {TEAM_ANNOTATION} annotation when the label value differs from this entity's name.
      </Typography>
    );
  }
  return (
    <div data-testid="team-capacity" data-team={team}>
      <Box display="flex" flexWrap="wrap">
        <Figure label="Nodes" value={capacity.nodes} field="nodes" />
        <Figure label="Pods" value={capacity.pods} field="pods" />
        <Figure label="$/h" value={formatCostPerHour(capacity.costPerHour)} field="costPerHour" />
        <Figure label="Idle $/h" value={formatCostPerHour(capacity.idleCostPerHour + capacity.sharedIdleCostPerHour)} field="idleCostPerHour" />
        <Figure label="Pending pods" value={capacity.pendingPods} field="pendingPods" />
      </Box>
      <Typography variant="caption" color="textSecondary">
        CPU (cores)
      </Typography>
      <UtilisationBar usage={usageOf('cpu', capacity.requested, capacity.allocatable, capacity.utilisation)} />
      <Box mt={1}>
        <Typography variant="caption" color="textSecondary">
          Memory
        </Typography>
        <UtilisationBar usage={usageOf('memory', capacity.requested, capacity.allocatable, capacity.utilisation)} />
      </Box>
      {gpuUsages(capacity.requested, capacity.allocatable, capacity.utilisation).map((gpu) => (
        <Box mt={1} key={gpu.resource}>
          <Typography variant="caption" color="textSecondary">
            {gpu.resource}
          </Typography>
          <UtilisationBar usage={gpu} />
        </Box>
      ))}
    </div>
  );
}

/**
 * Entity card: the node capacity, cost and pending pods of the entity's team ({@link teamOfEntity}: the
 * `karpenter-ts.io/team` annotation, else a Group's name). Renders nothing for an entity without a team.
 */
export function TeamCapacityCard() {
  const { entity } = useEntity();
  const team = teamOfEntity(entity);
  if (!team) return null;
  return (
    <InfoCard title="Node capacity" subheader={`Team ${team}, from karpenter-ts`}>
      <TeamCapacityCardContent team={team} />
    </InfoCard>
  );
}
