// Gateway states as the live socket reports them ({"op":"gateways"}: a snapshot, then every change), and which
// plants they feed: a plant's retained meta names its gateways ("gateways": [client ids], GET /api/v1/plants).
// A gateway that reports its own health ("health": the worst state of its sources, their failing requests and the
// series those keep away) shows it after its state, e.g. "online since 14:02 (3 min) · degraded: 16 series missing".

import { h } from './dom.js';
import { age } from './model.js';

/** Worse first: a plant shows the worst state of its gateways, and sorts by it. */
export const STATE_RANK = { offline: 0, stale: 1, online: 2 };

/** Worse first among gateways in the same state: a failing one before a degraded one before a healthy one. */
const HEALTH_RANK = { failing: 0, degraded: 2, ok: 3 };

function healthRank(g) {
  const state = g.health && g.state !== 'offline' ? g.health.state : 'ok';
  return state in HEALTH_RANK ? HEALTH_RANK[state] : 1;
}

/** Every gateway the caller may see, by tenant and client id. */
export class GatewayBook {
  constructor() {
    this.byKey = new Map();
    this.version = 0;
  }

  clear() {
    this.byKey.clear();
    this.version++;
  }

  snapshot(gateways) {
    this.byKey.clear();
    for (const g of gateways) this.byKey.set(g.tenant + '/' + g.gateway, g);
    this.version++;
  }

  change(gateway) {
    this.byKey.set(gateway.tenant + '/' + gateway.gateway, gateway);
    this.version++;
  }

  get(tenant, id) {
    return this.byKey.get(tenant + '/' + id);
  }

  /** A tenant's gateways, offline first, then stale, then online; by client id within a state. */
  ofTenant(tenant) {
    return [...this.byKey.values()].filter((g) => g.tenant === tenant)
      .sort((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || healthRank(a) - healthRank(b)
        || a.gateway.localeCompare(b.gateway));
  }

  /**
   * The state of a plant from the gateways its meta names: the worst of them, since when, and which; undefined when
   * it names none. A named gateway the server has not seen since it started counts as offline, since unknown.
   */
  plantState(tenant, ids) {
    if (!ids || ids.length === 0) return undefined;
    let worst;
    for (const id of ids) {
      const g = this.get(tenant, id) || { gateway: id, state: 'offline', since: undefined };
      if (!worst || STATE_RANK[g.state] < STATE_RANK[worst.state]
        || (g.state === worst.state && healthRank(g) < healthRank(worst))
        || (g.state === worst.state && healthRank(g) === healthRank(worst) && (g.since || 0) < (worst.since || 0))) {
        worst = g;
      }
    }
    return worst;
  }
}

/**
 * What a connected gateway's own health report says in a few words, or '' when it is ok, has none, or the gateway is
 * offline (a report holds for the connection it came on): "degraded: 16 series missing", "failing: Connection
 * refused", "reconnecting: bms".
 */
export function healthText(g) {
  const health = g && g.state !== 'offline' ? g.health : undefined;
  if (!health || health.state === 'ok') return '';
  let missing = 0;
  let more = false;
  let why = '';
  for (const source of health.sources || []) {
    for (const p of source.problems || []) missing += p.missing || 0;
    if (source.moreProblems) more = true;
    if (!why && source.state !== 'ok') why = source.detail ? `${source.name} ${source.detail}` : source.name;
  }
  if (health.moreSources) more = true;
  if (missing > 0) return `${health.state}: ${missing}${more ? '+' : ''} series missing`;
  return why ? `${health.state}: ${why}` : health.state;
}

/** The failing requests of a gateway's health report, one a line, for a tooltip; '' when none. */
export function healthDetail(g) {
  if (!healthText(g)) return '';
  const lines = [];
  for (const source of g.health.sources || []) {
    for (const p of source.problems || []) {
      const named = p.series && p.series.length
        ? ': ' + p.series.slice(0, 3).join(', ') + (p.missing > 3 ? ', …' : '') : '';
      lines.push(`${source.name}: ${p.request}: ${p.error} (${p.missing} series missing${named})`);
    }
    if (source.moreProblems) lines.push(`${source.name}: ${source.moreProblems} more failing requests`);
  }
  return lines.join('\n');
}

/** "offline since 14:02 (3 min)" for a state shown in a table cell, with the gateway's health when it is not ok. */
export function stateText(g, now = Date.now()) {
  if (!g) return '–';
  if (g.since === undefined) return g.state + ' (never seen)';
  const health = healthText(g);
  return `${g.state} since ${new Date(g.since).toLocaleTimeString()} (${age(now - g.since)})`
    + (health ? ' · ' + health : '');
}

/** A table of a tenant's gateways with their state, since when, last seen, and the plants that name them. */
export class GatewayTable {
  constructor(container, tenant, book) {
    this.tenant = tenant;
    this.book = book;
    this.body = h('tbody', { id: 'gateways-body' });
    this.plantsOf = new Map();
    container.append(h('h2', {}, 'Gateways'), h('table', { class: 'children gateways', id: 'gateways' },
      h('thead', {}, h('tr', {}, ['gateway', 'state', 'last seen', 'plants'].map((t) => h('th', { scope: 'col' }, t)))),
      this.body));
  }

  /** Which plants name which gateway (from the plants' meta). */
  setPlants(plants) {
    this.plantsOf = new Map();
    for (const p of plants) {
      for (const id of p.gateways || []) {
        if (!this.plantsOf.has(id)) this.plantsOf.set(id, []);
        this.plantsOf.get(id).push(p.name || p.path.split('/').pop());
      }
    }
    this.shape = null;
  }

  render() {
    const now = Date.now();
    const gateways = this.book.ofTenant(this.tenant);
    const shape = this.book.version + '|' + Math.floor(now / 1000);
    if (shape === this.shape) return;
    this.shape = shape;
    this.body.replaceChildren(...(gateways.length ? gateways.map((g) => h('tr', { 'data-gateway': g.gateway,
      'data-state': g.state, class: 'gw-' + g.state },
    h('th', { scope: 'row' }, g.gateway),
    h('td', {}, h('span', { class: 'gw-state' + (healthText(g) ? ' gw-health-' + g.health.state : ''),
      title: healthDetail(g) || undefined }, stateText(g, now))),
    h('td', {}, g.lastSeen ? age(now - g.lastSeen) + ' ago' : '–'),
    h('td', {}, (this.plantsOf.get(g.gateway) || []).join(', ') || '–')))
      : [h('tr', {}, h('td', { colspan: 4, class: 'note' }, 'No gateway of this tenant connected since the server started.'))]));
  }
}
