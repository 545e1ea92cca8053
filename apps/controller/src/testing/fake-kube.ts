import {
  objectKey,
  type DeleteOptions,
  type KubeClient,
  type KubeObject,
  type ListOptions,
  type ObjectList,
  type PatchOptions,
  type PatchType,
  type WatchEvent,
  type WatchOptions,
} from '../kube/client.js';
import { isDeepStrictEqual } from 'node:util';
import { KubeApiError } from '../kube/errors.js';
import { apiVersionOf, type ResourceType } from '../kube/resources.js';

type Watcher = { type: ResourceType; onEvent: (event: WatchEvent<KubeObject>) => void; close: () => void };

/** Answers a subresource POST (e.g. `eviction`); throw a KubeApiError to refuse it. */
export type SubresourceHandler = (client: FakeKubeClient, type: ResourceType, namespace: string | undefined, name: string, body: unknown) => Promise<unknown>;

/**
 * An in-memory Kubernetes API for unit tests: resourceVersions, generateName, finalizers and
 * deletionTimestamp, optimistic concurrency on replace, merge / JSON patches, watches, and pluggable
 * subresources (the default `eviction` deletes the pod). Records every write in `writes`.
 *
 * As kube-apiserver, an update or patch that changes nothing is a no-op: the stored object keeps its
 * resourceVersion, no watch event is sent, and the call returns the object as stored (it is still recorded in
 * `writes`, since the request was made). Controllers that rewrite an identical status therefore do not wake
 * themselves.
 */
export class FakeKubeClient implements KubeClient {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly watchers = new Set<Watcher>();
  private revision = 1;
  private nameCounter = 0;
  readonly writes: { verb: string; resource: string; name: string; subresource?: string; body?: unknown }[] = [];
  readonly subresources = new Map<string, SubresourceHandler>();
  /** Milliseconds used for deletionTimestamp; tests may replace it. */
  now: () => number = () => Date.now();

  constructor() {
    this.subresources.set('eviction', async (client, type, namespace, name) => {
      await client.delete(type, name, { namespace });
      return {};
    });
  }

  /** Stores objects directly (no write record). */
  seed(type: ResourceType, ...objects: KubeObject[]): void {
    for (const object of objects) {
      const stored = clone(object);
      stored.metadata.uid ??= `uid-${stored.metadata.name ?? ''}-${this.revision}`;
      this.put(type, stored, 'ADDED');
    }
  }

  /** The stored object or undefined. */
  peek<T extends KubeObject>(type: ResourceType, name: string, namespace?: string): T | undefined {
    return this.bucket(type).get(namespace ? `${namespace}/${name}` : name) as T | undefined;
  }

  all<T extends KubeObject>(type: ResourceType): T[] {
    return [...this.bucket(type).values()] as T[];
  }

  async list<T extends KubeObject>(type: ResourceType, options: ListOptions = {}): Promise<ObjectList<T>> {
    const items = [...this.bucket(type).values()].filter((o) => options.namespace === undefined || o.metadata.namespace === options.namespace);
    return { items: items.map((o) => clone(o) as T), resourceVersion: String(this.revision) };
  }

  watch<T extends KubeObject>(type: ResourceType, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<void> {
    return new Promise((resolve) => {
      if (options.signal?.aborted) {
        resolve();
        return;
      }
      const watcher: Watcher = {
        type,
        onEvent: onEvent as (event: WatchEvent<KubeObject>) => void,
        close: () => {
          this.watchers.delete(watcher);
          resolve();
        },
      };
      this.watchers.add(watcher);
      options.signal?.addEventListener('abort', () => watcher.close(), { once: true });
    });
  }

  async get<T extends KubeObject>(type: ResourceType, name: string, namespace?: string): Promise<T> {
    const found = this.peek<T>(type, name, namespace);
    if (!found) throw notFound(type, name);
    return clone(found);
  }

  async create<T extends KubeObject>(type: ResourceType, object: T, options: { namespace?: string; subresource?: string; name?: string } = {}): Promise<T> {
    const namespace = options.namespace ?? object.metadata.namespace;
    if (options.subresource) {
      const name = options.name ?? object.metadata.name ?? '';
      this.writes.push({ verb: 'create', resource: type.plural, name, subresource: options.subresource, body: object });
      const handler = this.subresources.get(options.subresource);
      if (!handler) throw new KubeApiError(`no subresource ${options.subresource}`, 404, 'NotFound');
      if (!this.peek(type, name, namespace)) throw notFound(type, name);
      return (await handler(this, type, namespace, name, object)) as T;
    }
    const stored = clone(object);
    stored.metadata.namespace = type.namespaced ? namespace : undefined;
    if (!stored.metadata.name) {
      if (!stored.metadata.generateName) throw new KubeApiError('name or generateName is required', 422, 'Invalid');
      stored.metadata.name = `${stored.metadata.generateName}${(++this.nameCounter).toString(36).padStart(5, '0')}`;
    }
    if (this.peek(type, stored.metadata.name, stored.metadata.namespace)) {
      throw new KubeApiError(`${type.plural} "${stored.metadata.name}" already exists`, 409, 'AlreadyExists');
    }
    stored.apiVersion = apiVersionOf(type);
    stored.kind = type.kind;
    stored.metadata.uid = `uid-${stored.metadata.name}-${this.revision}`;
    stored.metadata.creationTimestamp = new Date(this.now()).toISOString();
    this.writes.push({ verb: 'create', resource: type.plural, name: stored.metadata.name, body: object });
    this.put(type, stored, 'ADDED');
    return clone(stored) as T;
  }

  async replace<T extends KubeObject>(type: ResourceType, object: T, options: { subresource?: string } = {}): Promise<T> {
    const { name = '', namespace } = object.metadata;
    const existing = this.peek(type, name, namespace);
    if (!existing) throw notFound(type, name);
    if (object.metadata.resourceVersion && object.metadata.resourceVersion !== existing.metadata.resourceVersion) {
      throw new KubeApiError('the object has been modified', 409, 'Conflict');
    }
    this.writes.push({ verb: 'update', resource: type.plural, name, subresource: options.subresource, body: object });
    const next = clone(object);
    next.metadata = { ...next.metadata, uid: existing.metadata.uid, creationTimestamp: existing.metadata.creationTimestamp, deletionTimestamp: existing.metadata.deletionTimestamp };
    return this.store(type, next) as T;
  }

  async patch<T extends KubeObject>(type: ResourceType, name: string, patchType: PatchType, patch: unknown, options: PatchOptions = {}): Promise<T> {
    const existing = this.peek(type, name, options.namespace);
    if (!existing) throw notFound(type, name);
    this.writes.push({ verb: 'patch', resource: type.plural, name, subresource: options.subresource, body: patch });
    const next = patchType === 'json' ? applyJsonPatch(clone(existing), patch as JsonPatchOp[]) : (mergePatch(clone(existing), patch) as KubeObject);
    next.metadata.uid = existing.metadata.uid;
    next.metadata.deletionTimestamp = existing.metadata.deletionTimestamp;
    return this.store(type, next) as T;
  }

  async delete(type: ResourceType, name: string, options: DeleteOptions = {}): Promise<void> {
    const existing = this.peek(type, name, options.namespace);
    if (!existing) throw notFound(type, name);
    if (options.preconditions?.uid && options.preconditions.uid !== existing.metadata.uid) throw new KubeApiError('uid precondition failed', 409, 'Conflict');
    this.writes.push({ verb: 'delete', resource: type.plural, name });
    if ((existing.metadata.finalizers ?? []).length > 0) {
      if (existing.metadata.deletionTimestamp) return;
      const next = clone(existing);
      next.metadata.deletionTimestamp = new Date(this.now()).toISOString();
      this.put(type, next, 'MODIFIED');
      return;
    }
    this.remove(type, existing);
  }

  /** Ends every open watch (as a server timeout does); informers resume from their last resourceVersion. */
  closeWatches(): void {
    for (const watcher of [...this.watchers]) watcher.close();
  }

  private store(type: ResourceType, next: KubeObject): KubeObject {
    const existing = this.peek(type, next.metadata.name ?? '', next.metadata.namespace);
    if (existing && sameContent(existing, next)) return clone(existing);
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      this.remove(type, next);
      return clone(next);
    }
    this.put(type, next, 'MODIFIED');
    return clone(next);
  }

  private remove(type: ResourceType, object: KubeObject): void {
    this.bucket(type).delete(objectKey(object));
    const deleted = clone(object);
    deleted.metadata.resourceVersion = String(++this.revision);
    this.notify(type, { type: 'DELETED', object: deleted });
  }

  private put(type: ResourceType, object: KubeObject, eventType: 'ADDED' | 'MODIFIED'): void {
    object.metadata.resourceVersion = String(++this.revision);
    object.apiVersion ??= apiVersionOf(type);
    object.kind ??= type.kind;
    this.bucket(type).set(objectKey(object), object);
    this.notify(type, { type: eventType, object: clone(object) });
  }

  private notify(type: ResourceType, event: WatchEvent<KubeObject>): void {
    for (const watcher of this.watchers) if (watcher.type.plural === type.plural && watcher.type.group === type.group) watcher.onEvent(clone(event));
  }

  private bucket(type: ResourceType): Map<string, KubeObject> {
    const key = `${type.group}/${type.plural}`;
    let bucket = this.objects.get(key);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(key, bucket);
    }
    return bucket;
  }
}

function notFound(type: ResourceType, name: string): KubeApiError {
  return new KubeApiError(`${type.plural} "${name}" not found`, 404, 'NotFound');
}

/** Equal apart from resourceVersion (what kube-apiserver compares to skip a no-op write). */
function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): unknown => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return isDeepStrictEqual(JSON.parse(JSON.stringify(strip(a))), JSON.parse(JSON.stringify(strip(b))));
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}

interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

function applyJsonPatch<T>(document: T, ops: JsonPatchOp[]): T {
  for (const op of ops) {
    const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop() ?? '';
    let parent: Record<string, unknown> | unknown[] = document as Record<string, unknown>;
    for (const part of parts) {
      const next: unknown = Array.isArray(parent) ? parent[Number(part)] : parent[part];
      if (next === undefined || next === null || typeof next !== 'object') {
        if (op.op === 'add' && !Array.isArray(parent)) {
          const created: Record<string, unknown> = {};
          parent[part] = created;
          parent = created;
          continue;
        }
        throw new KubeApiError(`json patch: path ${op.path} not found`, 422, 'Invalid');
      }
      parent = next as Record<string, unknown> | unknown[];
    }
    const current: unknown = Array.isArray(parent) ? parent[Number(last)] : parent[last];
    switch (op.op) {
      case 'test':
        if (JSON.stringify(current) !== JSON.stringify(op.value)) throw new KubeApiError(`json patch test failed at ${op.path}`, 422, 'Invalid');
        break;
      case 'remove':
        if (current === undefined) throw new KubeApiError(`json patch: nothing to remove at ${op.path}`, 422, 'Invalid');
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'add':
        if (Array.isArray(parent)) {
          if (last === '-') parent.push(op.value);
          else parent.splice(Number(last), 0, op.value);
        } else parent[last] = op.value;
        break;
      case 'replace':
        if (current === undefined) throw new KubeApiError(`json patch: nothing to replace at ${op.path}`, 422, 'Invalid');
        if (Array.isArray(parent)) parent[Number(last)] = op.value;
        else parent[last] = op.value;
        break;
    }
  }
  return document;
}
