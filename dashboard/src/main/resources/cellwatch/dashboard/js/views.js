// The pages: a tenant's fleet (sites table and map), any inner node (its children table), a group of leaves such as
// a pack (the live cell grid) and a leaf such as a cell (its metrics). Which one is chosen from the tree's shape, never
// from level or metric names.

import { plants } from './api.js';
import { h, nodeHref } from './dom.js';
import { drawMap } from './map.js';
import { HistoryChart } from './chart.js';
import { GRADIENT, colour, domain, textColour } from './scale.js';
import { age, byId, childMetrics, fmt, isGroupOfLeaves, splitSeries } from './model.js';

const STALE_MS = 15000;

function label(path) {
  const parts = path.split('/');
  return parts.length >= 2 ? `${parts[parts.length - 2]} ${parts[parts.length - 1]}` : path;
}

const NO_STATS = { metrics: new Map(), newest: 0, rate: 0, series: 0 };

/**
 * The table of a node's children with their live statistics: one row per child, one column per metric. The
 * statistics are kept by {@link Samples} as samples arrive; a redraw only reads them.
 */
class ChildrenTable {
  constructor(container, node, samples) {
    this.node = node;
    this.samples = samples;
    this.stats = samples.watchChildren(node.path);
    this.body = h('tbody');
    this.head = h('thead');
    container.append(h('table', { class: 'children', 'data-path': node.path }, this.head, this.body));
  }

  render() {
    const children = [...this.node.children].sort((a, b) => byId(a.id, b.id));
    const now = Date.now();
    const rows = children.map((c) => ({ child: c, s: this.stats.of(c.path, now) || NO_STATS }));
    const metrics = [...new Set(rows.flatMap((r) => [...r.s.metrics.keys()]))].sort();
    const shape = metrics.join(',') + '|' + children.map((c) => c.path).join(',');
    // Rows are rebuilt only when children or metrics change; otherwise texts update in place, so a link under the
    // pointer is never swapped out between mouse down and up.
    if (shape !== this.shape) {
      this.shape = shape;
      this.head.replaceChildren(h('tr', {}, h('th', { scope: 'col' }, this.node.children[0]?.level || ''),
        h('th', { scope: 'col' }, 'series'), h('th', { scope: 'col' }, 'updates/s'),
        h('th', { scope: 'col' }, 'last sample'),
        metrics.map((m) => h('th', { scope: 'col' }, `${m} min – max (spread)`))));
      this.cells = new Map();
      this.body.replaceChildren(...children.map((child) => {
        const tds = [h('td', { class: 'num' }), h('td', { class: 'num' }), h('td', { class: 'num' }),
          ...metrics.map(() => h('td', { class: 'num' }))];
        this.cells.set(child.path, tds);
        return h('tr', { 'data-path': child.path }, h('th', { scope: 'row' }, h('a', { href: nodeHref(child.path) },
          child.id)), tds);
      }));
    }
    for (const { child, s } of rows) {
      const [series, rate, last, ...perMetric] = this.cells.get(child.path);
      setText(series, String(s.series));
      setText(rate, s.rate.toFixed(1));
      setText(last, s.newest ? age(now - s.newest) + ' ago' : '–');
      last.classList.toggle('stale', now - s.newest > STALE_MS);
      metrics.forEach((m, i) => {
        const v = s.metrics.get(m);
        setText(perMetric[i], v ? `${fmt(v.min)} – ${fmt(v.max)} (${fmt(v.spread)})` : '–');
      });
    }
  }

  dispose() { this.samples.unwatch(this.stats); }
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** A tenant: its sites with statistics, and the plants map. */
export class FleetView {
  constructor(root, node, samples) {
    this.samples = samples;
    const mapBox = h('section', { class: 'map', id: 'map', 'aria-label': 'Plants map' }, 'loading map…');
    const tableBox = h('section', { class: 'fleet' }, h('h1', {}, `Fleet of ${node.id}`));
    root.replaceChildren(h('div', { class: 'fleet-layout' }, tableBox, mapBox));
    this.table = new ChildrenTable(tableBox, node, samples);
    plants(node.path).then((answer) => drawMap(mapBox, answer.plants))
      .catch((e) => { mapBox.textContent = 'map: ' + e.message; });
  }

  render() { this.table.render(); }

  dispose() { this.table.dispose(); }
}

/** Any inner node: its children with statistics and its own metrics. */
export class NodeView {
  constructor(root, node, samples) {
    this.node = node;
    this.samples = samples;
    const box = h('section', {}, h('h1', {}, label(node.path)));
    this.own = h('dl', { class: 'own' });
    root.replaceChildren(box, this.own);
    this.table = new ChildrenTable(box, node, samples);
  }

  render() {
    this.table.render();
    this.own.replaceChildren(...this.node.metrics.flatMap((m) => {
      const s = this.samples.bySeries.get(this.node.path + '/' + m);
      return [h('dt', {}, m), h('dd', {}, s ? fmt(s.value) : '–')];
    }));
  }

  dispose() { this.table.dispose(); }
}

/** A group of leaves (a pack): the live grid of its children, coloured by one metric, and their history. */
export class GridView {
  constructor(root, node, samples, params, setParams) {
    this.node = node;
    this.samples = samples;
    this.metrics = childMetrics(node);
    this.metric = this.metrics.includes(params.get('metric')) ? params.get('metric') : this.metrics[0];
    const select = h('select', { id: 'metric', onchange: (e) => setParams({ metric: e.target.value }) },
      this.metrics.map((m) => h('option', { value: m, selected: m === this.metric }, m)));
    this.legend = h('div', { class: 'legend', 'aria-label': 'colour scale' });
    this.summary = h('dl', { class: 'summary', id: 'pack-summary' });
    this.grid = h('div', { class: 'grid', id: 'cell-grid', role: 'list' });
    this.cells = new Map();
    const chartBox = h('section', { class: 'history', id: 'history', 'aria-label': 'History' });
    root.replaceChildren(h('h1', {}, label(node.path)),
      h('div', { class: 'grid-controls' }, h('label', {}, 'Colour by ', select), this.legend, this.summary),
      this.grid, h('h2', {}, `History of ${this.metric}`), chartBox);
    const leaves = [...node.children].sort((a, b) => byId(a.id, b.id));
    // Asked for every live sample: a set, not a walk of the children.
    this.prefix = node.path + '/';
    this.known = new Set(leaves.map((l) => l.path));
    for (const leaf of leaves) {
      const value = h('span', { class: 'value' });
      const ageEl = h('span', { class: 'age' });
      const el = h('a', { class: 'cell', role: 'listitem', href: nodeHref(leaf.path, { metric: this.metric }),
        'data-path': leaf.path }, h('span', { class: 'id' }, leaf.id), value, ageEl);
      this.grid.append(el);
      this.cells.set(leaf.path + '/' + this.metric, { el, value, ageEl });
    }
    // Only series that exist: a history request naming a never-seen series is refused whole.
    const charted = leaves.filter((l) => l.metrics.includes(this.metric)).map((l) => l.path + '/' + this.metric);
    this.chart = new HistoryChart(chartBox, charted, (s) => splitSeries(s).node.split('/').pop(),
      params.get('range') || '1h');
    this.chart.load();
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
      const text = fmt(s.value);
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
    const n = values.length;
    const texts = [n ? fmt(min) : '–', n ? fmt(max) : '–', n ? fmt(mean) : '–', n ? fmt(max - min) : '–',
      `${n} / ${this.cells.size}`, n ? fmt(min) : '', n ? fmt(max) : ''];
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

  /** Whether a live sample belongs to a leaf this grid does not know yet (the tree grew). */
  isNew(series) {
    const { node } = splitSeries(series);
    return node.startsWith(this.prefix) && !this.known.has(node);
  }

  onDelta(samples) { this.chart.append(samples); }

  dispose() { this.chart.dispose(); }
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
      node.metrics.map((m) => h('option', { value: m, selected: m === this.metric }, m)));
    root.replaceChildren(h('h1', {}, label(node.path)), this.list, h('label', {}, 'History of ', select), chartBox);
    this.chart = new HistoryChart(chartBox, this.metric ? [node.path + '/' + this.metric] : [], () => this.metric,
      params.get('range') || '1h');
    this.chart.load();
  }

  render() {
    const now = Date.now();
    this.list.replaceChildren(...this.node.metrics.flatMap((m) => {
      const s = this.samples.bySeries.get(this.node.path + '/' + m);
      return [h('dt', {}, m), h('dd', { 'data-metric': m }, s ? `${fmt(s.value)} (${age(now - s.ts)} ago)` : '–')];
    }));
  }

  onDelta(samples) { this.chart.append(samples); }

  dispose() { this.chart.dispose(); }
}

/** The view for a tree node. */
export function viewFor(root, node, samples, params, setParams) {
  const depth = node.path.split('/').length;
  if (depth === 2) return new FleetView(root, node, samples);
  if (isGroupOfLeaves(node)) return new GridView(root, node, samples, params, setParams);
  if (node.children.length === 0) return new LeafView(root, node, samples, params, setParams);
  return new NodeView(root, node, samples);
}
