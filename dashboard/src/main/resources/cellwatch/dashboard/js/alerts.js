// Alerts on screen: the book of alerts the live socket reports ({"op":"alerts"}: a snapshot, then every change), the
// per-tenant alerts panel with its acknowledge buttons, the counts the views draw as badges, the event history view,
// and what makes a new critical alert noticed without a reload (title, favicon, an optional browser notification).

import { acknowledge, alertHistory } from './api.js';
import { h, nodeHref } from './dom.js';
import { display } from './display.js';
import { age, fmt } from './model.js';

const RANK = { critical: 0, major: 1, minor: 2, warning: 3, info: 4 };
/** Rows the panel draws at most per list: an alert storm must not cost a frame per row. */
const MAX_ROWS = 200;
const RECENTLY_CLEARED = 10;
const NOTIFY = 'cellwatch.notify';

/** The node an alert is about: its subject, or the subject's node when the subject is a series (odd level count). */
export function nodeOf(subject) {
  const parts = subject.split('/');
  return parts.length % 2 === 1 ? parts.slice(0, -1).join('/') : subject;
}

/** The path below the tenant, as "Acme Berlin › Rack r1 › Pack k1"; a series' metric is appended. */
function place(subject) {
  const all = subject.split('/');
  const words = [];
  for (let i = 4; i <= all.length; i += 2) words.push(display.nodeName(all.slice(0, i).join('/')));
  if (all.length % 2 === 1) words.push(display.label(all[all.length - 1]));
  return words.join(' › ');
}

/** An alert's value with the unit of its series' metric; raw for a node's alert (an aggregate). */
function value(subject, v) {
  if (v === undefined) return '–';
  const parts = subject.split('/');
  return parts.length % 2 === 1 ? display.format(parts[parts.length - 1], v) : fmt(v);
}

function time(ms) {
  return new Date(ms).toLocaleString();
}

/**
 * Every alert the caller may see, by tenant and id, as the live socket last reported it, with the number of active
 * alerts at or under every node (kept on each change, so a redraw reads them in O(1)).
 */
export class AlertBook {
  constructor() {
    this.byKey = new Map();
    this.counts = new Map();
    this.worst = new Map();
    this.version = 0;
    // What the screen shows: the counts and version as of the last show(), so an alert storm is drawn at the pace
    // the page chooses, not at the pace other redraws (live samples) happen to come.
    this.shown = 0;
    this.shownCounts = this.counts;
    this.shownWorst = this.worst;
  }

  clear() {
    this.byKey.clear();
    this.recount();
    this.show();
  }

  /** The live snapshot: replaces everything (and is shown at once). */
  snapshot(alerts) {
    this.byKey.clear();
    for (const a of alerts) this.byKey.set(a.tenant + '/' + a.id, a);
    this.recount();
    this.show();
  }

  /** Lets the next redraw draw the alerts as they are now. */
  show() {
    this.shown = this.version;
    this.shownCounts = this.counts;
    this.shownWorst = this.worst;
  }

  /** One change; returns the alert as it was before (undefined if new). */
  change(alert) {
    const key = alert.tenant + '/' + alert.id;
    const before = this.byKey.get(key);
    this.byKey.set(key, alert);
    if ((before && isActive(before)) !== isActive(alert) || (before && before.severity) !== alert.severity) {
      this.recount();
    } else {
      this.version++;
    }
    return before;
  }

  recount() {
    this.counts = new Map();
    this.worst = new Map();
    for (const a of this.byKey.values()) {
      if (!isActive(a)) continue;
      const parts = a.subject.split('/');
      for (let i = 2; i <= parts.length; i += 2) {
        const path = parts.slice(0, i).join('/');
        this.counts.set(path, (this.counts.get(path) || 0) + 1);
        const w = this.worst.get(path);
        if (w === undefined || RANK[a.severity] < RANK[w]) this.worst.set(path, a.severity);
      }
    }
    this.version++;
  }

  /** Active alerts at or under {@code path}, as shown. */
  countUnder(path) {
    return this.shownCounts.get(path) || 0;
  }

  /** The most severe active alert's severity at or under {@code path}, as shown, or undefined. */
  worstUnder(path) {
    return this.shownWorst.get(path);
  }

  /** Alerts under {@code root} ("" for all): active ones, most severe then newest first; then recently cleared. */
  listed(root) {
    const prefix = root ? root + '/' : '';
    const active = [];
    const cleared = [];
    for (const a of this.byKey.values()) {
      if (prefix && !a.subject.startsWith(prefix)) continue;
      (isActive(a) ? active : cleared).push(a);
    }
    active.sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.raisedAt - a.raisedAt);
    cleared.sort((a, b) => b.at - a.at);
    return { active, cleared: cleared.slice(0, RECENTLY_CLEARED) };
  }
}

export function isActive(alert) {
  return alert.state === 'raised' || alert.state === 'acknowledged';
}

/**
 * Makes {@code parent}'s children exactly {@code rows} with the fewest DOM changes: rows no longer listed are removed,
 * then each row is moved or inserted only where it is not already in place (a storm's new alert is one insert, not a
 * rebuilt table, so the browser restyles and lays out only what changed).
 */
function reconcile(parent, rows) {
  const wanted = new Set(rows);
  for (const child of [...parent.children]) {
    if (!wanted.has(child)) child.remove();
  }
  rows.forEach((row, i) => {
    const at = parent.children[i];
    if (at !== row) parent.insertBefore(row, at || null);
  });
}

/** The alerts panel above every view: the tenant's active alerts first, then the last few cleared. */
export class AlertsPanel {
  constructor(root, book) {
    this.book = book;
    this.root = root;
    this.summary = h('summary', { id: 'alerts-summary' });
    this.activeBody = h('tbody', { id: 'alerts-active' });
    this.clearedBody = h('tbody', { id: 'alerts-cleared' });
    this.message = h('p', { class: 'error', id: 'alerts-message', role: 'alert' });
    this.notifyBox = h('input', { type: 'checkbox', id: 'alerts-notify', onchange: (e) => this.setNotify(e.target) });
    this.notifyBox.checked = localStorage.getItem(NOTIFY) === '1' && 'Notification' in window
      && Notification.permission === 'granted';
    const head = h('tr', {}, ['severity', 'rule', 'node', 'value', 'since', 'acknowledged']
      .map((t) => h('th', { scope: 'col' }, t)));
    this.historyLink = h('a', { href: '#/alert-history', id: 'alerts-history-link' }, 'event history');
    const details = h('details', { id: 'alerts-details' }, this.summary,
      h('div', { class: 'alerts-tools' }, this.historyLink,
        h('label', {}, this.notifyBox, ' notify me of critical alerts')),
      this.message,
      h('div', { class: 'alerts-scroll' },
        h('table', { class: 'alerts', id: 'alerts-table' }, h('thead', {}, head), this.activeBody, this.clearedBody)));
    details.open = localStorage.getItem('cellwatch.alertsOpen') !== '0';
    details.addEventListener('toggle', () => localStorage.setItem('cellwatch.alertsOpen', details.open ? '1' : '0'));
    root.replaceChildren(details);
    this.shape = null;
    this.rows = null;
  }

  async setNotify(box) {
    if (!box.checked) {
      localStorage.setItem(NOTIFY, '0');
      return;
    }
    if (!('Notification' in window)) {
      box.checked = false;
      this.message.textContent = 'This browser cannot show notifications.';
      return;
    }
    const permission = await Notification.requestPermission();
    box.checked = permission === 'granted';
    localStorage.setItem(NOTIFY, box.checked ? '1' : '0');
    if (!box.checked) this.message.textContent = 'Notifications were not allowed by the browser.';
  }

  /** Whether the user turned browser notifications on (and the browser allows them). */
  notifies() {
    return this.notifyBox.checked && 'Notification' in window && Notification.permission === 'granted';
  }

  show(visible) {
    this.root.hidden = !visible;
  }

  /** Redraws for the tenant subtree {@code root} ("" for everything); rows only when alerts changed. */
  render(root) {
    const now = Date.now();
    const shape = root + '|' + this.book.shown + '|' + display.version;
    if (shape !== this.shape) {
      // New units or names (another tenant on screen, an edited display file): every row is drawn again.
      if (this.displayVersion !== display.version) this.rows = null;
      this.displayVersion = display.version;
      this.shape = shape;
      const { active, cleared } = this.book.listed(root);
      const critical = active.filter((a) => a.severity === 'critical').length;
      const raised = active.filter((a) => a.state === 'raised').length;
      this.summary.textContent = active.length === 0 ? 'Alerts: none active'
        : `Alerts: ${active.length} active` + (critical ? `, ${critical} critical` : '')
          + (raised ? `, ${raised} not acknowledged` : '');
      this.summary.dataset.active = String(active.length);
      this.summary.dataset.worst = active.length ? active[0].severity : '';
      // Rows are kept per alert and reused while the alert is unchanged, and a list whose rows did not change is
      // not touched: a button under the pointer stays the same element while other alerts come and go.
      const kept = this.rows || new Map();
      this.rows = new Map();
      const rowsOf = (list, active) => list.map((a) => {
        const key = (active ? 'a/' : 'c/') + a.tenant + '/' + a.id;
        let entry = kept.get(key);
        if (!entry || entry.alert !== a) {
          entry = { alert: a, ...this.row(a, active), from: active ? a.raisedAt : a.at };
        }
        this.rows.set(key, entry);
        return entry.tr;
      });
      const activeRows = rowsOf(active.slice(0, MAX_ROWS), true);
      if (active.length > MAX_ROWS) {
        activeRows.push(h('tr', {}, h('td', { colspan: 6, class: 'note' }, `and ${active.length - MAX_ROWS} more`)));
      }
      reconcile(this.activeBody, activeRows);
      reconcile(this.clearedBody, rowsOf(cleared, false));
    }
    for (const { since, from } of this.rows.values()) {
      const text = age(now - from);
      if (since.textContent !== text) since.textContent = text;
    }
  }

  /** One alert's row and the element its age is written into. */
  row(a, active) {
    const since = h('span', {});
    let acked;
    if (a.state === 'acknowledged' || a.acknowledgedBy) {
      acked = h('td', { class: 'acked' }, `${a.acknowledgedBy} at ${new Date(a.acknowledgedAt).toLocaleTimeString()}`);
    } else if (a.state === 'raised') {
      acked = h('td', {}, h('button', { type: 'button', class: 'ack', 'data-alert-id': a.id,
        onclick: (e) => this.acknowledge(a, e.target) }, 'Acknowledge'));
    } else {
      acked = h('td', { class: 'note' }, '–');
    }
    const node = nodeOf(a.subject);
    const tr = h('tr', { class: active ? 'alert ' + a.state : 'alert cleared', 'data-alert-id': a.id,
      'data-subject': a.subject, 'data-state': a.state },
    h('td', {}, h('span', { class: 'sev sev-' + a.severity }, a.severity)),
    h('td', {}, a.rule),
    h('td', {}, h('a', { href: nodeHref(node) }, place(a.subject))),
    h('td', { class: 'num' }, value(a.subject, a.value)),
    h('td', { title: time(active ? a.raisedAt : a.at) }, active ? '' : 'cleared ', since, ' ago'),
    acked);
    return { tr, since };
  }

  async acknowledge(alert, button) {
    button.disabled = true;
    this.message.textContent = '';
    try {
      await acknowledge(alert.tenant, alert.id);
    } catch (e) {
      button.disabled = false;
      this.message.textContent = e.status === 409 ? 'That alert was already acknowledged or has cleared.'
        : 'Acknowledging failed: ' + e.message;
    }
  }
}

/**
 * Keeps a new critical alert noticed without a reload: the title and favicon show the number of raised (not yet
 * acknowledged) critical alerts, and, if the user turned them on, a browser notification per new one.
 */
export class Attention {
  constructor(book, panel) {
    this.book = book;
    this.panel = panel;
    this.baseTitle = document.title;
    this.icon = document.querySelector('link[rel="icon"]');
    this.shown = -1;
  }

  /** Called with each live change before it is stored. */
  changed(alert, before) {
    const fresh = alert.state === 'raised' && (!before || before.state === 'cleared' || before.raises !== alert.raises);
    if (fresh && alert.severity === 'critical' && this.panel.notifies()) {
      // One notification per alert: its raise again replaces the earlier one instead of piling up.
      new Notification('cellwatch: critical alert ' + alert.rule, { body: place(alert.subject), tag: alert.id });
    }
  }

  render(root) {
    const shape = root + '|' + this.book.shown;
    if (shape === this.shape) return;
    this.shape = shape;
    const prefix = root ? root + '/' : '';
    let n = 0;
    for (const a of this.book.byKey.values()) {
      if (a.state === 'raised' && a.severity === 'critical' && (!prefix || a.subject.startsWith(prefix))) n++;
    }
    if (n === this.shown) return;
    this.shown = n;
    document.title = n ? `(${n}) critical · ${this.baseTitle}` : this.baseTitle;
    this.icon.href = n ? 'favicon-alert.svg' : 'favicon.svg';
    document.documentElement.dataset.critical = String(n);
  }
}

const RANGES = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3 };

/** The alert event history: every stored raise, acknowledgement and clear in a time range, newest first. */
export class AlertHistoryView {
  constructor(root, params, setParams, tenantRoot) {
    const range = (RANGES[params.get('range')] || params.get('range') === 'custom') ? params.get('range') : '24h';
    const to = range === 'custom' ? msParam(params, 'to', Date.now()) : Date.now();
    const from = range === 'custom' ? msParam(params, 'from', to - RANGES['24h']) : to - RANGES[range];
    const fromInput = h('input', { type: 'datetime-local', id: 'history-from', value: local(from) });
    const toInput = h('input', { type: 'datetime-local', id: 'history-to', value: local(to) });
    const buttons = Object.keys(RANGES).map((r) => h('button', { type: 'button', 'aria-pressed': String(r === range),
      onclick: () => setParams({ range: r, from: '', to: '' }) }, r));
    const apply = h('button', { type: 'button', id: 'history-apply', onclick: () => setParams({ range: 'custom',
      from: String(new Date(fromInput.value).getTime()), to: String(new Date(toInput.value).getTime()) }) }, 'Show');
    this.status = h('p', { class: 'note', id: 'history-status' }, 'loading…');
    this.body = h('tbody', {});
    root.replaceChildren(h('h1', {}, 'Alert history'),
      h('div', { class: 'chart-controls' }, ...buttons, h('label', {}, 'from ', fromInput),
        h('label', {}, 'to ', toInput), apply),
      this.status,
      h('table', { class: 'children alert-history', id: 'alert-history' }, h('thead', {}, h('tr', {},
        ['time', 'severity', 'rule', 'node', 'change', 'value', 'by'].map((t) => h('th', { scope: 'col' }, t)))),
      this.body));
    this.load(from, to, tenantRoot);
  }

  async load(from, to, tenantRoot) {
    let answer;
    try {
      answer = await alertHistory(from, to, tenantRoot);
    } catch (e) {
      this.status.textContent = 'history: ' + e.message;
      return;
    }
    this.status.textContent = `${answer.events.length} changes from ${time(from)} to ${time(to)}`
      + (answer.more ? ` (the newest ${answer.limit}; narrow the range for older ones)` : '');
    this.body.replaceChildren(...answer.events.map((e) => h('tr', { 'data-alert-id': e.id, 'data-state': e.state },
      h('td', {}, time(e.at)), h('td', {}, h('span', { class: 'sev sev-' + e.severity }, e.severity)),
      h('td', {}, e.rule), h('td', {}, h('a', { href: nodeHref(nodeOf(e.subject)) }, place(e.subject))),
      h('td', {}, e.state), h('td', { class: 'num' }, value(e.subject, e.value)),
      h('td', {}, e.by || ''))));
  }

  render() {}
}

/** A time parameter in epoch ms (0 is a time, not a missing one), or {@code fallback}. */
function msParam(params, name, fallback) {
  const text = params.get(name);
  const ms = text === null || text === '' ? NaN : Number(text);
  return Number.isFinite(ms) ? ms : fallback;
}

/** Epoch ms as the value of a datetime-local input, in the browser's time zone. */
function local(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}
