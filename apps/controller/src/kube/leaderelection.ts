import type { Logger } from 'pino';
import type { KubeClient, KubeObject } from './client.js';
import { delay, systemClock, type Clock } from './clock.js';
import { isAlreadyExists, isConflict, isNotFound } from './errors.js';
import { resources } from './resources.js';

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
}

/**
 * Leader election on a coordination.k8s.io Lease, as client-go's leaderelection with a LeaseLock: acquire when
 * the lease is free or its holder has not renewed within leaseDuration (timed by our own clock from when we
 * observed the last change, so clock skew does not matter), renew every retryPeriod, and stop leading when a
 * renewal has not succeeded for renewDeadline. Writes use the lease's resourceVersion (optimistic concurrency).
 */
export class LeaderElector {
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: { resourceVersion: string; atMs: number } | undefined;
  private leading = false;

  constructor(private readonly options: LeaderElectionOptions) {
    this.clock = options.clock ?? systemClock;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Campaigns until this process leads (resolves true) or `signal` aborts (resolves false).
   */
  async acquire(signal: AbortSignal): Promise<boolean> {
    let loggedWaiting = false;
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) {
        this.leading = true;
        this.options.log.info({ identity: this.options.identity, lease: `${this.options.namespace}/${this.options.name}` }, 'successfully acquired lease');
        return true;
      }
      if (!loggedWaiting) {
        this.options.log.info({ lease: `${this.options.namespace}/${this.options.name}` }, 'attempting to acquire leader lease');
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
   * when leadership is lost (renewals failed for renewDeadline, or another holder took the lease).
   * Returns `true` when leadership was lost.
   */
  async renewLoop(signal: AbortSignal): Promise<boolean> {
    let lastRenewMs = this.clock.now();
    while (!signal.aborted) {
      try {
        await delay(this.clock, this.retryPeriodMs, signal);
      } catch {
        return false;
      }
      if (await this.tryAcquireOrRenew()) {
        lastRenewMs = this.clock.now();
        continue;
      }
      if (this.clock.now() - lastRenewMs >= this.renewDeadlineMs) {
        this.leading = false;
        this.options.log.error({ lease: `${this.options.namespace}/${this.options.name}` }, 'leader election lost');
        return true;
      }
    }
    return false;
  }

  /** Gives the lease up so another replica can take over at once (client-go's ReleaseOnCancel). */
  async release(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.options.client.get<Lease>(resources.leases, this.options.name, this.options.namespace);
      if (lease.spec?.holderIdentity !== this.options.identity) return;
      const now = new Date(this.clock.now()).toISOString();
      await this.options.client.replace<Lease>(resources.leases, {
        ...lease,
        spec: { ...lease.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: toMicroTime(now), acquireTime: toMicroTime(now) },
      });
    } catch (error) {
      this.options.log.warn({ err: error }, 'failed to release leader lease');
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, identity } = this.options;
    const nowMs = this.clock.now();
    const now = toMicroTime(new Date(nowMs).toISOString());
    const durationSeconds = Math.ceil(this.leaseDurationMs / 1000);
    let lease: Lease;
    try {
      lease = await client.get<Lease>(resources.leases, name, namespace);
    } catch (error) {
      if (!isNotFound(error)) {
        this.options.log.warn({ err: error }, 'failed to read leader lease');
        return false;
      }
      try {
        const created = await client.create<Lease>(resources.leases, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace },
          spec: { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
        });
        this.observed = { resourceVersion: created.metadata.resourceVersion ?? '', atMs: nowMs };
        return true;
      } catch (createError) {
        if (!isAlreadyExists(createError)) this.options.log.warn({ err: createError }, 'failed to create leader lease');
        return false;
      }
    }
    const rv = lease.metadata.resourceVersion ?? '';
    const observed = this.observed?.resourceVersion === rv ? this.observed : { resourceVersion: rv, atMs: nowMs };
    this.observed = observed;
    const holder = lease.spec?.holderIdentity ?? '';
    const heldMs = (lease.spec?.leaseDurationSeconds ?? durationSeconds) * 1000;
    const expired = observed.atMs + heldMs <= nowMs;
    if (holder !== '' && holder !== identity && !expired) return false;
    const transitions = lease.spec?.leaseTransitions ?? 0;
    try {
      const updated = await client.replace<Lease>(resources.leases, {
        ...lease,
        spec: {
          holderIdentity: identity,
          leaseDurationSeconds: durationSeconds,
          acquireTime: holder === identity ? (lease.spec?.acquireTime ?? now) : now,
          renewTime: now,
          leaseTransitions: holder === identity ? transitions : transitions + 1,
        },
      });
      this.observed = { resourceVersion: updated.metadata.resourceVersion ?? '', atMs: nowMs };
      return true;
    } catch (error) {
      if (!isConflict(error)) this.options.log.warn({ err: error }, 'failed to update leader lease');
      return false;
    }
  }
}

/** metav1.MicroTime wants microseconds: `2024-01-01T00:00:00.000000Z`. */
function toMicroTime(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}
