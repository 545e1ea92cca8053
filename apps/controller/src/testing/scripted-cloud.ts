import type { CloudProvider, NodeClaim, NodePool } from '@karpenter-ts/provisioner-domain';
import type { SimulatedCloudProvider } from '../cloudprovider/simulated/simulated.js';

/**
 * The simulated provider with a script in front of `create`, for tests of launch failures: `beforeCreate`
 * runs on every call (throw to fail it, await to hold it in flight); every call answers after one round trip
 * (a real call is I/O, so a retry loop cannot run inside one instant without being counted). Counts calls and
 * successful launches.
 */
export class ScriptedCloud implements CloudProvider {
  readonly name = 'simulated';
  createCalls = 0;
  launched = 0;
  beforeCreate: (claim: NodeClaim, call: number) => Promise<void> | void = () => undefined;

  constructor(readonly inner: SimulatedCloudProvider) {}

  async create(claim: NodeClaim): Promise<NodeClaim> {
    const call = ++this.createCalls;
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.beforeCreate(claim, call);
    const launched = await this.inner.create(claim);
    this.launched++;
    return launched;
  }
  delete(claim: NodeClaim): Promise<void> {
    return this.inner.delete(claim);
  }
  get(providerID: string): Promise<NodeClaim> {
    return this.inner.get(providerID);
  }
  list(): Promise<NodeClaim[]> {
    return this.inner.list();
  }
  getInstanceTypes(pool: NodePool) {
    return this.inner.getInstanceTypes(pool);
  }
  isDrifted(claim: NodeClaim): Promise<string | undefined> {
    return this.inner.isDrifted(claim);
  }
}
