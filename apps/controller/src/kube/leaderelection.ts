import type { Logger } from 'pino';
import type { KubeClient, KubeObject } from './client.js';
import { delay, systemClock, type Clock } from './clock.js';
import { isAlreadyExists, isConflict, isNotFound } from './errors.js';
import { resources } from './resources.js';
import type { WarmupReporter } from './warmup.js';

/** coordination.k8s.io/v1 Lease, the fields leader election uses. */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

export interface LeaderElectionOptions {
  client: KubeClient;
  log: Logger;
  /** Namespace of the Lease. */
  namespace: string;
  /** Lease name; Karpenter uses `karpenter-leader-election`. */
  name: string;
  /** Unique per process, e.g. `<hostname>_<random>`. */
  identity: string;
  /** How long a lease is valid without renewal, ms. Default 15 000 (client-go's default). */
  leaseDurationMs?: number;
  /** The leader gives up when it could not renew for this long, ms. Default 10 000. */
  renewDeadlineMs?: number;
  /** Time between acquire/renew attempts, ms. Default 2 000. */
  retryPeriodMs?: number;
  clock?: Clock;
  /** Reports expected warm-up answers (403/429/503) quietly (see ./warmup.ts). */
  warmup?: WarmupReporter;
}

/** What one acquire-or-renew attempt found. */
type Attempt = 'held' | 'held-by-other' | 'failed';

/**
 * Leader election on a coordination.k8s.io Lease, as client-go's leaderelection with a LeaseLock: acquire when
 * the lease is free or its holder has not renewed within leaseDuration (timed by our own clock from when we
 * observed the last change, so clock skew does not matter), renew every retryPeriod, and stop leading when a
 * renewal has not succeeded for renewDeadline. Writes use the lease's resourceVersion (optimistic concurrency).
 *
 * Safety: every attempt is bounded (its API calls are aborted at the deadline, so a hung call counts as a
 * failure), and the renew deadline runs from the START of the last successful attempt, not its end: the
 * lease's renewTime on the server is never earlier than that, so a replica that stops acting at
 * `lastRenewalStart + renewDeadline` stops before any other replica can observe the lease expire
 * (`renewTime + leaseDuration`, leaseDuration > renewDeadline).
 */
export class LeaderElector {
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: { resourceVersion: string; atMs: number } | undefined;
  private leading = false;
  /** Start time (ms) of the last attempt that held the lease. */
  private lastRenewalStartMs = 0;
  private loggedFailure = false;
  /** The API server has answered a lease attempt once: its 403/429s are no longer warm-up. */
  private answered = false;

  constructor(private readonly options: LeaderElectionOptions) {
    this.clock = options.clock ?? systemClock;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.leaseDurationMs) throw new Error(`leader election: renewDeadline (${this.renewDeadlineMs} ms) must be shorter than leaseDuration (${this.leaseDurationMs} ms)`);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** When this process must stop acting unless it renews first (ms since epoch); 0 when not leading. */
  get leadingUntilMs(): number {
    return this.leading ? this.lastRenewalStartMs + this.renewDeadlineMs : 0;
  }

  /**
   * Campaigns until this process leads (resolves true) or `signal` aborts (resolves false). API failures and
   * hung calls (each attempt is bounded by renewDeadline) are retried every retryPeriod; never throws.
   */
  async acquire(signal: AbortSignal): Promise<boolean> {
    let loggedWaiting = false;
    while (!signal.aborted) {
      const startedMs = this.clock.now();
      if ((await this.attempt(this.renewDeadlineMs, signal)) === 'held') {
        this.leading = true;
        this.lastRenewalStartMs = startedMs;
        this.options.log.info({ identity: this.options.identity, lease: this.leaseName }, 'successfully acquired lease');
        return true;
      }
      if (!loggedWaiting && !signal.aborted) {
        this.options.log.info({ lease: this.leaseName }, 'attempting to acquire leader lease');
        loggedWaiting = true;
      }
      try {
        await delay(this.clock, this.retryPeriodMs, signal);
      } catch {
        return false;
      }
    }
    return false;
  }

  /**
   * Renews every retryPeriod while leading. Resolves when `signal` aborts (still leader; call `release`) or
   * when leadership is lost: no renewal succeeded within renewDeadline of the last successful one's start
   * (resolves exactly at that deadline, aborting a hung attempt), or another holder is found in the lease.
   * Returns `true` when leadership was lost.
   */
  async renewLoop(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      const deadlineMs = this.lastRenewalStartMs + this.renewDeadlineMs;
      try {
        await delay(this.clock, Math.max(0, Math.min(this.retryPeriodMs, deadlineMs - this.clock.now())), signal);
      } catch {
        return false;
      }
      const remainingMs = deadlineMs - this.clock.now();
      if (remainingMs <= 0) return this.lose('renew deadline passed');
      const startedMs = this.clock.now();
      const outcome = await this.attempt(remainingMs, signal);
      if (signal.aborted) return false;
      if (outcome === 'held') {
        this.lastRenewalStartMs = startedMs;
        continue;
      }
      if (outcome === 'held-by-other') return this.lose('another replica holds the lease');
      if (this.clock.now() >= deadlineMs) return this.lose(`could not renew within the renew deadline (${this.renewDeadlineMs} ms)`);
    }
    return false;
  }

  /** Gives the lease up so another replica can take over at once (client-go's ReleaseOnCancel). Bounded by renewDeadline. */
  async release(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    const { client, name, namespace, identity } = this.options;
    try {
      await this.bounded(this.renewDeadlineMs, undefined, async (callSignal) => {
        const lease = await client.get<Lease>(resources.leases, name, namespace, { signal: callSignal });
        if (lease.spec?.holderIdentity !== identity) return;
        const now = toMicroTime(new Date(this.clock.now()).toISOString());
        await client.replace<Lease>(
          resources.leases,
          { ...lease, spec: { ...lease.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: now, acquireTime: now } },
          { signal: callSignal },
        );
      });
    } catch (error) {
      this.options.log.warn({ err: error }, 'failed to release leader lease');
    }
  }

  private get leaseName(): string {
    return `${this.options.namespace}/${this.options.name}`;
  }

  private lose(reason: string): true {
    this.leading = false;
    this.options.log.error({ lease: this.leaseName, reason }, 'leader election lost');
    return true;
  }

  /** One acquire-or-renew attempt, abandoned (as 'failed', its calls aborted) after `budgetMs` or when `signal` aborts. */
  private async attempt(budgetMs: number, signal: AbortSignal): Promise<Attempt> {
    try {
      const outcome = await this.bounded(budgetMs, signal, (callSignal) => this.tryAcquireOrRenew(callSignal));
      if (outcome !== 'failed') {
        this.loggedFailure = false;
        this.answered = true;
      }
      return outcome;
    } catch (error) {
      if (!signal.aborted) this.logFailure(error);
      return 'failed';
    }
  }

  /** Runs `fn` with a signal that aborts after `budgetMs` (or with `outer`); rejects with a timeout error then, even if `fn` ignores the signal. */
  private bounded<R>(budgetMs: number, outer: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const abort = new AbortController();
    return new Promise<R>((resolve, reject) => {
      const stop = (reason: Error): void => {
        abort.abort(reason);
        reject(reason);
      };
      const cancelTimer = this.clock.setTimer(() => stop(new LeaseCallTimeoutError(budgetMs)), budgetMs);
      const onOuter = (): void => stop(new Error('aborted'));
      outer?.addEventListener('abort', onOuter, { once: true });
      fn(abort.signal).then(resolve, reject).finally(() => {
        cancelTimer();
        outer?.removeEventListener('abort', onOuter);
      });
    });
  }

  /** One WARN per run of failures, not one per retry; the next success re-arms it. */
  private logFailure(error: unknown): void {
    if (!this.answered && this.options.warmup?.report(`get lease ${this.leaseName}`, error)) return;
    if (this.loggedFailure) {
      this.options.log.debug({ err: error, lease: this.leaseName }, 'leader lease call failed');
      return;
    }
    this.loggedFailure = true;
    this.options.log.warn({ lease: this.leaseName, error: error instanceof Error ? error.message : String(error) }, 'leader lease call failed, retrying');
  }

  private async tryAcquireOrRenew(signal: AbortSignal): Promise<Attempt> {
    const { client, namespace, name, identity } = this.options;
    const nowMs = this.clock.now();
    const now = toMicroTime(new Date(nowMs).toISOString());
    const durationSeconds = Math.ceil(this.leaseDurationMs / 1000);
    let lease: Lease;
    try {
      lease = await client.get<Lease>(resources.leases, name, namespace, { signal });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        const created = await client.create<Lease>(
          resources.leases,
          {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name, namespace },
            spec: { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
          },
          { signal },
        );
        this.observed = { resourceVersion: created.metadata.resourceVersion ?? '', atMs: nowMs };
        return 'held';
      } catch (createError) {
        if (isAlreadyExists(createError)) return 'failed';
        throw createError;
      }
    }
    const rv = lease.metadata.resourceVersion ?? '';
    const observed = this.observed?.resourceVersion === rv ? this.observed : { resourceVersion: rv, atMs: nowMs };
    this.observed = observed;
    const holder = lease.spec?.holderIdentity ?? '';
    const heldMs = (lease.spec?.leaseDurationSeconds ?? durationSeconds) * 1000;
    const expired = observed.atMs + heldMs <= nowMs;
    if (holder !== '' && holder !== identity && !expired) return 'held-by-other';
    const transitions = lease.spec?.leaseTransitions ?? 0;
    try {
      const updated = await client.replace<Lease>(
        resources.leases,
        {
          ...lease,
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds: durationSeconds,
            acquireTime: holder === identity ? (lease.spec?.acquireTime ?? now) : now,
            renewTime: now,
            leaseTransitions: holder === identity ? transitions : transitions + 1,
          },
        },
        { signal },
      );
      this.observed = { resourceVersion: updated.metadata.resourceVersion ?? '', atMs: nowMs };
      return 'held';
    } catch (error) {
      if (isConflict(error)) return 'failed';
      throw error;
    }
  }
}

/** A lease call abandoned because it did not answer within its budget. */
export class LeaseCallTimeoutError extends Error {
  readonly code = 'LeaseCallTimeout' as const;
  constructor(budgetMs: number) {
    super(`no answer within ${budgetMs} ms`);
    this.name = 'LeaseCallTimeoutError';
  }
}

/** metav1.MicroTime wants microseconds: `2024-01-01T00:00:00.000000Z`. */
function toMicroTime(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}
