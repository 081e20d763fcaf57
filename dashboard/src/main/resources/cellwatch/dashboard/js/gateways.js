// Gateway states as the live socket reports them ({"op":"gateways"}: a snapshot, then every change), and which
// plants they feed: a plant's retained meta names its gateways ("gateways": [client ids], GET /api/v1/plants).

import { h } from './dom.js';
import { age } from './model.js';

/** Worse first: a plant shows the worst state of its gateways, and sorts by it. */
export const STATE_RANK = { offline: 0, stale: 1, online: 2 };

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
      .sort((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || a.gateway.localeCompare(b.gateway));
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
        || (g.state === worst.state && (g.since || 0) < (worst.since || 0))) {
        worst = g;
      }
    }
    return worst;
  }
}

/** "offline since 14:02 (3 min)" for a state shown in a table cell. */
export function stateText(g, now = Date.now()) {
  if (!g) return '–';
  if (g.since === undefined) return g.state + ' (never seen)';
  return `${g.state} since ${new Date(g.since).toLocaleTimeString()} (${age(now - g.since)})`;
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
    h('td', {}, h('span', { class: 'gw-state' }, stateText(g, now))),
    h('td', {}, g.lastSeen ? age(now - g.lastSeen) + ' ago' : '–'),
    h('td', {}, (this.plantsOf.get(g.gateway) || []).join(', ') || '–')))
      : [h('tr', {}, h('td', { colspan: 4, class: 'note' }, 'No gateway of this tenant connected since the server started.'))]));
  }
}
