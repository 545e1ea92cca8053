import type { DeleteOptions, KubeClient, KubeObject, ListOptions, ObjectList, PatchOptions, PatchType, WatchEvent, WatchOptions } from '../kube/client.js';
import { KubeApiError } from '../kube/errors.js';
import type { ResourceType } from '../kube/resources.js';

/** How a {@link PartitionableClient} treats calls: pass through, never answer, or fail at once. */
export type PartitionMode = 'ok' | 'hang' | 'fail';

/** One call that reached the API (or was refused), for timelines. */
export interface RecordedCall {
  atMs: number;
  verb: string;
  resource: string;
  name: string;
  outcome: 'ok' | 'error' | 'refused';
}

/**
 * One replica's view of a shared fake API (fault injection): while `mode` is `hang`, every call stays pending
 * until its signal aborts (if it has one) and watches deliver nothing (a network partition or a stopped API
 * server with no RST); while `fail`, calls reject at once with a connection error (statusCode 0). Writes that
 * reached the API are recorded in `calls` with `now()` as their time, so a test can check who acted when.
 */
export class PartitionableClient implements KubeClient {
  mode: PartitionMode = 'ok';
  /** Which resources (plural, e.g. `leases`) the mode applies to; default all. */
  affects: (resource: string) => boolean = () => true;
  readonly calls: RecordedCall[] = [];
  private readonly hung = new Set<() => void>();

  constructor(
    private readonly api: KubeClient,
    private readonly now: () => number,
  ) {}

  /** Set the mode; going back to `ok` leaves hung calls hung (as dead TCP connections stay dead). */
  setMode(mode: PartitionMode): void {
    this.mode = mode;
  }

  /** Number of calls currently hung. */
  get hungCalls(): number {
    return this.hung.size;
  }

  list<T extends KubeObject>(type: ResourceType, options?: ListOptions): Promise<ObjectList<T>> {
    return this.gate('list', type, '', undefined, () => this.api.list<T>(type, options), false);
  }

  watch<T extends KubeObject>(type: ResourceType, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<void> {
    const cut = (): PartitionMode => (this.affects(type.plural) ? this.mode : 'ok');
    if (cut() === 'fail') return Promise.reject(connectionRefused());
    if (cut() === 'hang') return this.hang(options.signal) as Promise<void>;
    // A watch opened while healthy stops delivering once the replica is cut off.
    return this.api.watch<T>(type, options, (event) => {
      if (cut() === 'ok') onEvent(event);
    });
  }

  get<T extends KubeObject>(type: ResourceType, name: string, namespace?: string, options?: { signal?: AbortSignal }): Promise<T> {
    return this.gate('get', type, name, options?.signal, () => this.api.get<T>(type, name, namespace, options), false);
  }

  create<T extends KubeObject>(type: ResourceType, object: T, options?: { namespace?: string; subresource?: string; name?: string; signal?: AbortSignal }): Promise<T> {
    const name = options?.name ?? object.metadata.name ?? object.metadata.generateName ?? '';
    return this.gate(options?.subresource ? `create/${options.subresource}` : 'create', type, name, options?.signal, () => this.api.create<T>(type, object, options), true);
  }

  replace<T extends KubeObject>(type: ResourceType, object: T, options?: { subresource?: string; signal?: AbortSignal }): Promise<T> {
    return this.gate('update', type, object.metadata.name ?? '', options?.signal, () => this.api.replace<T>(type, object, options), true);
  }

  patch<T extends KubeObject>(type: ResourceType, name: string, patchType: PatchType, patch: unknown, options?: PatchOptions): Promise<T> {
    return this.gate('patch', type, name, undefined, () => this.api.patch<T>(type, name, patchType, patch, options), true);
  }

  delete(type: ResourceType, name: string, options?: DeleteOptions): Promise<void> {
    return this.gate('delete', type, name, undefined, () => this.api.delete(type, name, options), true);
  }

  private async gate<R>(verb: string, type: ResourceType, name: string, signal: AbortSignal | undefined, call: () => Promise<R>, write: boolean): Promise<R> {
    const mode = this.affects(type.plural) ? this.mode : 'ok';
    if (mode === 'fail') {
      if (write) this.calls.push({ atMs: this.now(), verb, resource: type.plural, name, outcome: 'refused' });
      throw connectionRefused();
    }
    if (mode === 'hang') return (await this.hang(signal)) as R;
    try {
      const result = await call();
      if (write) this.calls.push({ atMs: this.now(), verb, resource: type.plural, name, outcome: 'ok' });
      return result;
    } catch (error) {
      if (write) this.calls.push({ atMs: this.now(), verb, resource: type.plural, name, outcome: 'error' });
      throw error;
    }
  }

  private hang(signal: AbortSignal | undefined): Promise<never> {
    return new Promise((_, reject) => {
      const onAbort = (): void => {
        this.hung.delete(onAbort);
        reject(new KubeApiError('request aborted', 0));
      };
      this.hung.add(onAbort);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function connectionRefused(): KubeApiError {
  return new KubeApiError('connect ECONNREFUSED', 0);
}
