// How numbers and names are shown, as the server says (GET /api/v1/metrics/meta: the built-in units, decimals and
// level names with the tenant's overrides from conf/display.conf) and as the plants' retained meta names them. One
// table for the page, loaded for the tenant on screen; every view formats through it so they all agree. A metric the
// table does not know is shown raw, as before.

import { metricsMeta, plants } from './api.js';
import { fmt } from './model.js';

/** The English singular of a level name the table does not know: "batteries" → "Battery", "packs" → "Pack". */
function singular(level) {
  let word = level;
  if (/ies$/.test(word)) word = word.slice(0, -3) + 'y';
  else if (/(s|x|ch|sh)es$/.test(word)) word = word.slice(0, -2);
  else if (/[^s]s$/.test(word)) word = word.slice(0, -1);
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Digits after the point that tell ticks {@code step} apart. */
function stepDecimals(step) {
  return step > 0 ? Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9))) : 0;
}

export class Display {
  constructor() {
    this.metrics = {};
    this.levels = {};
    this.names = new Map();
    this.loadedFor = null;
    this.version = 0;
  }

  /**
   * Loads the table and the plant names of the tenant at {@code tenantRoot} ("tenants/acme"; "" for the built-in
   * table alone). A failed load keeps what was there: numbers still show, raw at worst.
   */
  async load(tenantRoot) {
    const [meta, sites] = await Promise.all([
      metricsMeta(tenantRoot).catch(() => null),
      tenantRoot ? plants(tenantRoot).catch(() => null) : Promise.resolve({ plants: [] }),
    ]);
    if (meta) {
      this.metrics = meta.metrics || {};
      this.levels = meta.levels || {};
    }
    if (sites) {
      this.names = new Map(sites.plants.filter((p) => p.name).map((p) => [p.path, p.name]));
    }
    this.loadedFor = tenantRoot;
    this.version++;
  }

  clear() {
    this.metrics = {};
    this.levels = {};
    this.names = new Map();
    this.loadedFor = null;
    this.version++;
  }

  /** The metric's entry ({label, unit, decimals, scale, min, max}), or undefined if unknown. */
  of(metric) {
    return this.metrics[metric];
  }

  /** The metric's display name: its label, else its own name. */
  label(metric) {
    const m = this.of(metric);
    return (m && m.label) || metric;
  }

  /** "Voltage (V)", "soc" for an unknown metric. */
  title(metric) {
    const m = this.of(metric);
    return m && m.unit ? `${this.label(metric)} (${m.unit})` : this.label(metric);
  }

  /** The number as shown, without the unit: scaled and with the metric's decimals; raw for an unknown metric. */
  number(metric, value) {
    if (value === undefined || value === null || Number.isNaN(value)) return '–';
    const m = this.of(metric);
    if (!m) return fmt(value);
    const v = value * (m.scale ?? 1);
    return m.decimals === undefined ? fmt(v) : v.toFixed(m.decimals);
  }

  /** The unit after a number, or "" if none. */
  unit(metric) {
    const m = this.of(metric);
    return (m && m.unit) || '';
  }

  /** The number with its unit: "3.418 V", "35.7 %"; raw for an unknown metric. */
  format(metric, value) {
    const text = this.number(metric, value);
    const unit = this.unit(metric);
    return unit && text !== '–' ? text + ' ' + unit : text;
  }

  /** Whether a stored value lies outside the range its metric expects (never for a metric without one). */
  outside(metric, value) {
    const m = this.of(metric);
    return !!m && m.min !== undefined && m.max !== undefined && (value < m.min || value > m.max);
  }

  /** The expected range as shown: "2.500 – 4.300 V". */
  rangeText(metric) {
    const m = this.of(metric);
    return m && m.min !== undefined ? `${this.number(metric, m.min)} – ${this.format(metric, m.max)}` : '';
  }

  /** Tick labels for a chart of the metric's (already scaled) values. */
  ticks(metric, splits) {
    const unit = this.unit(metric);
    const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 0;
    const decimals = stepDecimals(step);
    return splits.map((v) => (v === null || v === undefined ? '' : v.toFixed(decimals) + (unit ? ' ' + unit : '')));
  }

  /** The factor from stored to shown values (1 for an unknown metric). */
  scale(metric) {
    const m = this.of(metric);
    return (m && m.scale) || 1;
  }

  /** A level's singular display name: "packs" → "Pack". */
  levelName(level) {
    return this.levels[level] || singular(level);
  }

  /** The name of a plant (a site) from its retained meta, if it has one. */
  siteName(path) {
    return this.names.get(path);
  }

  /** How a node is named in headings and breadcrumbs: "Pack k1", "Tenant acme", a plant's meta name. */
  nodeName(path) {
    const name = this.names.get(path);
    if (name) return name;
    const parts = path.split('/');
    if (parts.length < 2) return path;
    return `${this.levelName(parts[parts.length - 2])} ${parts[parts.length - 1]}`;
  }
}

/** The page's one table. */
export const display = new Display();
