/**
 * Planned NodeClaims in the order the scheduler tries them: fewest pods first (Karpenter sorts its new
 * NodeClaims by pod count before each pod); among equal counts, the one that reached that count first.
 * Moving a claim after it gains a pod is O(log n) in the number of distinct counts, not a re-sort.
 */
export class ClaimOrder<T> {
  private readonly buckets = new Map<number, Set<T>>();
  /** Non-empty bucket counts, ascending. */
  private readonly counts: number[] = [];
  private size_ = 0;

  get size(): number {
    return this.size_;
  }

  add(item: T, count: number): void {
    let bucket = this.buckets.get(count);
    if (!bucket) {
      bucket = new Set();
      this.buckets.set(count, bucket);
      this.counts.splice(lowerBound(this.counts, count), 0, count);
    }
    bucket.add(item);
    this.size_++;
  }

  remove(item: T, count: number): void {
    const bucket = this.buckets.get(count);
    if (!bucket || !bucket.delete(item)) return;
    this.size_--;
    if (bucket.size === 0) {
      this.buckets.delete(count);
      this.counts.splice(lowerBound(this.counts, count), 1);
    }
  }

  move(item: T, from: number, to: number): void {
    this.remove(item, from);
    this.add(item, to);
  }

  /** The first item in order for which `accept` returns true (plain loops: this is the scheduler's hot path). */
  find(accept: (item: T) => boolean): T | undefined {
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) {
      const bucket = this.buckets.get(counts[i] as number);
      if (!bucket) continue;
      for (const item of bucket) if (accept(item)) return item;
    }
    return undefined;
  }

  /** Iterates in order. Do not add, remove or move while iterating (stop first). */
  *[Symbol.iterator](): Iterator<T> {
    for (const count of this.counts) {
      const bucket = this.buckets.get(count);
      if (bucket) yield* bucket;
    }
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
