// Latest values of the watched series and the helpers the views print with; the children statistics live in
// childstats.js. Nothing here knows level or metric names: a node is a path, a series is a node path plus a metric.

import { ChildStats } from './childstats.js';

/**
 * The latest sample of every series the page watches, keyed by series, and optionally the statistics of one node's
 * children kept up to date as samples arrive (see {@link watchChildren}).
 */
export class Samples {
  constructor() {
    this.bySeries = new Map();
    this.version = 0;
    this.children = null;
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
    // Values that left with the snapshot must leave the statistics too: rebuild them from what is kept.
    if (this.children) this.fill(this.children);
  }

  /** Deltas update values; each sample counts as one update for the rate. */
  apply(samples, counted = true) {
    const now = Date.now();
    const children = this.children;
    for (const s of samples) {
      const old = this.bySeries.get(s.series);
      if (old) {
        old.value = s.value;
        old.ts = s.ts;
      } else {
        this.bySeries.set(s.series, { series: s.series, value: s.value, ts: s.ts });
      }
      if (children) children.add(s.series, s.value, s.ts, now, counted);
    }
    this.version++;
  }

  /** Keeps the statistics of the children of the node at {@code path} from now on (replacing any watched before). */
  watchChildren(path) {
    this.children = new ChildStats(path);
    this.fill(this.children);
    return this.children;
  }

  /** Stops keeping {@code stats} if it is the one kept. */
  unwatch(stats) {
    if (this.children === stats) this.children = null;
  }

  fill(stats) {
    stats.reset();
    const now = Date.now();
    for (const s of this.bySeries.values()) stats.add(s.series, s.value, s.ts, now, false);
  }

  clear() {
    this.bySeries.clear();
    if (this.children) this.children.reset();
    this.version++;
  }
}

/** The node a series belongs to and its metric. */
export function splitSeries(series) {
  const cut = series.lastIndexOf('/');
  return { node: series.slice(0, cut), metric: series.slice(cut + 1) };
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
