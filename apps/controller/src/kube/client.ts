import type { ObjectMeta } from '@karpenter-ts/provisioner-domain';
import type { ResourceType } from './resources.js';

/** Any Kubernetes object: `metadata` plus whatever the kind carries. Shapes are the API's JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; the client follows `continue` tokens itself. Default 500. */
  limit?: number;
}

export interface ObjectList<T> {
  items: T[];
  /** The collection's resourceVersion: start a watch from here. */
  resourceVersion: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion: string;
  /** Server-side timeout of one watch request in seconds. Default 300 (randomised by the caller). */
  timeoutSeconds?: number;
  /** Ask for BOOKMARK events (kube-apiserver sends one about every minute while nothing changes). Default true. */
  allowWatchBookmarks?: boolean;
  signal?: AbortSignal;
}

export type PatchType = 'merge' | 'json' | 'strategic';

export interface PatchOptions {
  namespace?: string;
  /** `status` to patch the status subresource. */
  subresource?: string;
}

export interface DeleteOptions {
  namespace?: string;
  /** Only delete the object with this uid / resourceVersion (409 otherwise). */
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
}

/**
 * The Kubernetes API as the controller uses it: plain JSON objects, typed by the caller. Errors are
 * {@link KubeApiError} (see errors.ts for the predicates). One implementation talks HTTP
 * (http-client.ts); tests use the in-memory one in src/testing/fake-kube.ts.
 */
export interface KubeClient {
  /** Lists every object (following `continue` pages). */
  list<T extends KubeObject>(type: ResourceType, options?: ListOptions): Promise<ObjectList<T>>;
  /**
   * Streams changes after `options.resourceVersion` to `onEvent` until the server ends the watch (resolves)
   * or it fails (rejects; a 410 Gone rejects with a KubeApiError whose statusCode is 410). Aborting the
   * signal resolves.
   */
  watch<T extends KubeObject>(type: ResourceType, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<void>;
  /** `signal` aborts the request (it then rejects); leader election bounds its calls with it. */
  get<T extends KubeObject>(type: ResourceType, name: string, namespace?: string, options?: { signal?: AbortSignal }): Promise<T>;
  create<T extends KubeObject>(type: ResourceType, object: T, options?: { namespace?: string; subresource?: string; name?: string; signal?: AbortSignal }): Promise<T>;
  /** PUT of the whole object (optimistic concurrency through metadata.resourceVersion). */
  replace<T extends KubeObject>(type: ResourceType, object: T, options?: { subresource?: string; signal?: AbortSignal }): Promise<T>;
  patch<T extends KubeObject>(type: ResourceType, name: string, patchType: PatchType, patch: unknown, options?: PatchOptions): Promise<T>;
  delete(type: ResourceType, name: string, options?: DeleteOptions): Promise<void>;
}

/** Cache key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(object: KubeObject): string {
  const { namespace, name } = object.metadata;
  return namespace ? `${namespace}/${name ?? ''}` : (name ?? '');
}
