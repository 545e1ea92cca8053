/**
 * The API's endpoints as functions of a query (or body) to a response value, over the controller's cluster
 * state and cloud provider; server.ts does the HTTP around them (routing, auth, CORS, body limits).
 */
import type { CapacityResponse, InstanceTypesResponse, PendingResponse, SimulateResponse } from '@karpenter-ts/capacity-api';
import type { CloudProvider, InstanceType } from '@karpenter-ts/provisioner-domain';
import type { Clock } from '../../kube/clock.js';
import type { ClusterState } from '../../state/cluster.js';
import type { ResolvedNodePool } from '../../state/nodepools.js';
import { buildCapacity } from './capacity.js';
import { ApiError } from './errors.js';
import { buildInstanceTypes } from './instancetypes.js';
import { explainPending } from './pending.js';
import type { Simulator } from './simulate.js';

export interface ApiHandlersDeps {
  state: ClusterState;
  cloudProvider: CloudProvider;
  clock: Clock;
  teamLabelKey: string;
  simulator: Simulator;
}

export class ApiHandlers {
  constructor(private readonly deps: ApiHandlersDeps) {}

  /** GET /api/v1/capacity. @throws ApiError 400 for an unknown `groupBy` or a `shareIdle` that is not true/false. */
  async capacity(query: URLSearchParams): Promise<CapacityResponse> {
    const groupBy = query.get('groupBy') ?? 'team';
    if (groupBy !== 'team') throw new ApiError(400, 'BadRequest', `groupBy "${groupBy}" is not supported: use groupBy=team`);
    const shareIdle = booleanParam(query, 'shareIdle');
    const { pools, instanceTypes } = await this.catalog();
    return buildCapacity({
      source: this.deps.state,
      pools,
      instanceTypes,
      pending: explainPending({ state: this.deps.state, pools, instanceTypes, teamLabelKey: this.deps.teamLabelKey }),
      teamLabelKey: this.deps.teamLabelKey,
      shareIdle,
      now: new Date(this.deps.clock.now()).toISOString(),
    });
  }

  /** GET /api/v1/pending. */
  async pending(): Promise<PendingResponse> {
    const { pools, instanceTypes } = await this.catalog();
    return {
      generatedAt: new Date(this.deps.clock.now()).toISOString(),
      pods: explainPending({ state: this.deps.state, pools, instanceTypes, teamLabelKey: this.deps.teamLabelKey }),
    };
  }

  /** GET /api/v1/instancetypes[?nodePool=NAME]. @throws ApiError 404 for an unknown NodePool. */
  async instanceTypes(query: URLSearchParams): Promise<InstanceTypesResponse> {
    const name = query.get('nodePool');
    const { pools } = this.deps.state.nodePools();
    const chosen = name === null ? pools : pools.filter((p) => p.name === name);
    if (name !== null && chosen.length === 0) {
      throw new ApiError(404, 'NotFound', `NodePool "${name}" does not exist (known: ${pools.map((p) => p.name).join(', ') || 'none'})`);
    }
    const byPool = await Promise.all(
      [...chosen].sort((a, b) => (a.name < b.name ? -1 : 1)).map(async (p) => ({ nodePool: p.name, instanceTypes: await this.deps.cloudProvider.getInstanceTypes(p.nodePool) })),
    );
    return buildInstanceTypes(byPool);
  }

  /** POST /api/v1/simulate with the scenario text. @throws ApiError 422 / 503 (see Simulator). */
  async simulate(text: string): Promise<SimulateResponse> {
    return (await this.deps.simulator.simulate('request-body', text)).output;
  }

  private async catalog(): Promise<{ pools: ResolvedNodePool[]; instanceTypes: Record<string, readonly InstanceType[]> }> {
    const { pools } = this.deps.state.nodePools();
    const instanceTypes: Record<string, readonly InstanceType[]> = {};
    await Promise.all(
      pools.map(async (p) => {
        instanceTypes[p.name] = await this.deps.cloudProvider.getInstanceTypes(p.nodePool);
      }),
    );
    return { pools, instanceTypes };
  }
}

function booleanParam(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new ApiError(400, 'BadRequest', `${name}="${value}" is not a boolean: use ${name}=true or ${name}=false`);
}
