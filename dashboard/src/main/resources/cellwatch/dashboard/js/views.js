// The pages: a tenant's fleet (sites table and map), any inner node (its children table), a group of leaves such as
// a pack (the live cell grid) and a leaf such as a cell (its metrics). Which one is chosen from the tree's shape, never
// from level or metric names.

import { exportHref, plants } from './api.js';
import { h, nodeHref } from './dom.js';
import { display } from './display.js';
import { drawMap } from './map.js';
import { HistoryChart } from './chart.js';
import { GRADIENT, colour, domain, textColour } from './scale.js';
import { age, byId, childMetrics, isGroupOfLeaves, splitSeries } from './model.js';
import { GatewayTable, STATE_RANK, stateText } from './gateways.js';
import { PackAnalyticsPanel } from './analytics.js';

const STALE_MS = 15000;

/** A node's heading: its name ("Pack k1", a plant's meta name, then "Plant p1" in smaller type). */
function heading(path) {
  const name = display.nodeName(path);
  const site = display.siteName(path);
  const parts = path.split('/');
  return h('h1', {}, name, site ? h('span', { class: 'sub' }, `${display.levelName(parts[parts.length - 2])} `
    + parts[parts.length - 1]) : null);
}

const EXPORT_RANGES = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3 };

/**
 * "Download CSV" of the raw samples under a node for a chosen range (1 h, 24 h, 7 d back from the click), for a
 * node without a history chart (a plant, a rack); a chart carries its own link for the range it shows.
 */
class ExportLink {
  constructor(container, path) {
    this.path = path;
    this.range = '24h';
    this.link = h('a', { id: 'history-csv', class: 'csv', download: '', onclick: () => this.update() },
      'Download CSV');
    this.buttons = Object.keys(EXPORT_RANGES).map((r) => h('button', { type: 'button', 'data-range': r,
      'aria-pressed': String(r === this.range), onclick: () => this.choose(r) }, r));
    container.append(h('div', { class: 'chart-controls export', id: 'export' }, 'Raw samples of the last ',
      ...this.buttons, this.link));
    this.update();
  }

  choose(range) {
    this.range = range;
    this.buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.range === range)));
    this.update();
  }

  /** The window ends at the click: the link is brought up to date as it is followed. */
  update() {
    const to = Date.now();
    this.link.href = exportHref(this.path, to - EXPORT_RANGES[this.range], to);
  }
}

const NO_STATS = { metrics: new Map(), newest: 0, rate: 0, series: 0 };

/**
 * The table of a node's children with their live statistics: one row per child, one column per metric. The
 * statistics are kept by {@link Samples} as samples arrive; a redraw only reads them. Each row also shows a badge with
 * the number of active alerts at or under its child, is marked when its newest sample is stale, and, when the view
 * passes {@code extra}, has one more column (a plant's gateway state) and sorts by {@code rank} first.
 */
class ChildrenTable {
  constructor(container, node, samples, options = {}) {
    this.node = node;
    this.samples = samples;
    this.alerts = options.alerts;
    this.rank = options.rank;
    this.extra = options.extra;
    this.stats = samples.watchChildren(node.path);
    this.body = h('tbody');
    this.head = h('thead');
    container.append(h('table', { class: 'children', 'data-path': node.path }, this.head, this.body));
  }

  render() {
    const rank = this.rank;
    const children = [...this.node.children].sort((a, b) => (rank ? rank(a) - rank(b) : 0) || byId(a.id, b.id));
    const now = Date.now();
    const rows = children.map((c) => ({ child: c, s: this.stats.of(c.path, now) || NO_STATS }));
    const metrics = [...new Set(rows.flatMap((r) => [...r.s.metrics.keys()]))].sort();
    const shape = metrics.join(',') + '|' + children.map((c) => c.path).join(',');
    // Rows are rebuilt only when children, their order or metrics change; otherwise texts update in place, so a link
    // under the pointer is never swapped out between mouse down and up.
    if (shape !== this.shape) {
      this.shape = shape;
      const level = this.node.children[0]?.level;
      this.head.replaceChildren(h('tr', {}, h('th', { scope: 'col' }, level ? display.levelName(level) : ''),
        this.extra ? h('th', { scope: 'col' }, this.extra.title) : null,
        h('th', { scope: 'col' }, 'series'), h('th', { scope: 'col' }, 'updates/s'),
        h('th', { scope: 'col' }, 'last sample'),
        metrics.map((m) => h('th', { scope: 'col', 'data-metric': m }, `${display.title(m)} min – max (spread)`))));
      this.cells = new Map();
      this.body.replaceChildren(...children.map((child) => {
        const tds = [h('td', { class: 'num' }), h('td', { class: 'num' }), h('td', { class: 'num' }),
          ...metrics.map(() => h('td', { class: 'num' }))];
        const badge = h('span', { class: 'badge', hidden: true, title: 'active alerts' });
        const staleMark = h('span', { class: 'stale-mark', hidden: true }, 'stale');
        const extraTd = this.extra ? h('td', { class: 'extra' }) : null;
        // A plant with a name in its meta is listed by it, its id beside it.
        const name = display.siteName(child.path);
        const row = h('tr', { 'data-path': child.path }, h('th', { scope: 'row' }, h('a', { href: nodeHref(child.path) },
          name || child.id), name ? h('span', { class: 'id' }, child.id) : null, badge, staleMark), extraTd, tds);
        this.cells.set(child.path, { row, badge, staleMark, extraTd, tds });
        return row;
      }));
    }
    for (const { child, s } of rows) {
      const { row, badge, staleMark, extraTd, tds } = this.cells.get(child.path);
      const [series, rate, last, ...perMetric] = tds;
      setText(series, String(s.series));
      setText(rate, s.rate.toFixed(1));
      setText(last, s.newest ? age(now - s.newest) + ' ago' : '–');
      const stale = now - s.newest > STALE_MS;
      last.classList.toggle('stale', stale);
      if (row.classList.contains('stale') !== stale) {
        row.classList.toggle('stale', stale);
        staleMark.hidden = !stale;
      }
      metrics.forEach((m, i) => {
        const v = s.metrics.get(m);
        setText(perMetric[i], v ? `${display.number(m, v.min)} – ${display.number(m, v.max)} `
          + `(${display.number(m, v.spread)})` : '–');
      });
      if (this.alerts) {
        const n = this.alerts.countUnder(child.path);
        setText(badge, n ? String(n) : '');
        badge.hidden = n === 0;
        const worst = n ? this.alerts.worstUnder(child.path) : '';
        if (badge.dataset.severity !== worst) {
          badge.dataset.severity = worst;
          badge.className = worst ? 'badge sev-' + worst : 'badge';
        }
        if (row.dataset.alerts !== String(n)) row.dataset.alerts = String(n);
      }
      if (extraTd) {
        const { text, cls } = this.extra.cell(child, now);
        setText(extraTd, text);
        if (extraTd.className !== 'extra ' + cls) extraTd.className = 'extra ' + cls;
      }
    }
  }

  dispose() { this.samples.unwatch(this.stats); }
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** A tenant: its sites with statistics and gateway state (offline first), the plants map and its gateways. */
export class FleetView {
  constructor(root, node, samples, ctx) {
    this.samples = samples;
    this.gateways = ctx.gateways;
    this.tenant = node.id;
    this.plantGateways = new Map();
    const mapBox = h('section', { class: 'map', id: 'map', 'aria-label': 'Plants map' }, 'loading map…');
    const tableBox = h('section', { class: 'fleet' }, h('h1', {}, `Fleet of ${node.id}`));
    root.replaceChildren(h('div', { class: 'fleet-layout' }, tableBox, mapBox));
    this.table = new ChildrenTable(tableBox, node, samples, {
      alerts: ctx.alerts,
      rank: (child) => {
        const state = this.plantState(child);
        return state ? STATE_RANK[state.state] : 3;
      },
      extra: {
        title: 'gateway',
        cell: (child, now) => {
          const state = this.plantState(child);
          return { text: state ? stateText(state, now) : '–', cls: state ? 'gw-' + state.state : '' };
        },
      },
    });
    this.gatewayTable = new GatewayTable(tableBox, node.id, ctx.gateways);
    plants(node.path).then((answer) => {
      for (const p of answer.plants) this.plantGateways.set(p.path, p.gateways || []);
      this.gatewayTable.setPlants(answer.plants);
      drawMap(mapBox, answer.plants);
    }).catch((e) => { mapBox.textContent = 'map: ' + e.message; });
  }

  plantState(child) {
    return this.gateways.plantState(this.tenant, this.plantGateways.get(child.path));
  }

  render() {
    this.table.render();
    this.gatewayTable.render();
  }

  dispose() { this.table.dispose(); }
}

/** Any inner node: its children with statistics and its own metrics; a plant also the state of its gateways. */
export class NodeView {
  constructor(root, node, samples, ctx) {
    this.node = node;
    this.samples = samples;
    this.gateways = ctx.gateways;
    const box = h('section', {}, heading(node.path));
    this.own = h('dl', { class: 'own' });
    this.plantGateways = null;
    this.gatewayList = null;
    root.replaceChildren(box, this.own);
    const parts = node.path.split('/');
    if (parts.length === 4) {
      // A site (plant): the gateways its meta names, with their state.
      this.gatewayList = h('dl', { class: 'own gateways', id: 'plant-gateways' });
      box.append(h('h2', {}, 'Gateways'), this.gatewayList);
      this.tenant = parts[1];
      plants(node.path).then((answer) => {
        this.plantGateways = (answer.plants[0] && answer.plants[0].gateways) || [];
      }).catch(() => { this.plantGateways = []; });
    }
    this.table = new ChildrenTable(box, node, samples, { alerts: ctx.alerts });
    box.append(h('h2', {}, 'Export'));
    this.export = new ExportLink(box, node.path);
  }

  render() {
    this.table.render();
    this.own.replaceChildren(...this.node.metrics.flatMap((m) => {
      const s = this.samples.bySeries.get(this.node.path + '/' + m);
      return [h('dt', {}, display.label(m)), h('dd', { 'data-metric': m }, s ? display.format(m, s.value) : '–')];
    }));
    const now = Date.now();
    // Redrawn when a gateway changed, and each second for the "since" ages; not with every sample.
    const shape = this.gateways.version + '|' + Math.floor(now / 1000);
    if (this.gatewayList && this.plantGateways && shape !== this.gatewayShape) {
      this.gatewayShape = shape;
      const ids = this.plantGateways;
      this.gatewayList.replaceChildren(...(ids.length ? ids.flatMap((id) => {
        const g = this.gateways.get(this.tenant, id);
        const state = g || { gateway: id, state: 'offline', since: undefined };
        return [h('dt', {}, id), h('dd', { class: 'gw-' + state.state, 'data-gateway': id, 'data-state': state.state },
          stateText(state, now))];
      }) : [h('dd', { class: 'note' }, 'The plant\'s meta names no gateway ("gateways": [client ids]).')]));
    }
  }

  dispose() { this.table.dispose(); }
}

/** A group of leaves (a pack): the live grid of its children, coloured by one metric, and their history. */
export class GridView {
  constructor(root, node, samples, params, setParams, ctx) {
    this.node = node;
    this.alerts = ctx.alerts;
    this.samples = samples;
    this.metrics = childMetrics(node);
    this.metric = this.metrics.includes(params.get('metric')) ? params.get('metric') : this.metrics[0];
    const select = h('select', { id: 'metric', onchange: (e) => setParams({ metric: e.target.value }) },
      this.metrics.map((m) => h('option', { value: m, selected: m === this.metric }, display.label(m))));
    this.legend = h('div', { class: 'legend', 'aria-label': 'colour scale' });
    this.summary = h('dl', { class: 'summary', id: 'pack-summary' });
    this.grid = h('div', { class: 'grid', id: 'cell-grid', role: 'list' });
    this.cells = new Map();
    const chartBox = h('section', { class: 'history', id: 'history', 'aria-label': 'History' });
    const analyticsBox = h('section', { class: 'analytics', id: 'pack-analytics', 'aria-label': 'Battery analytics' });
    root.replaceChildren(heading(node.path),
      h('div', { class: 'grid-controls' }, h('label', {}, 'Colour by ', select), this.legend, this.summary),
      this.grid, h('h2', {}, `History of ${display.title(this.metric)}`), chartBox, analyticsBox);
    const unit = display.unit(this.metric);
    const leaves = [...node.children].sort((a, b) => byId(a.id, b.id));
    // Asked for every live sample: a set, not a walk of the children.
    this.prefix = node.path + '/';
    this.known = new Set(leaves.map((l) => l.path));
    for (const leaf of leaves) {
      const value = h('span', { class: 'value' });
      const ageEl = h('span', { class: 'age' });
      const badge = h('span', { class: 'badge', hidden: true });
      const el = h('a', { class: 'cell', role: 'listitem', href: nodeHref(leaf.path, { metric: this.metric }),
        'data-path': leaf.path }, h('span', { class: 'id' }, leaf.id, badge),
      h('span', { class: 'reading' }, value, unit ? h('span', { class: 'unit' }, ' ' + unit) : null), ageEl);
      this.grid.append(el);
      this.cells.set(leaf.path + '/' + this.metric, { el, value, ageEl, badge, leaf: leaf.path });
    }
    // Only series that exist: a history request naming a never-seen series is refused whole.
    const charted = leaves.filter((l) => l.metrics.includes(this.metric)).map((l) => l.path + '/' + this.metric);
    this.chart = new HistoryChart(chartBox, charted, (s) => splitSeries(s).node.split('/').pop(),
      params.get('range') || '1h', { metric: this.metric, exportPath: node.path });
    this.chart.load();
    this.analytics = new PackAnalyticsPanel(analyticsBox, node.path, (weak) => this.markWeak(weak));
  }

  /** Marks the tiles of the cells the server judges weak (Map cell → ratio to the pack median), ratio in words. */
  markWeak(weakRatios) {
    for (const cell of this.cells.values()) {
      const ratio = weakRatios.get(cell.leaf);
      const weak = ratio !== undefined;
      cell.el.classList.toggle('weak', weak);
      if (weak) cell.el.title = `resistance ${ratio.toFixed(2)} × the pack median`;
      else cell.el.removeAttribute('title');
    }
  }

  render() {
    const values = [];
    for (const key of this.cells.keys()) {
      const s = this.samples.bySeries.get(key);
      if (s) values.push(s.value);
    }
    const min = Math.min(...values);
    const max = Math.max(...values);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const t = domain(min, max);
    const now = Date.now();
    for (const [key, cell] of this.cells) {
      const s = this.samples.bySeries.get(key);
      if (!s) {
        setText(cell.value, '–');
        if (cell.background !== '') {
          cell.background = '';
          cell.el.style.background = '';
          cell.el.style.color = '';
        }
        continue;
      }
      const x = t(s.value);
      const text = display.number(this.metric, s.value);
      if (cell.value.textContent !== text) cell.value.textContent = text;
      // Style writes only when the colour changes: each one invalidates the cell's style and layout.
      const background = colour(x);
      if (cell.background !== background) {
        cell.background = background;
        cell.el.style.background = background;
        cell.el.style.color = textColour(x);
      }
      const stale = now - s.ts > STALE_MS;
      if (cell.stale !== stale) {
        cell.stale = stale;
        cell.el.classList.toggle('stale', stale);
      }
      const ageText = stale ? age(now - s.ts) + ' old' : '';
      if (cell.ageEl.textContent !== ageText) cell.ageEl.textContent = ageText;
    }
    if (this.alertsVersion !== this.alerts.shown) {
      this.alertsVersion = this.alerts.shown;
      this.markAlerts();
    }
    const n = values.length;
    const num = (v) => display.number(this.metric, v);
    const texts = [n ? num(min) : '–', n ? num(max) : '–', n ? num(mean) : '–', n ? num(max - min) : '–',
      `${n} / ${this.cells.size}`, n ? display.format(this.metric, min) : '', n ? display.format(this.metric, max) : ''];
    if (!this.summaryTexts) {
      this.summaryTexts = ['min', 'max', 'mean', 'spread', 'cells'].map((stat) => h('dd', { 'data-stat': stat }));
      this.summary.replaceChildren(...['min', 'max', 'mean', 'spread', 'cells'].flatMap((stat, i) => [
        h('dt', {}, stat), this.summaryTexts[i]]));
      this.legendTexts = [h('span'), h('span')];
      this.legend.replaceChildren(this.legendTexts[0], h('span', { class: 'bar', style: `background:${GRADIENT}` }),
        this.legendTexts[1]);
    }
    [...this.summaryTexts, ...this.legendTexts].forEach((el, i) => setText(el, texts[i]));
  }

  /** Marks the tiles of cells with active alerts: outlined and badged with the count, so it reads without colour. */
  markAlerts() {
    for (const cell of this.cells.values()) {
      const n = this.alerts.countUnder(cell.leaf);
      const worst = n ? this.alerts.worstUnder(cell.leaf) : '';
      if ((cell.alerts || 0) === n && (cell.worst || '') === worst) continue;
      cell.alerts = n;
      cell.worst = worst;
      cell.el.classList.toggle('alerting', n > 0);
      cell.el.dataset.alerts = String(n);
      cell.el.dataset.severity = worst;
      cell.badge.hidden = n === 0;
      cell.badge.textContent = n ? '⚠ ' + n : '';
    }
  }

  /** Whether any of these live samples is one the grid shows (its metric of its cells): else it need not redraw. */
  draws(samples) {
    return samples.some((s) => this.cells.has(s.series));
  }

  /** Whether a live sample belongs to a leaf this grid does not know yet (the tree grew). */
  isNew(series) {
    const { node } = splitSeries(series);
    return node.startsWith(this.prefix) && !this.known.has(node);
  }

  onDelta(samples) { this.chart.append(samples); }

  dispose() {
    this.chart.dispose();
    this.analytics.dispose();
  }
}

/** A leaf (a cell): its metrics and the history of one. */
export class LeafView {
  constructor(root, node, samples, params, setParams) {
    this.node = node;
    this.samples = samples;
    this.metric = node.metrics.includes(params.get('metric')) ? params.get('metric') : node.metrics[0];
    this.list = h('dl', { class: 'own' });
    const chartBox = h('section', { class: 'history', id: 'history', 'aria-label': 'History' });
    const select = h('select', { id: 'metric', onchange: (e) => setParams({ metric: e.target.value }) },
      node.metrics.map((m) => h('option', { value: m, selected: m === this.metric }, display.label(m))));
    root.replaceChildren(heading(node.path), this.list, h('label', {}, 'History of ', select), chartBox);
    this.chart = new HistoryChart(chartBox, this.metric ? [node.path + '/' + this.metric] : [],
      () => display.label(this.metric), params.get('range') || '1h', { metric: this.metric, exportPath: node.path });
    this.chart.load();
  }

  render() {
    const now = Date.now();
    this.list.replaceChildren(...this.node.metrics.flatMap((m) => {
      const s = this.samples.bySeries.get(this.node.path + '/' + m);
      // A value outside its metric's expected range says so in words, not only in colour.
      const outside = s && display.outside(m, s.value);
      return [h('dt', {}, display.label(m)),
        h('dd', { 'data-metric': m, class: outside ? 'out-of-range' : null },
          s ? `${display.format(m, s.value)} (${age(now - s.ts)} ago)` : '–',
          outside ? h('span', { class: 'range-note' }, ` outside the expected ${display.rangeText(m)}`) : null)];
    }));
  }

  onDelta(samples) { this.chart.append(samples); }

  dispose() { this.chart.dispose(); }
}

/** The view for a tree node; {@code ctx} holds the alert and gateway books the views mark their rows from. */
export function viewFor(root, node, samples, params, setParams, ctx) {
  const depth = node.path.split('/').length;
  if (depth === 2) return new FleetView(root, node, samples, ctx);
  if (isGroupOfLeaves(node)) return new GridView(root, node, samples, params, setParams, ctx);
  if (node.children.length === 0) return new LeafView(root, node, samples, params, setParams, ctx);
  return new NodeView(root, node, samples, ctx);
}
