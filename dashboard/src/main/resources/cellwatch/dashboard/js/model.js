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

  /** Every sample under {@code path}. */
  under(path) {
    const prefix = path === '' ? '' : path + '/';
    const out = [];
    for (const [key, sample] of this.bySeries) {
      if (key.startsWith(prefix)) {
        out.push(sample);
      }
    }
    return out;
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

/** Per-metric min / max / mean / spread, newest ts and updates per second of a list of samples. */
export function stats(samples) {
  const metrics = new Map();
  let newest = 0;
  let updates = 0;
  const now = Date.now();
  for (const s of samples) {
    const { metric } = splitSeries(s.series);
    let m = metrics.get(metric);
    if (!m) {
      m = { min: Infinity, max: -Infinity, sum: 0, count: 0 };
      metrics.set(metric, m);
    }
    m.min = Math.min(m.min, s.value);
    m.max = Math.max(m.max, s.value);
    m.sum += s.value;
    m.count++;
    newest = Math.max(newest, s.ts);
    updates += s.updates.filter((t) => now - t <= RATE_WINDOW_MS).length;
  }
  for (const m of metrics.values()) {
    m.mean = m.sum / m.count;
    m.spread = m.max - m.min;
  }
  return { metrics, newest, rate: updates / (RATE_WINDOW_MS / 1000), series: samples.length };
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
