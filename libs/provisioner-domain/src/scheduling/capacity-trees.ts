/**
 * Free capacity of a growing list of nodes, for first-fit: a segment tree that keeps, per resource, the largest
 * free amount in each range of nodes, so that "the first node from position `from` where every requested amount
 * may fit" takes O(log n) steps instead of a scan. The per-resource maxima are a necessary condition only (they
 * may come from different nodes); the caller checks the node it gets and asks again from the next position.
 */
export class FreeCapacityTree {
  private readonly dims: number;
  private capacity = 1;
  private count = 0;
  /** Node k's maxima at [k * dims, (k + 1) * dims); leaves start at node `capacity`. */
  private max: Float64Array;

  constructor(dims: number) {
    this.dims = dims;
    this.max = new Float64Array(2 * dims).fill(Number.NEGATIVE_INFINITY);
  }

  get size(): number {
    return this.count;
  }

  /** Appends a node with this free capacity; returns its position. */
  push(free: Float64Array): number {
    if (this.count === this.capacity) this.grow();
    const position = this.count++;
    this.update(position, free);
    return position;
  }

  update(position: number, free: Float64Array): void {
    const d = this.dims;
    let k = position + this.capacity;
    this.max.set(free.subarray(0, d), k * d);
    for (k >>= 1; k >= 1; k >>= 1) {
      const l = 2 * k * d;
      const r = (2 * k + 1) * d;
      for (let i = 0; i < d; i++) this.max[k * d + i] = Math.max(this.max[l + i] as number, this.max[r + i] as number);
    }
  }

  /** The first position ≥ `from` whose free amounts are ≥ `need` wherever `need` is positive, or -1. */
  findFirst(need: Float64Array, from: number): number {
    if (from >= this.count) return -1;
    return this.search(1, 0, this.capacity - 1, need, from);
  }

  private search(k: number, lo: number, hi: number, need: Float64Array, from: number): number {
    if (hi < from || lo >= this.count || !this.covers(k, need)) return -1;
    if (lo === hi) return lo;
    const mid = (lo + hi) >> 1;
    const left = this.search(2 * k, lo, mid, need, from);
    return left >= 0 ? left : this.search(2 * k + 1, mid + 1, hi, need, from);
  }

  private covers(k: number, need: Float64Array): boolean {
    const base = k * this.dims;
    for (let i = 0; i < this.dims; i++) {
      const n = need[i] as number;
      if (n > 0 && (this.max[base + i] as number) < n) return false;
    }
    return true;
  }

  private grow(): void {
    const d = this.dims;
    const old = this.max;
    const oldCapacity = this.capacity;
    this.capacity *= 2;
    this.max = new Float64Array(2 * this.capacity * d).fill(Number.NEGATIVE_INFINITY);
    this.max.set(old.subarray(oldCapacity * d, 2 * oldCapacity * d), this.capacity * d);
    for (let k = this.capacity - 1; k >= 1; k--) {
      for (let i = 0; i < d; i++) this.max[k * d + i] = Math.max(this.max[2 * k * d + i] as number, this.max[(2 * k + 1) * d + i] as number);
    }
  }
}

/**
 * Requests of a fixed list of pods, for "the first pod (in list order) that fits this free room": a segment
 * tree that keeps, per resource, the smallest request in each range; taken pods are removed. The per-resource
 * minima are a necessary condition only; the caller checks the pod it gets and asks again from the next position.
 */
export class RequestTree {
  private readonly dims: number;
  private readonly capacity: number;
  private readonly min: Float64Array;
  private readonly count: number;

  constructor(dims: number, requests: readonly Float64Array[]) {
    this.dims = dims;
    this.count = requests.length;
    let capacity = 1;
    while (capacity < Math.max(1, requests.length)) capacity *= 2;
    this.capacity = capacity;
    this.min = new Float64Array(2 * capacity * dims).fill(Number.POSITIVE_INFINITY);
    requests.forEach((r, i) => this.min.set(r.subarray(0, dims), (capacity + i) * dims));
    for (let k = capacity - 1; k >= 1; k--) this.pull(k);
  }

  /** Takes the pod at `position` out. */
  remove(position: number): void {
    let k = position + this.capacity;
    this.min.fill(Number.POSITIVE_INFINITY, k * this.dims, (k + 1) * this.dims);
    for (k >>= 1; k >= 1; k >>= 1) this.pull(k);
  }

  /** The first position ≥ `from` whose requests are ≤ `free` wherever positive, or -1. */
  findFirst(free: Float64Array, from: number): number {
    if (from >= this.count) return -1;
    return this.search(1, 0, this.capacity - 1, free, from);
  }

  private search(k: number, lo: number, hi: number, free: Float64Array, from: number): number {
    if (hi < from || lo >= this.count || !this.fits(k, free)) return -1;
    if (lo === hi) return lo;
    const mid = (lo + hi) >> 1;
    const left = this.search(2 * k, lo, mid, free, from);
    return left >= 0 ? left : this.search(2 * k + 1, mid + 1, hi, free, from);
  }

  private fits(k: number, free: Float64Array): boolean {
    const base = k * this.dims;
    for (let i = 0; i < this.dims; i++) {
      const m = this.min[base + i] as number;
      if (m === Number.POSITIVE_INFINITY) return false;
      if (m > 0 && m > (free[i] as number)) return false;
    }
    return true;
  }

  private pull(k: number): void {
    const d = this.dims;
    for (let i = 0; i < d; i++) this.min[k * d + i] = Math.min(this.min[2 * k * d + i] as number, this.min[(2 * k + 1) * d + i] as number);
  }
}
