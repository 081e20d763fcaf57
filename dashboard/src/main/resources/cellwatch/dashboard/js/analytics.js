// A pack's battery analytics under its grid (GET /api/v1/analytics): the cells ranked by internal resistance over
// the pack's median, and the pack's capacity, state of health, cycles, throughput and imbalance trend. Refreshed every
// 10 s while the page is open; the server computes everything (docs/analytics.md), the page only shows it.

import { analytics, ApiError } from './api.js';
import { h, nodeHref } from './dom.js';

const REFRESH_MS = 10_000;

const fixed = (v, d) => (v === null || v === undefined ? null : Number(v).toFixed(d));

export class PackAnalyticsPanel {
  /**
   * @param box     the section to fill
   * @param pack    the pack's path
   * @param onCells called with Map(cell path → ratio) of the cells the server judges weak after each load
   */
  constructor(box, pack, onCells) {
    this.box = box;
    this.pack = pack;
    this.onCells = onCells;
    this.status = h('p', { class: 'note', id: 'analytics-status' }, 'Loading analytics…');
    this.summary = h('dl', { class: 'summary', id: 'analytics-summary' });
    this.table = h('table', { class: 'children', id: 'resistance-ranking' });
    box.replaceChildren(h('h2', {}, 'Battery analytics'), this.status, this.summary, this.table);
    this.load();
    this.timer = setInterval(() => this.load(), REFRESH_MS);
  }

  async load() {
    try {
      this.render(await analytics(this.pack));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        this.status.textContent = 'No analytics for this pack yet: the estimators need its current (…/current) '
          + 'and its cells\' voltages.';
        this.summary.replaceChildren();
        this.table.replaceChildren();
      } else {
        this.status.textContent = 'Analytics not loaded: ' + e.message;
      }
    }
  }

  render(report) {
    const measured = report.cells.filter((c) => c.ratio !== undefined && c.ratio !== null);
    this.status.textContent = (measured.length
      ? `${measured.length} of ${report.cells.length} cells measured over ${report.steps} current steps.`
      : `No cell measured yet: resistance needs current steps of at least 20 A (${report.steps} so far).`)
      + (report.stored ? ` Stored report of ${new Date(report.at).toLocaleString()}, from before the server's`
        + ' restart: fresh figures replace it as samples arrive.' : '');
    const soh = report.stateOfHealth;
    const rows = [
      ['Pack median resistance', report.medianOhms === null ? '–' : fixed(report.medianOhms * 1000, 3) + ' mΩ'],
      ['Capacity', report.capacityAh === null ? 'not measured yet (needs a 30 % swing of state of charge)'
        : fixed(report.capacityAh, 1) + ' Ah'],
      ['State of health', soh === null || soh === undefined ? '– (needs a measured and a rated capacity)'
        : fixed(soh * 100, 1) + ' %'],
      ['Equivalent full cycles', report.fullCycles === null ? '–' : fixed(report.fullCycles, 2)],
      ['Throughput', fixed(report.ampHours, 1) + ' Ah'],
      ['Cell-voltage spread trend', report.spreadTrendVoltsPerDay === null ? '– (needs two days)'
        : fixed(report.spreadTrendVoltsPerDay * 1000, 2) + ' mV/day'],
    ];
    this.summary.replaceChildren(...rows.flatMap(([label, text]) => [h('dt', {}, label),
      h('dd', { 'data-stat': label }, text)]),
    h('dt', {}, 'Spread, last 48 h'), h('dd', { 'data-stat': 'spread-hours' }, sparkline(report.spreadHours || [])));
    const ranked = [...measured].sort((a, b) => b.ratio - a.ratio || a.cell.localeCompare(b.cell));
    this.table.replaceChildren(
      h('thead', {}, h('tr', {}, h('th', {}, 'Cell'), h('th', {}, 'Resistance (mΩ)'), h('th', {}, '× pack median'),
        h('th', {}, 'Steps'), h('th', {}, 'Lowest at end of discharge'))),
      h('tbody', {}, ranked.map((c) => h('tr', { 'data-cell': c.cell, 'data-ratio': fixed(c.ratio, 3),
        class: c.weak ? 'outlier' : null },
      h('td', {}, h('a', { href: nodeHref(c.cell) }, c.cell.split('/').pop())),
      h('td', { class: 'num' }, fixed(c.ohms * 1000, 3)),
      h('td', { class: 'num' }, fixed(c.ratio, 2) + (c.weak ? ' ⚠' : '')),
      h('td', { class: 'num' }, String(c.steps)),
      h('td', { class: 'num' }, String(c.bottoms))))));
    this.onCells(new Map(measured.filter((c) => c.weak).map((c) => [c.cell, c.ratio])));
  }

  dispose() { clearInterval(this.timer); }
}

const SPARK_W = 160;
const SPARK_H = 32;

/**
 * The pack's hourly cell-voltage spread as a small drawing (at rest solid, under load dashed) with its latest values
 * in words beside it, so it reads without the drawing too.
 */
function sparkline(hours) {
  const rest = hours.map((b) => b.restVolts);
  const load = hours.map((b) => b.loadVolts);
  const known = [...rest, ...load].filter((v) => v !== null && v !== undefined);
  if (known.length === 0) return '– (no hour with a spread yet)';
  const top = Math.max(...known);
  const x = (i) => (hours.length === 1 ? SPARK_W / 2 : (i * SPARK_W) / (hours.length - 1)).toFixed(1);
  const y = (v) => (SPARK_H - 2 - (top > 0 ? (v / top) * (SPARK_H - 4) : 0)).toFixed(1);
  // Each line ends in a dot, so an hour alone (a line of one point) still shows.
  const line = (values, cls) => {
    const points = values.map((v, i) => (v === null || v === undefined ? null : [x(i), y(v)])).filter(Boolean);
    if (!points.length) return null;
    const [lx, ly] = points[points.length - 1];
    return h('g', { class: cls }, h('polyline', { class: cls, points: points.map((p) => p.join(',')).join(' ') }),
      h('circle', { cx: lx, cy: ly, r: 2 }));
  };
  const last = (values) => [...values].reverse().find((v) => v !== null && v !== undefined);
  const mv = (v) => (v === undefined ? '–' : fixed(v * 1000, 1) + ' mV');
  const words = `now ${mv(last(rest))} at rest, ${mv(last(load))} under load; highest ${mv(top)}`;
  return h('span', { class: 'sparkline' },
    h('svg', { id: 'spread-sparkline', width: SPARK_W, height: SPARK_H, viewBox: `0 0 ${SPARK_W} ${SPARK_H}`,
      role: 'img', 'aria-label': `cell-voltage spread per hour over ${hours.length} hours: ${words}` },
    line(rest, 'rest'), line(load, 'load')),
    h('span', { class: 'note' }, ' ' + words));
}
