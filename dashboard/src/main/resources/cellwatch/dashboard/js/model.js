// Latest values of the watched series, and the statistics the views print. Nothing here knows level or metric
// names: a node is a path, a series is a node path plus a metric.

/** The latest sample of every series the page watches, keyed by series. */
export class Samples {
  constructor() {
    this.bySeries = new Map();
    this.version = 0;
  }

  /** A snapshot replaces everything under its path. */
  snapshot(path, samples) {
    const prefix = path === '' ? '' : path + '/';
    for (const key of this.bySeries.keys()) {
      if (key.startsWith(prefix)) {
        this.bySeries.delete(key);
      }
    }
    this.apply(samples, false);
  }

  /** Deltas update values; each sample counts as one update for the rate. */
  apply(samples, counted = true) {
    const now = Date.now();
    for (const s of samples) {
      const old = this.bySeries.get(s.series);
      const updates = old ? old.updates : [];
      if (counted) {
        updates.push(now);
        while (updates.length && now - updates[0] > RATE_WINDOW_MS) {
          updates.shift();
        }
      }
      this.bySeries.set(s.series, { series: s.series, value: s.value, ts: s.ts, updates });
    }
    this.version++;
  }

  clear() {
    this.bySeries.clear();
    this.version++;
  }
}

export const RATE_WINDOW_MS = 10000;

/** The node a series belongs to and its metric. */
export function splitSeries(series) {
  const cut = series.lastIndexOf('/');
  return { node: series.slice(0, cut), metric: series.slice(cut + 1) };
}

/** The metric of a series key: its last level. */
function metricOf(series) {
  return series.slice(series.lastIndexOf('/') + 1);
}

/** Updates of one sample inside the rate window. */
function recentUpdates(sample, now) {
  let n = 0;
  for (let i = sample.updates.length - 1; i >= 0 && now - sample.updates[i] <= RATE_WINDOW_MS; i--) {
    n++;
  }
  return n;
}

/** Accumulates the statistics of one node's samples; see {@link stats}. */
class Accumulator {
  constructor() {
    this.metrics = new Map();
    this.newest = 0;
    this.updates = 0;
    this.series = 0;
  }

  add(s, now) {
    const metric = metricOf(s.series);
    let m = this.metrics.get(metric);
    if (!m) {
      m = { min: Infinity, max: -Infinity, sum: 0, count: 0 };
      this.metrics.set(metric, m);
    }
    if (s.value < m.min) m.min = s.value;
    if (s.value > m.max) m.max = s.value;
    m.sum += s.value;
    m.count++;
    if (s.ts > this.newest) this.newest = s.ts;
    this.updates += recentUpdates(s, now);
    this.series++;
  }

  result() {
    for (const m of this.metrics.values()) {
      m.mean = m.sum / m.count;
      m.spread = m.max - m.min;
    }
    return { metrics: this.metrics, newest: this.newest, rate: this.updates / (RATE_WINDOW_MS / 1000),
      series: this.series };
  }
}

/** Per-metric min / max / mean / spread, newest ts and updates per second of a list of samples. */
export function stats(samples) {
  const acc = new Accumulator();
  const now = Date.now();
  for (const s of samples) {
    acc.add(s, now);
  }
  return acc.result();
}

/**
 * {@link stats} of every child of the node at {@code path}, in one pass over the samples (a fleet of 5,760 series
 * is walked once per redraw, not once per plant).
 *
 * @returns Map of child path to its statistics; children without samples are absent
 */
export function statsByChild(samples, path) {
  const prefix = path === '' ? '' : path + '/';
  const byChild = new Map();
  const now = Date.now();
  for (const [key, sample] of samples.bySeries) {
    if (!key.startsWith(prefix)) continue;
    // The child is the next level/id pair below the node; a metric of the node itself has no child.
    const levelEnd = key.indexOf('/', prefix.length);
    const idEnd = levelEnd < 0 ? -1 : key.indexOf('/', levelEnd + 1);
    if (idEnd < 0) continue;
    const child = key.slice(0, idEnd);
    let acc = byChild.get(child);
    if (!acc) {
      acc = new Accumulator();
      byChild.set(child, acc);
    }
    acc.add(sample, now);
  }
  const out = new Map();
  for (const [child, acc] of byChild) {
    out.set(child, acc.result());
  }
  return out;
}

/** A number printed with a precision that suits its size. */
export function fmt(value) {
  if (value === undefined || value === null || Number.isNaN(value)) {
    return '–';
  }
  const a = Math.abs(value);
  if (a !== 0 && a < 0.01) {
    return value.toExponential(2);
  }
  return value.toFixed(a >= 100 ? 1 : a >= 10 ? 2 : 3);
}

/** An age in words: "4 s", "12 min", "3 h", "2 d". */
export function age(ms) {
  if (!(ms >= 0)) {
    return '–';
  }
  const s = Math.round(ms / 1000);
  if (s < 120) return s + ' s';
  if (s < 7200) return Math.round(s / 60) + ' min';
  if (s < 172800) return Math.round(s / 3600) + ' h';
  return Math.round(s / 86400) + ' d';
}

/** Sorts ids so that "2" comes before "10". */
export const byId = new Intl.Collator(undefined, { numeric: true }).compare;

/** Whether every child of a tree node is a leaf: such a node (a pack) is drawn as a grid of its children. */
export function isGroupOfLeaves(node) {
  return node.children.length > 0 && node.children.every((c) => c.children.length === 0);
}

/** Metric names used by the children of a node, sorted. */
export function childMetrics(node) {
  const names = new Set();
  for (const c of node.children) {
    c.metrics.forEach((m) => names.add(m));
  }
  return [...names].sort();
}
