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
  /**
   * What makes two events with this reason the same (Karpenter's `Event.DedupeValues`). Default: the
   * regarding object's uid (or namespace/name), so one event per object and reason per dedupe timeout.
   */
  dedupeValues?: readonly string[];
  /** How long a published event suppresses its duplicates, ms (Karpenter's `Event.DedupeTimeout`). Default the recorder's. */
  dedupeTimeoutMs?: number;
}

/** Writes Kubernetes Events about objects; best effort, never throws. */
export interface EventRecorder {
  publish(event: EventInput): void;
}

/** An EventRecorder that drops everything (tests, dry runs). */
export const noopRecorder: EventRecorder = { publish: () => undefined };

export interface KubeEventRecorderOptions {
  /** Default dedupe timeout, ms. Default 120 000 (Karpenter's `defaultDedupeTimeout`, 2 minutes). */
  dedupeTimeoutMs?: number;
  /** Event creates outstanding at once; the rest wait in the queue. Default 10. */
  maxConcurrency?: number;
  /**
   * Events waiting to be written at most (client-go's event broadcaster buffers 1000). Beyond it the oldest
   * waiting event is dropped and one warning is logged per overflow episode. Default 5 000.
   */
  maxQueued?: number;
}

/**
 * Creates core/v1 Events (source component `karpenter`) the way Karpenter's `events.Recorder.Publish` does:
 * an event whose dedupe key (reason + dedupe values, by default the regarding object's uid) was published
 * within its dedupe timeout is suppressed, whatever its message; every other event is queued and written by
 * at most `maxConcurrency` concurrent creates (client-go's broadcaster writes from a queue too), so a burst of
 * 100 FailedScheduling events for 100 pods yields 100 Events. Failed creates are logged at debug level:
 * events are advisory.
 */
export class KubeEventRecorder implements EventRecorder {
  /** dedupe key → time (ms) until which duplicates are suppressed. */
  private readonly suppressedUntil = new Map<string, number>();
  private readonly queue: EventInput[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private inFlight = 0;
  private overflowing = false;
  private readonly dedupeTimeoutMs: number;
  private readonly maxConcurrency: number;
  private readonly maxQueued: number;

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: KubeEventRecorderOptions = {},
  ) {
    this.dedupeTimeoutMs = options.dedupeTimeoutMs ?? 120_000;
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? 10);
    this.maxQueued = Math.max(1, options.maxQueued ?? 5_000);
  }

  publish(event: EventInput): void {
    const now = this.clock.now();
    const { metadata } = event.regarding;
    const values = event.dedupeValues ?? [metadata.uid ?? `${metadata.namespace ?? ''}/${metadata.name ?? ''}`];
    const key = `${event.reason.toLowerCase()}-${values.join('-')}`;
    const until = this.suppressedUntil.get(key);
    if (until !== undefined && now < until) return;
    this.suppressedUntil.set(key, now + (event.dedupeTimeoutMs ?? this.dedupeTimeoutMs));
    if (this.suppressedUntil.size > 10_000) {
      for (const [k, t] of this.suppressedUntil) if (t <= now) this.suppressedUntil.delete(k);
    }
    if (this.queue.length >= this.maxQueued) {
      this.queue.shift();
      if (!this.overflowing) this.log.warn({ maxQueued: this.maxQueued }, 'event queue full, dropping the oldest events');
      this.overflowing = true;
    }
    this.queue.push(event);
    this.pump();
  }

  /** Resolves once every queued event was written (or failed). For shutdown and tests. */
  drain(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.maxConcurrency && this.queue.length > 0) {
      const event = this.queue.shift() as EventInput;
      this.inFlight++;
      void this.write(event).finally(() => {
        this.inFlight--;
        if (this.queue.length === 0) this.overflowing = false;
        this.pump();
        if (this.inFlight === 0 && this.queue.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async write(event: EventInput): Promise<void> {
    const { regarding } = event;
    const namespace = regarding.metadata.namespace ?? 'default';
    const iso = new Date(this.clock.now()).toISOString();
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
    try {
      await this.client.create(resources.events as ResourceType, body as KubeObject, { namespace });
    } catch (error) {
      this.log.debug({ err: error, reason: event.reason }, 'failed to publish event');
    }
  }
}
