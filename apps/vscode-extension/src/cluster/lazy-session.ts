/**
 * A `ClusterSessionPort` that loads the real session (and `@kubernetes/client-node`, most of the bundle's
 * evaluation time) on the first `connect()`, so activation does not wait for it.
 */
import type { ApiAccess, ClusterObjects, ClusterSessionOptions, ClusterSessionPort, ConnectionState } from './session-port.js';

export class LazyClusterSession implements ClusterSessionPort {
  private inner: ClusterSessionPort | undefined;
  private loading: Promise<ClusterSessionPort> | undefined;
  private disposed = false;

  constructor(
    private readonly options: ClusterSessionOptions,
    private readonly load: (options: ClusterSessionOptions) => Promise<ClusterSessionPort> = async (o) => new (await import('./session.js')).ClusterSession(o),
  ) {}

  get state(): ConnectionState {
    return this.inner?.state ?? { kind: 'idle', message: 'Reading the kubeconfig…' };
  }

  get contexts(): string[] {
    return this.inner?.contexts ?? [];
  }

  async connect(context?: string): Promise<void> {
    this.loading ??= this.load(this.options);
    const inner = await this.loading;
    if (this.disposed) {
      inner.dispose();
      return;
    }
    this.inner = inner;
    await inner.connect(context);
  }

  objects(): ClusterObjects {
    return this.inner?.objects() ?? { pods: [], nodePools: [] };
  }

  ec2NodeClassNames(): string[] | undefined {
    return this.inner?.ec2NodeClassNames();
  }

  async apiAccess(): Promise<ApiAccess | undefined> {
    return this.inner?.apiAccess();
  }

  dispose(): void {
    this.disposed = true;
    this.inner?.dispose();
  }
}
