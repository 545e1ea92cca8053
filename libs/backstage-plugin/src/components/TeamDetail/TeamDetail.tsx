import { InfoCard, StatusError, StatusOK, StatusPending, StatusWarning } from '@backstage/core-components';
import { Box, Chip, Grid, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@material-ui/core';
import type { CapacityResponse, NodeCapacity, NodePoolLimits, PendingPod, ResourceList, TeamCapacity } from '@karpenter-ts/capacity-api';
import { amountOf, formatAmount, formatCostPerHour, resourceLabel, usageOf } from '../../format';
import { UtilisationBar } from '../UtilisationBar';
import { nodePoolsOfTeam, nodesOfTeam, nodeState } from './teamNodes';

/** Props of {@link TeamDetail}. */
export interface TeamDetailProps {
  response: CapacityResponse;
  team: TeamCapacity;
}

function Headroom({ limits }: { limits: NodePoolLimits }) {
  const keys = Object.keys(limits.limits).sort();
  if (keys.length === 0) return <Typography variant="body2">no limits</Typography>;
  return (
    <>
      {keys.map((key) => (
        <Typography key={key} variant="body2" data-field={`headroom-${key}`}>
          {resourceLabel(key)}: {formatAmount(key, amountOf(limits.headroom, key))} of {formatAmount(key, amountOf(limits.limits, key))} left
        </Typography>
      ))}
    </>
  );
}

function State({ node }: { node: NodeCapacity }) {
  const state = nodeState(node);
  if (state === 'Deleting') return <StatusPending>Deleting</StatusPending>;
  if (state === 'Cordoned') return <StatusWarning>Cordoned</StatusWarning>;
  if (state === 'NotReady') return <StatusError>NotReady</StatusError>;
  return <StatusOK>Ready</StatusOK>;
}

function describeRequests(requests: ResourceList): string {
  return Object.keys(requests)
    .sort()
    .map((key) => `${resourceLabel(key)} ${formatAmount(key, amountOf(requests, key))}`)
    .join(', ');
}

function PendingPods({ pods }: { pods: readonly PendingPod[] }) {
  if (pods.length === 0) return <Typography variant="body2">No pod of this team waits for capacity.</Typography>;
  return (
    <Table size="small" aria-label="pending pods">
      <TableHead>
        <TableRow>
          <TableCell>Pod</TableCell>
          <TableCell>Requests</TableCell>
          <TableCell>Why it waits</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {pods.map((pod) => (
          <TableRow key={`${pod.namespace}/${pod.name}`} data-pending-pod={`${pod.namespace}/${pod.name}`}>
            <TableCell>
              {pod.namespace}/{pod.name}
              {pod.createdAt && (
                <Typography variant="caption" display="block" color="textSecondary">
                  created {pod.createdAt}
                </Typography>
              )}
            </TableCell>
            <TableCell>{describeRequests(pod.requests)}</TableCell>
            <TableCell>
              <Typography variant="body2">{pod.reason}</Typography>
              {pod.nominatedTo && (
                <Typography variant="caption" display="block">
                  nominated to {pod.nominatedTo}
                </Typography>
              )}
              {Object.keys(pod.nodePools)
                .sort()
                .map((pool) => (
                  <Typography key={pool} variant="caption" display="block" color="textSecondary">
                    NodePool {pool}: {pod.nodePools[pool]}
                  </Typography>
                ))}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * One team in detail: cost breakdown, its NodePools with limits headroom, its node groups (instance type,
 * zone, capacity type), its nodes as eks-node-viewer rows (requested vs allocatable bars, pods, price,
 * cordoned/deleting state) and its pending pods with the reasons they wait.
 */
export function TeamDetail({ response, team }: TeamDetailProps) {
  const nodePools = nodePoolsOfTeam(response, team);
  const nodes = nodesOfTeam(response, team);
  return (
    <Grid container spacing={2} data-testid="team-detail" data-team={team.team}>
      <Grid item xs={12}>
        <InfoCard title={`Team ${team.team}`} subheader={`Team label ${response.teamLabelKey}=${team.team}`}>
          <Box display="flex" flexWrap="wrap" style={{ gap: 24 }}>
            <Typography variant="body2">
              <strong>{formatCostPerHour(team.costPerHour)}</strong> per hour = {formatCostPerHour(team.allocatedCostPerHour)} allocated to its pods +{' '}
              {formatCostPerHour(team.idleCostPerHour)} idle of its NodePools + {formatCostPerHour(team.sharedIdleCostPerHour)} share of shared idle
            </Typography>
            <Typography variant="body2">
              {team.pods} pods · {team.nodes} nodes · {team.nodeClaims} NodeClaims · {team.pendingPods} pending
            </Typography>
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="NodePools" subheader="Capacity dedicated to this team (NodePool template labels carry the team label)">
          {nodePools.length === 0 ? (
            <Typography variant="body2">This team has no NodePool of its own; its pods run on shared capacity.</Typography>
          ) : (
            <Table size="small" aria-label="nodepools">
              <TableHead>
                <TableRow>
                  <TableCell>NodePool</TableCell>
                  <TableCell align="right">Nodes</TableCell>
                  <TableCell>CPU (cores)</TableCell>
                  <TableCell>Memory</TableCell>
                  <TableCell align="right">$/h</TableCell>
                  <TableCell align="right">Idle $/h</TableCell>
                  <TableCell>Limits headroom</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {nodePools.map((pool) => (
                  <TableRow key={pool.name} data-nodepool={pool.name}>
                    <TableCell>{pool.name}</TableCell>
                    <TableCell align="right">{pool.nodes}</TableCell>
                    <TableCell>
                      <UtilisationBar usage={usageOf('cpu', pool.requested, pool.allocatable, pool.utilisation)} />
                    </TableCell>
                    <TableCell>
                      <UtilisationBar usage={usageOf('memory', pool.requested, pool.allocatable, pool.utilisation)} />
                    </TableCell>
                    <TableCell align="right">{formatCostPerHour(pool.costPerHour)}</TableCell>
                    <TableCell align="right">{formatCostPerHour(pool.idleCostPerHour)}</TableCell>
                    <TableCell>
                      <Headroom limits={pool.limits} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Nodes" subheader="Its own nodes and the shared nodes its pods run on, by instance type, zone and capacity type">
          {team.nodeGroups.length > 0 && (
            <Box display="flex" flexWrap="wrap" mb={2} style={{ gap: 8 }}>
              {team.nodeGroups.map((g) => (
                <Chip
                  key={`${g.instanceType}/${g.zone}/${g.capacityType}`}
                  size="small"
                  label={`${g.nodes} × ${g.instanceType} · ${g.zone} · ${g.capacityType} · ${formatCostPerHour(g.costPerHour)}/h`}
                />
              ))}
            </Box>
          )}
          {nodes.length === 0 ? (
            <Typography variant="body2">No node runs pods of this team.</Typography>
          ) : (
            <Table size="small" aria-label="nodes">
              <TableHead>
                <TableRow>
                  <TableCell>Node</TableCell>
                  <TableCell>Instance type</TableCell>
                  <TableCell>Zone</TableCell>
                  <TableCell>Capacity type</TableCell>
                  <TableCell>CPU (cores)</TableCell>
                  <TableCell>Memory</TableCell>
                  <TableCell align="right">Pods</TableCell>
                  <TableCell align="right">$/h</TableCell>
                  <TableCell>State</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {nodes.map(({ node, dedicated }) => (
                  <TableRow key={node.name} data-node={node.name}>
                    <TableCell>
                      {node.name}
                      <Typography variant="caption" display="block" color="textSecondary">
                        {node.nodePool ? `NodePool ${node.nodePool}` : 'not managed by Karpenter'} · {dedicated ? 'dedicated' : 'shared'}
                      </Typography>
                    </TableCell>
                    <TableCell>{node.instanceType}</TableCell>
                    <TableCell>{node.zone}</TableCell>
                    <TableCell>{node.capacityType}</TableCell>
                    <TableCell>
                      <UtilisationBar usage={usageOf('cpu', node.requested, node.allocatable, node.utilisation)} />
                    </TableCell>
                    <TableCell>
                      <UtilisationBar usage={usageOf('memory', node.requested, node.allocatable, node.utilisation)} />
                    </TableCell>
                    <TableCell align="right">{node.pods}</TableCell>
                    <TableCell align="right">{node.priced ? formatCostPerHour(node.pricePerHour) : 'unknown'}</TableCell>
                    <TableCell>
                      <State node={node} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title={`Pending pods (${team.pendingPods})`}>
          <PendingPods pods={team.pending} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
