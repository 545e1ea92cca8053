/**
 * When each node was first seen empty, by NodeClaim name, in memory. A node that gains a pod is forgotten; a
 * restart starts counting again (so a restart only ever delays a disruption, never hastens it).
 */
export class EmptinessTracker {
  private readonly since = new Map<string, number>();

  /** Records the observation and returns since when the node has been empty (undefined when not empty). */
  observe(name: string, empty: boolean, nowMs: number): number | undefined {
    if (!empty) {
      this.since.delete(name);
      return undefined;
    }
    let since = this.since.get(name);
    if (since === undefined) {
      since = nowMs;
      this.since.set(name, since);
    }
    return since;
  }

  forget(name: string): void {
    this.since.delete(name);
  }

  get size(): number {
    return this.since.size;
  }
}
