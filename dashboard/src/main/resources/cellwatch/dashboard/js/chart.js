// History charts with uPlot: one request per load with the points count fitted to the plot's width in pixels,
// drag to zoom (which reloads that window at full resolution), and the live tail appended while the window ends now.

import uPlot from '../vendor/uplot/uPlot.esm.js';
import { exportHref, history } from './api.js';
import { h } from './dom.js';
import { display } from './display.js';
import { timed } from './perf.js';

const RANGES = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3 };
const Y_AXIS_PX = 64;
const PAD_RIGHT_PX = 20;
const TAIL_FLUSH_MS = 1000;
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];

/** A history chart of a fixed list of series, with its range controls. */
export class HistoryChart {
  /**
   * @param series series keys to draw
   * @param labelOf a short label for a series key
   * @param options {metric}: the charted metric, whose scale and unit the values and axis take; {exportPath}: the
   *        node whose raw samples "Download CSV" fetches for the window shown
   */
  constructor(container, series, labelOf, range = '1h', options = {}) {
    this.container = container;
    this.metric = options.metric;
    this.scale = this.metric ? display.scale(this.metric) : 1;
    this.exportPath = options.exportPath;
    this.series = series;
    this.labelOf = labelOf;
    this.range = RANGES[range] ? range : '1h';
    this.window = null;
    this.plot = null;
    // Live samples not drawn yet, by bucket and series: at most one per series and bucket however long the wait.
    this.pending = new Map();
    this.flushTimer = null;
    this.index = new Map(series.map((s, i) => [s, i + 1]));
    this.status = h('span', { class: 'chart-status', role: 'status' });
    this.plotBox = h('div', { class: 'plot' });
    const buttons = Object.keys(RANGES).map((r) => h('button', {
      type: 'button', 'data-range': r, 'aria-pressed': String(r === this.range),
      onclick: () => { this.range = r; this.window = null; this.load(); },
    }, r));
    this.fromInput = h('input', { type: 'datetime-local', 'aria-label': 'from' });
    this.toInput = h('input', { type: 'datetime-local', 'aria-label': 'to' });
    const custom = h('button', { type: 'button', onclick: () => this.custom() }, 'Show');
    // The window shown; a window that ends now is brought up to date as the link is followed.
    this.csv = this.exportPath ? h('a', { id: 'history-csv', class: 'csv', download: '', onclick: () => {
      if (this.tailing) this.setCsv(...this.bounds());
    } }, 'Download CSV') : null;
    this.controls = h('div', { class: 'chart-controls' }, buttons, h('span', { class: 'custom' }, 'custom ',
      this.fromInput, ' – ', this.toInput, custom), this.csv, this.status);
    container.replaceChildren(this.controls, this.plotBox);
  }

  custom() {
    const from = Date.parse(this.fromInput.value);
    const to = Date.parse(this.toInput.value);
    if (!(from < to)) {
      this.status.textContent = 'custom range: "from" must be before "to"';
      return;
    }
    this.window = [from, to];
    this.load();
  }

  setCsv(from, to) {
    if (this.csv) this.csv.href = exportHref(this.exportPath, from, to);
  }

  bounds() {
    if (this.window) {
      return this.window;
    }
    const to = Date.now();
    return [to - RANGES[this.range], to];
  }

  /** Whether the shown window ends now, so live samples extend it. */
  get tailing() {
    return this.window === null;
  }

  async load() {
    for (const b of this.controls.querySelectorAll('[data-range]')) {
      b.setAttribute('aria-pressed', String(this.tailing && b.dataset.range === this.range));
    }
    const [from, to] = this.bounds();
    this.setCsv(from, to);
    const width = Math.max(100, this.plotBox.clientWidth || 600);
    const opts = this.options(width, from, to);
    // One point per pixel of the plot area: the box less the fixed y axis and side padding.
    const points = Math.max(10, width - Y_AXIS_PX - PAD_RIGHT_PX);
    this.status.textContent = 'loading…';
    let answer;
    try {
      answer = await history(this.series, from, to, points);
    } catch (e) {
      this.status.textContent = 'history: ' + e.message;
      return;
    }
    const xs = new Set();
    for (const s of answer.series) {
      s.points.forEach((p) => xs.add(p.ts));
    }
    const x = [...xs].sort((a, b) => a - b);
    const at = new Map(x.map((t, i) => [t, i]));
    const data = [x.map((t) => t / 1000), ...this.series.map(() => new Array(x.length).fill(null))];
    for (const s of answer.series) {
      const col = data[this.index.get(s.series)];
      if (col) {
        s.points.forEach((p) => { col[at.get(p.ts)] = p.value * this.scale; });
      }
    }
    if (this.plot) {
      this.plot.destroy();
    }
    // The live tail keeps the loaded resolution: one point per bucket, the window sliding with it.
    this.bucketSec = (to - from) / points / 1000;
    this.spanSec = (to - from) / 1000;
    this.pending.clear();
    this.data = data;
    this.plot = new uPlot(opts, data, this.plotBox);
    this.plotBox.dataset.points = String(x.length);
    this.plotBox.dataset.requestedPoints = String(points);
    this.status.textContent = `${x.length} points · ${this.series.length} series · ${answer.resolution} buckets of `
      + `${Math.round(answer.bucket_ms / 1000)} s`;
  }

  options(width, from, to) {
    return {
      width,
      height: 260,
      // The requested window, widened only by live samples past its end.
      scales: { x: { time: true, range: (u, min, max) => {
        const end = Math.max(to / 1000, max || 0);
        return [this.tailing ? end - (to - from) / 1000 : from / 1000, end];
      } } },
      // A fixed axis width keeps the plot width, and so the points asked for, independent of the values.
      axes: [{}, this.metric ? { size: Y_AXIS_PX, values: (u, splits) => display.ticks(this.metric, splits) }
        : { size: Y_AXIS_PX }],
      padding: [12, PAD_RIGHT_PX, 0, 0],
      legend: { show: this.series.length <= 16 },
      series: [{}, ...this.series.map((s, i) => ({
        label: this.labelOf(s), stroke: PALETTE[i % PALETTE.length], width: 1.25, spanGaps: true,
      }))],
      cursor: { drag: { x: true, y: false } },
      hooks: {
        setSelect: [(u) => {
          if (u.select.width > 2) {
            const from = u.posToVal(u.select.left, 'x') * 1000;
            const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            this.window = [from, to];
            this.load();
          }
        }],
      },
    };
  }

  /**
   * Appends live samples of the charted series. Redrawing a chart of a hundred series is the page's longest single
   * task, so samples are folded into the chart's own buckets as they arrive (the newest value of a series in a bucket
   * wins) and drawn once per bucket, at most once per second; the arrays are changed in place and points that slid
   * out of the window are dropped, so the chart never grows heavier than loaded.
   */
  append(samples) {
    if (!this.plot || !this.tailing) {
      return;
    }
    for (const s of samples) {
      const col = this.index.get(s.series);
      if (col === undefined) continue;
      const t = Math.floor(s.ts / 1000 / this.bucketSec) * this.bucketSec;
      const key = t + '|' + col;
      const old = this.pending.get(key);
      if (!old || old.ts <= s.ts) this.pending.set(key, { t, col, value: s.value * this.scale, ts: s.ts });
    }
    if (this.pending.size && !this.flushTimer) {
      this.flushTimer = setTimeout(() => timed('chart', () => this.flushTail()),
        Math.max(TAIL_FLUSH_MS, this.bucketSec * 1000));
    }
  }

  flushTail() {
    this.flushTimer = null;
    const folded = [...this.pending.values()].sort((a, b) => a.t - b.t);
    this.pending.clear();
    if (!this.plot || !this.tailing) {
      return;
    }
    const data = this.data;
    const x = data[0];
    let changed = false;
    for (const p of folded) {
      const last = x.length ? x[x.length - 1] : -Infinity;
      if (p.t > last) {
        x.push(p.t);
        for (let i = 1; i < data.length; i++) data[i].push(i === p.col ? p.value : null);
      } else if (p.t >= last - this.bucketSec / 2) {
        data[p.col][x.length - 1] = p.value;
      } else {
        continue;
      }
      changed = true;
    }
    if (changed) {
      const start = x[x.length - 1] - this.spanSec;
      let drop = 0;
      while (drop < x.length && x[drop] < start) drop++;
      if (drop) data.forEach((c) => c.splice(0, drop));
      // In a batch uPlot draws now rather than in a microtask, so the chart's cost is counted where it is spent.
      this.plot.batch(() => this.plot.setData(data));
    }
  }

  dispose() {
    clearTimeout(this.flushTimer);
    if (this.plot) {
      this.plot.destroy();
    }
  }
}
