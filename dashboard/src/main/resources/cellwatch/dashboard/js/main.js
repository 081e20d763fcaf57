// The dashboard's shell: login, routing by the URL's hash (#/tenants/acme/plants/p1?metric=voltage), breadcrumbs,
// the connection indicator and the one live connection that feeds every view.

import * as api from './api.js';
import { Live } from './live.js';
import { Samples } from './model.js';
import { h, nodeHref } from './dom.js';
import { perf, timed } from './perf.js';
import { viewFor } from './views.js';
import { AlertBook, AlertHistoryView, AlertsPanel, Attention } from './alerts.js';
import { GatewayBook } from './gateways.js';
import { display } from './display.js';

const view = document.getElementById('view');
const crumbs = document.getElementById('crumbs');
const conn = document.getElementById('conn');
const who = document.getElementById('who');
const logoutButton = document.getElementById('logout');
const tenantSwitch = document.getElementById('tenant-switch');
const tenantSelect = document.getElementById('tenant-select');
const dialog = document.getElementById('login-dialog');
const form = document.getElementById('login-form');
const loginError = document.getElementById('login-error');

const samples = new Samples();
const alerts = new AlertBook();
const gateways = new GatewayBook();
const panelBox = document.getElementById('alerts-panel');
const panel = new AlertsPanel(panelBox, alerts);
const attention = new Attention(alerts, panel);
const ctx = { alerts, gateways };
/** The page's own route, not a tree node: the alert event history. */
const ALERT_HISTORY = 'alert-history';
let caller = null;
let current = null;
let currentPath = null;
let renderQueued = false;
let treeRefresh = null;

const STATE_TEXT = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', login: 'log in again',
  offline: 'offline' };

const live = new Live({
  onState: (state) => { conn.dataset.state = state; conn.textContent = STATE_TEXT[state] || state; },
  onFrame,
  needLogin: () => showLogin('Your session ended; log in again to resume.'),
});
// Sent again on every reopen: each answers with a fresh snapshot, then every change.
live.watch('alerts');
live.watch('gateways');

/**
 * An alert change is drawn within this long, not in the next frame: under an alert storm (hundreds of changes a
 * second) redrawing the panel, badges and title in every frame cost most frames, and no one reads faster than this.
 * Only this timer shows alert changes (AlertBook.show): redraws for live samples in between draw the alerts as last
 * shown, so a storm whose own samples arrive ten times a second still costs at most four alert redraws a second.
 */
const ALERT_REDRAW_MS = 250;
let alertRedraw = null;

function onFrame(frame) {
  const start = performance.now();
  timed('frame', () => storeFrame(frame));
  perf.scriptMs += performance.now() - start;
  if (frame.type === 'alert') {
    if (alertRedraw === null) {
      alertRedraw = setTimeout(() => {
        alertRedraw = null;
        alerts.show();
        scheduleRender();
      }, ALERT_REDRAW_MS);
    }
  } else if (frame.type === 'delta' && current && current.draws && !current.draws(frame.samples)) {
    // Nothing the view draws changed (another metric of the pack's cells, say): no redraw; the 1 s tick keeps ages.
  } else {
    scheduleRender();
  }
}

function storeFrame(frame) {
  perf.messages++;
  if (frame.type === 'snapshot') {
    samples.snapshot(frame.path, frame.samples);
  } else if (frame.type === 'snapshot-page') {
    // The rest of a large snapshot, after its first page ("more": true until the last).
    samples.apply(frame.samples, false);
  } else if (frame.type === 'delta') {
    samples.apply(frame.samples);
    if (current && current.onDelta) current.onDelta(frame.samples);
    if (current && current.isNew && frame.samples.some((s) => current.isNew(s.series))) refreshTreeSoon();
  } else if (frame.type === 'alerts') {
    alerts.snapshot(frame.alerts);
  } else if (frame.type === 'alert') {
    const before = alerts.change(frame.alert);
    attention.changed(frame.alert, before);
  } else if (frame.type === 'gateways') {
    gateways.snapshot(frame.gateways);
  } else if (frame.type === 'gateway') {
    gateways.change(frame.gateway);
  } else if (frame.type === 'error') {
    showProblem(frame.error);
  }
}

function scheduleRender() {
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      // The alerts panel redraws in the same frame as the view: its time counts in the redraw's, or an alert storm
      // would cost frames the page's own figures do not show.
      const start = performance.now();
      if (caller) {
        const root = tenantRoot();
        timed('alerts', () => {
          panel.render(root);
          attention.render(root);
        });
      }
      if (current) timed('render', () => current.render());
      const ms = performance.now() - start;
      perf.scriptMs += ms;
      if (current) {
        perf.updates++;
        perf.maxScriptMs = Math.max(perf.maxScriptMs, ms);
      }
    });
  }
}

/** The tenant the page shows ("tenants/acme"): the caller's own, or the one of the path on screen; "" for all. */
function tenantRoot() {
  if (caller && caller.scope) return caller.scope;
  return tenantOf(parseHash().path);
}

/** The tenant subtree a path lies in ("tenants/acme"), or "" above every tenant. */
function tenantOf(path) {
  return path.startsWith('tenants/') ? path.split('/').slice(0, 2).join('/') : '';
}

function refreshTreeSoon() {
  if (!treeRefresh) {
    treeRefresh = setTimeout(() => { treeRefresh = null; route(true); }, 1000);
  }
}

function showProblem(message) {
  const banner = document.getElementById('problem') || h('p', { id: 'problem', class: 'error', role: 'alert' });
  banner.textContent = message;
  if (!banner.isConnected) view.prepend(banner);
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const cut = raw.indexOf('?');
  const pathPart = cut < 0 ? raw : raw.slice(0, cut);
  const params = new URLSearchParams(cut < 0 ? '' : raw.slice(cut + 1));
  const path = pathPart.split('/').filter((p) => p).map(decodeURIComponent).join('/');
  return { path, params };
}

function setParams(changes) {
  const { path, params } = parseHash();
  for (const [k, v] of Object.entries(changes)) params.set(k, v);
  location.hash = nodeHref(path, Object.fromEntries(params));
}

function drawCrumbs(path) {
  const parts = path ? path.split('/') : [];
  const links = [h('a', { href: '#/' }, caller && caller.scope ? 'fleet' : 'all tenants')];
  // (level, id) pairs: one crumb per pair, from the tenant down, named as headings name them ("Pack k1").
  for (let i = 2; i <= parts.length; i += 2) {
    const p = parts.slice(0, i).join('/');
    links.push(' › ', h('a', { href: nodeHref(p) }, display.nodeName(p)));
  }
  crumbs.replaceChildren(...links);
}

async function route(keepView = false) {
  if (!caller) return;
  let { path, params } = parseHash();
  if (path === '' && caller.scope) {
    location.replace(nodeHref(caller.scope));
    return;
  }
  if (path === ALERT_HISTORY) {
    drawCrumbs('');
    crumbs.append(' › alert history');
    unsubscribeCurrent();
    disposeView();
    await display.load(tenantRoot());
    current = new AlertHistoryView(view, params, setParams, tenantRoot());
    return;
  }
  if (path === '') {
    drawCrumbs(path);
    tenantSelect.value = '';
    unsubscribeCurrent();
    await drawTenants();
    return;
  }
  let node;
  try {
    // Units and names first: every view and crumb is drawn with them. A failed load keeps the last ones.
    [node] = await Promise.all([api.tree(path), display.load(tenantOf(path))]);
  } catch (e) {
    if (e.status === 401) {
      showLogin('Your session ended; log in again.');
      return;
    }
    unsubscribeCurrent();
    disposeView();
    drawCrumbs('');
    // Same words for "not there" and "not yours": nothing about other tenants shows.
    view.replaceChildren(h('h1', {}, 'Nothing to show'), h('p', { class: 'error', id: 'not-found' },
      'This node does not exist or is not yours to see.'));
    return;
  }
  // Crumbs only for a node the caller may see: a typed path of another tenant is never echoed.
  drawCrumbs(path);
  tenantSelect.value = path.split('/').slice(0, 2).join('/');
  if (!keepView || currentPath !== path) {
    unsubscribeCurrent();
  }
  disposeView();
  current = viewFor(view, node, samples, params, setParams, ctx);
  if (currentPath !== path) {
    currentPath = path;
    live.subscribe(path);
  }
  scheduleRender();
  view.focus({ preventScroll: true });
}

function unsubscribeCurrent() {
  if (currentPath !== null) {
    live.unsubscribe(currentPath);
    samples.clear();
    currentPath = null;
  }
}

function disposeView() {
  if (current && current.dispose) current.dispose();
  current = null;
}

async function drawTenants() {
  disposeView();
  const root = await api.tree('');
  const tenants = root.children.flatMap((c) => (c.path === 'tenants' ? c.children : [c]));
  view.replaceChildren(h('h1', {}, 'Tenants'), h('ul', { class: 'tenants' },
    tenants.map((t) => h('li', {}, h('a', { href: nodeHref(t.path) }, t.id)))));
}

async function fillTenantSwitch() {
  if (caller.scope) {
    tenantSwitch.hidden = true;
    return;
  }
  const root = await api.tree('');
  const tenants = root.children.filter((c) => c.level === 'tenants');
  tenantSelect.replaceChildren(h('option', { value: '' }, 'all'),
    ...tenants.map((t) => h('option', { value: t.path }, t.id)));
  tenantSwitch.hidden = false;
}

tenantSelect.addEventListener('change', () => { location.hash = tenantSelect.value ? nodeHref(tenantSelect.value) : '#/'; });

function showLogin(message) {
  conn.dataset.state = 'login';
  conn.textContent = STATE_TEXT.login;
  loginError.textContent = message || '';
  if (!dialog.open) dialog.showModal();
  document.getElementById('login-user').focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  loginError.textContent = '';
  try {
    await api.login(document.getElementById('login-user').value, document.getElementById('login-password').value);
  } catch (e) {
    loginError.textContent = e.status === 401 ? 'Wrong user name or password.' : e.message;
    return;
  }
  document.getElementById('login-password').value = '';
  dialog.close();
  await started();
});

// Esc must not leave a logged-out user looking at an empty page.
dialog.addEventListener('cancel', (event) => event.preventDefault());

logoutButton.addEventListener('click', async () => {
  live.stop();
  unsubscribeCurrent();
  disposeView();
  caller = null;
  display.clear();
  alerts.clear();
  gateways.clear();
  panel.show(false);
  attention.render('');
  try { await api.logout(); } catch (e) { /* the session is gone either way */ }
  view.replaceChildren();
  who.textContent = '';
  logoutButton.hidden = true;
  conn.dataset.state = 'offline';
  conn.textContent = STATE_TEXT.offline;
  showLogin('');
});

async function started() {
  const previous = caller;
  caller = await api.me();
  who.textContent = caller.user;
  logoutButton.hidden = false;
  await fillTenantSwitch();
  if (previous && previous.user !== caller.user) {
    unsubscribeCurrent();
    disposeView();
    alerts.clear();
    gateways.clear();
  }
  panel.show(true);
  // Resubscribes what was open: a re-login after a restart resumes the same view without a reload.
  live.stop();
  live.start();
  await route(true);
}

window.addEventListener('hashchange', () => route());
setInterval(scheduleRender, 1000);

async function boot() {
  if (!api.maybeLoggedIn()) {
    showLogin('');
    return;
  }
  try {
    await started();
  } catch (e) {
    showLogin(e.status === 401 ? '' : e.message);
  }
}

boot();
