import type { TeamCapacity } from '@karpenter-ts/capacity-api';
import { gpuUsages, usageOf, type ResourceUsage } from '../../format';

/** One row of the teams table: a team's figures in canonical units, flat so the table sorts and filters them. */
export interface TeamRow {
  /** Row id for the table: the team name. */
  id: string;
  team: string;
  nodePools: string;
  nodes: number;
  pods: number;
  cpu: ResourceUsage;
  memory: ResourceUsage;
  gpus: ResourceUsage[];
  /** Sort keys: requested millicores, bytes and GPUs. */
  cpuRequested: number;
  memoryRequested: number;
  gpuRequested: number;
  costPerHour: number;
  idleCostPerHour: number;
  pendingPods: number;
}

/** The table row of a team (pure mapping of the API's {@link TeamCapacity}). */
export function toTeamRow(team: TeamCapacity): TeamRow {
  const cpu = usageOf('cpu', team.requested, team.allocatable, team.utilisation);
  const memory = usageOf('memory', team.requested, team.allocatable, team.utilisation);
  const gpus = gpuUsages(team.requested, team.allocatable, team.utilisation);
  return {
    id: team.team,
    team: team.team,
    nodePools: team.nodePools.join(', '),
    nodes: team.nodes,
    pods: team.pods,
    cpu,
    memory,
    gpus,
    cpuRequested: cpu.requested,
    memoryRequested: memory.requested,
    gpuRequested: gpus.reduce((sum, g) => sum + g.requested, 0),
    costPerHour: team.costPerHour,
    idleCostPerHour: team.idleCostPerHour + team.sharedIdleCostPerHour,
    pendingPods: team.pendingPods,
  };
}
