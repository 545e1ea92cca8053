import type { Logger } from 'pino';
import type { KubeClient, KubeObject } from './client.js';
import type { Clock } from './clock.js';
import { resources, type ResourceType } from './resources.js';

export interface EventInput {
  /** The object the event is about. */
  regarding: KubeObject;
  type: 'Normal' | 'Warning';
  /** CamelCase reason, e.g. `Nominated`, `DisruptionBlocked`, `FailedDraining`. */
  reason: string;
  message: string;
}

/** Writes Kubernetes Events about objects; best effort, never throws. */
export interface EventRecorder {
  publish(event: EventInput): void;
}

/** An EventRecorder that drops everything (tests, dry runs). */
export const noopRecorder: EventRecorder = { publish: () => undefined };

/**
 * Creates core/v1 Events (source component `karpenter`), dropping an identical event (same object, reason and
 * message) published within `dedupeMs` (default 2 minutes), like client-go's event correlator, and keeping at
 * most `maxInFlight` creates outstanding. Failures are logged at debug level: events are advisory.
 */
export class KubeEventRecorder implements EventRecorder {
  private readonly recent = new Map<string, number>();
  private inFlight = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly dedupeMs = 120_000,
    private readonly maxInFlight = 20,
  ) {}

  publish(event: EventInput): void {
    const { regarding } = event;
    const now = this.clock.now();
    const key = `${regarding.metadata.uid ?? regarding.metadata.name ?? ''}/${event.reason}/${event.message}`;
    const last = this.recent.get(key);
    if (last !== undefined && now - last < this.dedupeMs) return;
    if (this.inFlight >= this.maxInFlight) return;
    this.recent.set(key, now);
    if (this.recent.size > 5_000) {
      for (const [k, t] of this.recent) if (now - t >= this.dedupeMs) this.recent.delete(k);
    }
    const namespace = regarding.metadata.namespace ?? 'default';
    const iso = new Date(now).toISOString();
    const body = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${regarding.metadata.name ?? 'object'}.`, namespace },
      involvedObject: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: regarding.metadata.name,
        namespace: regarding.metadata.namespace,
        uid: regarding.metadata.uid,
        resourceVersion: regarding.metadata.resourceVersion,
      },
      type: event.type,
      reason: event.reason,
      message: event.message,
      source: { component: 'karpenter' },
      firstTimestamp: iso,
      lastTimestamp: iso,
      count: 1,
      reportingComponent: 'karpenter',
      reportingInstance: 'karpenter-ts',
    };
    this.inFlight++;
    this.client
      .create(resources.events as ResourceType, body as KubeObject, { namespace })
      .catch((error: unknown) => this.log.debug({ err: error, reason: event.reason }, 'failed to publish event'))
      .finally(() => this.inFlight--);
  }
}
