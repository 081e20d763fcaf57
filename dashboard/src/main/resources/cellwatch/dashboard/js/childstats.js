// Statistics of every child of one node (a tenant's plants, a plant's racks), kept up to date sample by sample as
// live frames arrive, so a redraw reads them in O(children × metrics) instead of walking every watched series: a
// fleet of 20 packs is 5,760 series, and a walk of them per redraw spanned two frames.

const RATE_WINDOW_MS = 10000;
const RATE_BUCKET_MS = 100;
const RATE_BUCKETS = RATE_WINDOW_MS / RATE_BUCKET_MS;

/**
 * Minimum, maximum and sum over a growing set of slots, one slot per series, each holding that series' latest value:
 * a segment tree, so changing one value costs O(log n) and the three totals are read at the root.
 */
class SlotTotals {
  constructor() {
    this.size = 0;
    this.values = new Float64Array(0);
    this.allocate(16);
  }

  allocate(capacity) {
    const values = this.values;
    this.capacity = capacity;
    this.min = new Float64Array(2 * capacity).fill(Infinity);
    this.max = new Float64Array(2 * capacity).fill(-Infinity);
    this.sum = new Float64Array(2 * capacity);
    this.values = new Float64Array(capacity);
    for (let i = 0; i < this.size; i++) this.set(i, values[i]);
  }

  /** A new slot's index; the slot counts from its first {@link set}. */
  addSlot() {
    if (this.size === this.capacity) this.allocate(this.capacity * 2);
    return this.size++;
  }

  set(slot, value) {
    this.values[slot] = value;
    let i = slot + this.capacity;
    this.min[i] = value;
    this.max[i] = value;
    this.sum[i] = value;
    for (i >>= 1; i >= 1; i >>= 1) {
      const l = 2 * i;
      const r = l + 1;
      this.min[i] = Math.min(this.min[l], this.min[r]);
      this.max[i] = Math.max(this.max[l], this.max[r]);
      this.sum[i] = this.sum[l] + this.sum[r];
    }
  }
}

/** One child's statistics: per metric the totals over its series, the newest timestamp and an update rate. */
class ChildTotals {
  constructor() {
    this.metrics = new Map();
    this.newest = 0;
    this.series = 0;
    this.bucketCounts = new Uint32Array(RATE_BUCKETS);
    this.bucketIds = new Float64Array(RATE_BUCKETS).fill(-1);
  }

  metric(name) {
    let m = this.metrics.get(name);
    if (!m) {
      m = new SlotTotals();
      this.metrics.set(name, m);
    }
    return m;
  }

  countUpdate(now) {
    const id = Math.floor(now / RATE_BUCKET_MS);
    const at = id % RATE_BUCKETS;
    if (this.bucketIds[at] !== id) {
      this.bucketIds[at] = id;
      this.bucketCounts[at] = 0;
    }
    this.bucketCounts[at]++;
  }

  rate(now) {
    const oldest = Math.floor(now / RATE_BUCKET_MS) - RATE_BUCKETS;
    let n = 0;
    for (let i = 0; i < RATE_BUCKETS; i++) {
      if (this.bucketIds[i] > oldest) n += this.bucketCounts[i];
    }
    return n / (RATE_WINDOW_MS / 1000);
  }

  result(now) {
    const metrics = new Map();
    for (const [name, t] of this.metrics) {
      const min = t.min[1];
      const max = t.max[1];
      metrics.set(name, { min, max, mean: t.sum[1] / t.size, spread: max - min, count: t.size });
    }
    return { metrics, newest: this.newest, rate: this.rate(now), series: this.series };
  }
}

/**
 * The statistics of every child of the node at {@code path}, fed with each sample as it is stored. A series is
 * mapped to its child and slot once, on first sight; after that an update is one map lookup and one O(log n) tree
 * update. Not thread-safe (the page has one thread).
 */
export class ChildStats {
  constructor(path) {
    this.prefix = path === '' ? '' : path + '/';
    this.reset();
  }

  reset() {
    this.children = new Map();
    this.slots = new Map();
  }

  /**
   * Takes a series' latest value.
   *
   * @param counted whether this is a live update (counts towards the rate) rather than a snapshot's value
   */
  add(series, value, ts, now, counted) {
    let slot = this.slots.get(series);
    if (slot === undefined) {
      slot = this.slotOf(series);
      this.slots.set(series, slot);
    }
    if (slot === null) return;
    slot.totals.set(slot.index, value);
    const child = slot.child;
    if (ts > child.newest) child.newest = ts;
    if (counted) child.countUpdate(now);
  }

  // The child is the next level/id pair below the node; a metric of the node itself, or a series elsewhere, has none.
  slotOf(series) {
    if (!series.startsWith(this.prefix)) return null;
    const levelEnd = series.indexOf('/', this.prefix.length);
    const idEnd = levelEnd < 0 ? -1 : series.indexOf('/', levelEnd + 1);
    if (idEnd < 0) return null;
    const path = series.slice(0, idEnd);
    let child = this.children.get(path);
    if (!child) {
      child = new ChildTotals();
      this.children.set(path, child);
    }
    child.series++;
    const totals = child.metric(series.slice(series.lastIndexOf('/') + 1));
    return { child, totals, index: totals.addSlot() };
  }

  /** Statistics of one child ({min, max, mean, spread} per metric, newest, rate, series), or none if unseen. */
  of(childPath, now = Date.now()) {
    const child = this.children.get(childPath);
    return child ? child.result(now) : undefined;
  }
}
